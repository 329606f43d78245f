"""Server-sent events: an incremental, I/O-free decoder.

Fed raw bytes as they arrive, it returns the complete events so far. It works on
bytes and decodes only the data field, so a 1,000-chunk stream costs one
`bytes.split` per network read rather than per-character work. A line that arrives in
many reads is joined once, when its end arrives, so decoding stays linear in its length.
Text is decoded as UTF-8 with replacement, as the SSE standard says: bytes that are not
UTF-8 give U+FFFD, never an exception.

The common line, `data: ...` ended by LF, is handled inline in `feed`; every other
line (other fields, comments, CR or CRLF endings) takes the general path in `_line`.
`whole_json_event` recognises the commonest read of a JSON stream, one whole
`data: {...}` event, without building an event at all.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SSEDecoder", "ServerSentEvent", "whole_json_event"]


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
        pending = self._pending
        if pending:
            if b"\n" not in chunk and b"\r" not in chunk:
                pending.append(chunk)  # still inside one long line: join it later, once
                return []
            pending.append(chunk)
            buffer = b"".join(pending)
        else:
            buffer = chunk
        if b"\r" in buffer:
            lines = [line.rstrip(b"\r\n") for line in self._split_any(buffer)]
        else:
            lines = buffer.split(b"\n")
            last = lines.pop()  # b"" after a final LF; else an unfinished line
            self._pending = [last] if last else []
        events: list[ServerSentEvent] = []
        data = self._data
        for line in lines:
            if not line:
                if data or self._event is not None:
                    events.append(self._dispatch())
            elif line.startswith(b"data: "):
                data.append(line[6:])
            else:
                self._line(line)
        return events

    @property
    def idle(self) -> bool:
        """Nothing pending: the next read may be a whole event by itself (`whole_json_event`)."""
        return not self._pending and not self._data and self._event is None

    def _split_any(self, buffer: bytes) -> list[bytes]:
        """Lines ended by CR, LF or CRLF; keeps an unfinished line (or a lone CR whose LF
        may come in the next read) pending."""
        lines = buffer.splitlines(keepends=True)
        if lines and (lines[-1].endswith(b"\r") or not lines[-1].endswith(b"\n")):
            self._pending = [lines.pop()]
        else:
            self._pending = []
        return lines

    def flush(self) -> list[ServerSentEvent]:
        """End of input: decode what is left (a last event without its blank line)."""
        events = self.feed(b"\n") if self._pending else []
        if self._data or self._event is not None:
            events.append(self._dispatch())
        return events

    def _line(self, line: bytes) -> None:
        """A line that is not empty (the end of an event)."""
        if line.startswith(b":"):
            return  # a comment, e.g. a keep-alive
        name, sep, value = line.partition(b":")
        if sep and value.startswith(b" "):
            value = value[1:]
        if name == b"data":
            self._data.append(value)
        elif name == b"event":
            self._event = value.decode("utf-8", "replace")
        elif name == b"id":
            if b"\0" not in value:
                self._id = value.decode("utf-8", "replace")
        elif name == b"retry" and value.isdigit():
            self._retry = int(value)

    def _dispatch(self) -> ServerSentEvent:
        data = self._data
        text = (data[0] if len(data) == 1 else b"\n".join(data)).decode("utf-8", "replace")
        event = ServerSentEvent(text, self._event, self._id, self._retry)
        data.clear()  # the same list: feed() holds it
        self._event = None
        return event


def whole_json_event(chunk: bytes) -> bytes | None:
    """The data of `chunk` if it is exactly one event of one `data: {` line, LF-ended, with
    no CR: the read servers send most. It is that event's data only when the decoder that
    reads it is `idle`; the stream loop checks both, and gives any other read to `feed`."""
    if (
        chunk.startswith(b"data: {")
        and chunk.endswith(b"\n\n")
        and chunk.find(b"\n", 7, -2) < 0
        and chunk.find(b"\r") < 0
    ):
        return chunk[6:-2]
    return None
