"""Property tests: whatever goes in, the settings resolver and the SSE decoder end in a
result or an azgate exception, never another type, never a hang, never a secret in the
message. (The URL builder's property test is in test_path_safety.py.)"""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest
from azgate import AzgateError
from azgate._core._options import SECRET_SETTINGS, resolve_options
from azgate._core._settings import SETTING_NAMES
from azgate._core._sse import ServerSentEvent, SSEDecoder, whole_json_event
from azgate._core._timeout_class import Timeout
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SECRET = "hypothesis-secret-0123456789"

_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "https://my-resource.openai.azure.com",
            "http://127.evil.example",
            "http://127.0.0.1:8080",
            "https://u:p@x.openai.azure.com",
            "https://x.openai.azure.com/?q=1",
            "2024-10-21",
            "v1",
            "openai",
            "azure-openai",
            "my-resource",
            "evil?",
            "..",
            "entra",
            "managed",
        ]
    ),
    st.dictionaries(
        st.one_of(st.text(max_size=8), st.integers()), st.one_of(st.text(max_size=8), st.integers()), max_size=3
    ),
    st.builds(Timeout, st.floats(min_value=0.1, max_value=100), total=st.one_of(st.none(), st.floats(0.1, 100))),
    st.builds(httpx.Timeout, st.one_of(st.none(), st.floats(allow_nan=True))),
    st.just(lambda: SECRET),
)
_names = st.one_of(st.sampled_from(sorted(SETTING_NAMES - SECRET_SETTINGS)), st.text(max_size=12))
_secrets = st.dictionaries(
    st.sampled_from(sorted(SECRET_SETTINGS)),
    st.sampled_from([SECRET, f"{SECRET}\n", f"é{SECRET}", f"{SECRET[:9]}\r\n{SECRET[9:]}", "", " ", None, 5]),
)


@pytest.fixture(autouse=True)
def _no_env(no_env: None) -> None:
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(general=st.dictionaries(_names, _values, max_size=8), secrets=_secrets, asynchronous=st.booleans())
def test_the_settings_resolver_returns_options_or_an_azgate_error(
    general: dict[str, Any], secrets: dict[str, Any], asynchronous: bool
) -> None:
    """Secret settings get secret values (the message must not show them, in part or
    whole); the other settings get anything, a misspelt name included."""
    raw = {**general, **secrets}
    try:
        options = resolve_options(raw, asynchronous=asynchronous)
    except AzgateError as exc:
        assert SECRET[:9] not in str(exc) and SECRET[9:] not in str(exc)
        return
    assert SECRET not in repr(options)
    assert options.max_retries >= 0
    for value in options.timeout.as_dict().values():
        assert value is None or (math.isfinite(value) and value > 0)
    if options.unconfigured is None and options.config is None:  # a routed client calls its targets
        url = httpx.URL(options.base_url)  # a URL httpx accepts
        assert url.scheme == "https" or url.host in ("127.0.0.1", "localhost", "::1") or url.host.startswith("127.")
        assert not url.query and not url.fragment and not url.userinfo


@settings(max_examples=600, deadline=None)
@given(chunks=st.lists(st.binary(max_size=200), max_size=20))
def test_the_sse_decoder_never_raises_on_any_bytes(chunks: list[bytes]) -> None:
    decoder = SSEDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)] + decoder.flush()
    assert all(isinstance(e, ServerSentEvent) and isinstance(e.data, str) for e in events)


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.sampled_from([b"data", b"event", b"id", b"retry", b":", b"other"]), st.binary(max_size=60)),
        max_size=30,
    ),
    cut=st.integers(min_value=1, max_value=50),
)
def test_the_sse_decoder_gives_the_same_events_however_bytes_arrive(lines: list[tuple[bytes, bytes]], cut: int) -> None:
    body = b"".join(name + b": " + value.replace(b"\n", b"").replace(b"\r", b"") + b"\n" for name, value in lines)
    whole = SSEDecoder()
    expected = whole.feed(body) + whole.flush()
    split = SSEDecoder()
    got = [e for i in range(0, len(body), cut) for e in split.feed(body[i : i + cut])] + split.flush()
    assert got == expected


@settings(max_examples=600, deadline=None)
@given(
    prefix=st.lists(st.binary(max_size=40), max_size=3),
    chunk=st.one_of(
        st.binary(max_size=80),
        st.builds(lambda b: b"data: {" + b + b"\n\n", st.binary(max_size=60)),
        st.builds(lambda a, b: b"data: {" + a + b"\r" + b + b"\n\n", st.binary(max_size=20), st.binary(max_size=20)),
        st.builds(lambda a, b: b"data: {" + a + b"\n" + b + b"\n\n", st.binary(max_size=20), st.binary(max_size=20)),
    ),
)
def test_the_whole_event_shortcut_agrees_with_the_decoder(prefix: list[bytes], chunk: bytes) -> None:
    """`whole_json_event` on an `idle` decoder (the stream loop's shortcut) takes a read
    only when decoding it would give exactly one event with that data."""
    decoder = SSEDecoder()
    for part in prefix:
        decoder.feed(part)
    data = whole_json_event(chunk) if decoder.idle else None
    events = decoder.feed(chunk)
    if data is not None:
        assert [e.data for e in events] == [data.decode("utf-8", "replace")]
        assert events[0].event is None and decoder.flush() == []  # nothing left behind either


_CHUNK = b'{"id":"c","object":"chat.completion.chunk","created":1,"choices":[{"index":0,"delta":{"content":"hi"}}]}'


@settings(max_examples=300, deadline=None)
@given(
    reads=st.lists(
        st.one_of(
            st.just(b"data: " + _CHUNK + b"\n\n"),
            st.just(b'data: {"id":"c","object":"x","created":1,"choices":[],"prompt_filter_results":[]}\n\n'),
            st.just(b'data: {"id":"c","object":"x","created":"soon","choices":[{"index":0,"delta":{}}]}\n\n'),
            st.just(b"data: [DONE]\n\n"),
            st.just(b": keep-alive\n\n"),
            st.just(b"data: " + _CHUNK[:40]),
            st.just(_CHUNK[40:] + b"\n\n"),
            st.just(b"data: " + _CHUNK + b"\r\n\r\n"),
            st.just(b"event: note\n"),
            st.binary(max_size=30),
        ),
        max_size=12,
    )
)
def test_a_stream_yields_what_decoding_every_read_yields(reads: list[bytes]) -> None:
    """The stream loop (with its whole-event shortcut) yields, and raises, exactly what
    decoding every read and parsing event by event does."""
    from azgate._core._streaming import Stream, _EventReader
    from azgate.generated.models import CreateChatCompletionStreamResponse as Chunk

    def outcome(events: Any) -> tuple[list[Any], str | None]:
        got: list[Any] = []
        try:
            for item in events:
                got.append(item.to_dict())
        except AzgateError as exc:
            return got, type(exc).__name__
        return got, None

    request = httpx.Request("POST", "http://127.0.0.1/chat")

    def response() -> httpx.Response:
        return httpx.Response(200, content=iter(reads), request=request)

    reader = _EventReader(response(), Chunk, False)

    def by_decoding() -> Any:
        for read in reads:
            yield from reader.items(read)
        for event in reader.decoder.flush():
            if (last := reader.parse(event)) is not None:
                yield last
        if not reader.done:
            raise reader.incomplete()

    stream = Stream(response(), Chunk)
    assert outcome(stream) == outcome(by_decoding())
    assert [m.to_dict() for m in stream.metadata_events] == [m.to_dict() for m in reader.metadata_events]


def test_a_long_line_in_small_reads_decodes_once() -> None:
    """A 20 MB line in 4 KB reads (quadratic joining took seconds; see SECURITY.md's figures)."""
    payload = b"x" * (20 * 1024 * 1024)
    body = b"data: " + payload + b"\n\n"
    decoder = SSEDecoder()
    events = [e for i in range(0, len(body), 4096) for e in decoder.feed(body[i : i + 4096])]
    assert len(events) == 1 and len(events[0].data) == len(payload)
