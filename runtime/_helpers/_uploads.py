"""stub"""

__all__ = ["UploadsHelpers", "AsyncUploadsHelpers"]


class UploadsHelpers:
    pass


class AsyncUploadsHelpers:
    pass
