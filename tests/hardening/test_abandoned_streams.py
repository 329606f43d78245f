"""#10.1: a stream left by `break` (no `with`, no close) gives its connection back at once.

Before the fix the stream object referred to itself, so abandoned streams were freed by
the garbage collector at an arbitrary moment, and httpcore's close under its pool lock
deadlocked the process after a few hundred streams. The runs below abandon 2,000 streams
in a subprocess with a time limit; one of them turns the collector off, so only reference
counting can give the connections back (the pool holds 1,000: a leak would exhaust it).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import asyncio, gc, sys
    from azgate import AsyncClient, Client
    from azgate.testing import Emulator

    flavour, count, collector = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if collector == "off":
        gc.disable()
    messages = [{"role": "user", "content": "hi"}]
    with Emulator() as emulator:
        settings = dict(api_key=emulator.api_key, azure_endpoint=emulator.endpoint, api_version="2024-10-21",
                        timeout=5, max_retries=0)
        first = 0
        if flavour == "sync":
            with Client(**settings) as client:
                for i in range(count):
                    for chunk in client.chat.completions.create(model="gpt-4", messages=messages, stream=True):
                        first += 1
                        break
                    if i % 3 == 0:  # and some never iterated at all
                        client.chat.completions.create(model="gpt-4", messages=messages, stream=True)
        else:
            async def main():
                nonlocal_first = 0
                async with AsyncClient(**settings) as client:
                    for i in range(count):
                        stream = await client.chat.completions.create(model="gpt-4", messages=messages, stream=True)
                        async for chunk in stream:
                            nonlocal_first += 1
                            break
                        del stream
                        if i % 3 == 0:
                            await client.chat.completions.create(model="gpt-4", messages=messages, stream=True)
                return nonlocal_first
            first = asyncio.run(main())
    print("abandoned", first)
    """
)


@pytest.mark.parametrize("collector", ["on", "off"])
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_thousands_of_abandoned_streams_neither_hang_nor_leak(flavour: str, collector: str) -> None:
    count = 2000
    try:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, flavour, str(count), collector],
            capture_output=True,
            text=True,
            timeout=240,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{flavour}: {count} abandoned streams hung the process")
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["abandoned", str(count)]
