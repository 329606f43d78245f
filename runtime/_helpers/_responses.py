"""stub"""

__all__ = ["ResponsesHelpers", "AsyncResponsesHelpers"]


class ResponsesHelpers:
    pass


class AsyncResponsesHelpers:
    pass
