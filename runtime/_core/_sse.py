"""Server-sent events: an incremental, I/O-free decoder.

Fed raw bytes as they arrive, it returns the complete events so far. It works on
bytes and decodes only the data field, so a 1,000-chunk stream costs one
`bytes.split` per network read rather than per-character work. A line that arrives in
many reads is joined once, when its end arrives, so decoding stays linear in its length.
Text is decoded as UTF-8 with replacement, as the SSE standard says: bytes that are not
UTF-8 give U+FFFD, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SSEDecoder", "ServerSentEvent"]


@dataclass(slots=True)
class ServerSentEvent:
    data: str
    event: str | None = None
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    __slots__ = ("_data", "_event", "_id", "_pending", "_retry")

    def __init__(self) -> None:
        self._pending: list[bytes] = []
        self._data: list[bytes] = []
        self._event: str | None = None
        self._id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode `chunk`; return the events it completes."""
        if self._pending:
            if b"\n" not in chunk and b"\r" not in chunk:
                self._pending.append(chunk)  # still inside one long line: join it later, once
                return []
            self._pending.append(chunk)
            buffer = b"".join(self._pending)
        else:
            buffer = chunk
        lines = buffer.splitlines(keepends=True)
        if lines and (lines[-1].endswith(b"\r") or not lines[-1].endswith(b"\n")):
            # An unfinished line, or a lone CR whose LF may be in the next read.
            self._pending = [lines.pop()]
        else:
            self._pending = []
        events: list[ServerSentEvent] = []
        for line in lines:
            event = self._line(line.rstrip(b"\r\n"))
            if event is not None:
                events.append(event)
        return events

    def flush(self) -> list[ServerSentEvent]:
        """End of input: decode what is left (a last event without its blank line)."""
        events = self.feed(b"\n") if self._pending else []
        event = self._line(b"")
        if event is not None:
            events.append(event)
        return events

    def _line(self, line: bytes) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(b":"):
            return None  # a comment, e.g. a keep-alive
        name, sep, value = line.partition(b":")
        if sep and value.startswith(b" "):
            value = value[1:]
        if name == b"data":
            self._data.append(value)
        elif name == b"event":
            self._event = value.decode(errors="replace")
        elif name == b"id":
            if b"\0" not in value:
                self._id = value.decode(errors="replace")
        elif name == b"retry" and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        if not self._data and self._event is None:
            return None
        event = ServerSentEvent(
            data=b"\n".join(self._data).decode(errors="replace"), event=self._event, id=self._id, retry=self._retry
        )
        self._data = []
        self._event = None
        return event
