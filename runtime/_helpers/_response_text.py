"""`response.output_text` on Responses API responses.

The documents list `output_text` as an "SDK-only convenience property": the service
does not send it, SDKs compute it. The generated `Response` inherits this class
(codegen/_mixins.py, MODEL_MIXINS), so `client.responses.create(...).output_text` is
every output text joined, as in openai-python. It imports nothing generated: the
generated models import it.
"""

from __future__ import annotations

from collections.abc import Iterable

from .._core._models import BaseModel

__all__ = ["ResponseOutputText", "joined_output_text"]


def joined_output_text(output: Iterable[object]) -> str:
    """Every `output_text` part of the messages in `output`, joined."""
    return "".join(
        part.text
        for item in output
        if getattr(item, "type", None) == "message"
        for part in getattr(item, "content", None) or ()
        if getattr(part, "type", None) == "output_text" and isinstance(getattr(part, "text", None), str)
    )


class ResponseOutputText(BaseModel):
    @property
    def output_text(self) -> str:
        """Every output text of the response joined ("" when it only called tools); a
        value a server does send wins."""
        sent = (self.__pydantic_extra__ or {}).get("output_text")
        if isinstance(sent, str):
            return sent
        return joined_output_text(getattr(self, "output", None) or ())
