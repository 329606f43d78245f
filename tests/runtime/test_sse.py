"""The SSE decoder: framing rules, and the same events however the bytes are split."""

from __future__ import annotations

from azgate._core._sse import ServerSentEvent, SSEDecoder
from hypothesis import given
from hypothesis import strategies as st


def decode(*chunks: bytes) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events = [e for chunk in chunks for e in decoder.feed(chunk)]
    return events + decoder.flush()


def test_data_lines_event_id_retry_and_comments() -> None:
    events = decode(b': keep-alive\nevent: delta\nid: 7\nretry: 100\ndata: {"a":\ndata: 1}\n\ndata:[DONE]\n\n')
    assert events == [ServerSentEvent('{"a":\n1}', "delta", "7", 100), ServerSentEvent("[DONE]", None, "7", 100)]


def test_crlf_and_cr_line_endings() -> None:
    assert [e.data for e in decode(b"data: a\r\n\r\ndata: b\r\rdata: c\n\n")] == ["a", "b", "c"]


def test_cr_then_lf_split_across_reads_is_one_line_break() -> None:
    assert [e.data for e in decode(b"data: a\r", b"\n\r", b"\ndata: b\n\n")] == ["a", "b"]


def test_last_event_without_blank_line_is_flushed() -> None:
    assert [e.data for e in decode(b"data: tail")] == ["tail"]


def test_utf8_split_inside_a_character() -> None:
    body = "data: héllo ✓\n\n".encode()
    assert [e.data for e in decode(body[:8], body[8:9], body[9:])] == ["héllo ✓"]


@given(
    payloads=st.lists(
        st.text(alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]), max_size=40),
        min_size=1,
        max_size=8,
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=10),
    newline=st.sampled_from([b"\n", b"\r\n", b"\r"]),
)
def test_any_split_gives_the_same_events(payloads: list[str], cuts: list[int], newline: bytes) -> None:
    body = b"".join(b"data: " + p.encode() + newline + newline for p in payloads)
    points = sorted({min(c, len(body)) for c in cuts})
    chunks = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
    assert [e.data for e in decode(*chunks)] == payloads
