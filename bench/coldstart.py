"""A fresh process that imports a client, builds it and makes one chat call.

Each program is what a user's script would be, run as `python -I -c PROGRAM ENDPOINT KEY`,
so no harness code is imported in the measured process. The program times its own setup
(import + construction) and first call; the parent times the whole process (fork to
reap: interpreter start-up and exit included) and reads its peak RSS from wait4().
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = ["PROGRAMS", "run_fresh_process"]

_CHAT_PATH = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"

_HTTPX = """
import sys, time
t0 = time.perf_counter()
import json
import {module}

client = {module}.Client(headers={{"api-key": sys.argv[2], "content-type": "application/json"}})
t1 = time.perf_counter()
body = {{"messages": [{{"role": "user", "content": "Say hello."}}], "max_tokens": 16}}
r = client.post(sys.argv[1] + "{path}", content=json.dumps(body).encode())
content = json.loads(r.content)["choices"][0]["message"]["content"]
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, content)
"""

_HTTPCORE = """
import sys, time
t0 = time.perf_counter()
import json
import httpcore

pool = httpcore.ConnectionPool()
t1 = time.perf_counter()
body = json.dumps({{"messages": [{{"role": "user", "content": "Say hello."}}], "max_tokens": 16}}).encode()
headers = [(b"host", sys.argv[1].split("://")[1].encode()), (b"api-key", sys.argv[2].encode()),
           (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
r = pool.request("POST", sys.argv[1] + "{path}", headers=headers, content=body)
content = json.loads(r.content)["choices"][0]["message"]["content"]
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, content)
"""

_SDK = """
import sys, time
t0 = time.perf_counter()
{import_line}

client = {construct}(azure_endpoint=sys.argv[1], api_key=sys.argv[2], api_version="2024-10-21")
t1 = time.perf_counter()
r = client.chat.completions.create(model="gpt-4o", messages=[{{"role": "user", "content": "Say hello."}}], max_tokens=16)
content = r.choices[0].message.content
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, content)
"""

PROGRAMS = {
    "httpx": _HTTPX.format(module="httpx", path=_CHAT_PATH),
    "httpx2": _HTTPX.format(module="httpx2", path=_CHAT_PATH),
    "httpcore": _HTTPCORE.format(path=_CHAT_PATH),
    "openai": _SDK.format(import_line="from openai import AzureOpenAI", construct="AzureOpenAI"),
    "azgate": _SDK.format(import_line="from azgate import Client", construct='Client'),
}


def run_fresh_process(
    client: str, endpoint: str, api_key: str, preexec: Callable[[], None] | None = None
) -> dict[str, Any]:
    """Run one client's program once; its wall time, CPU, peak RSS, setup and first call."""
    argv = [sys.executable, "-I", "-c", PROGRAMS[client], endpoint, api_key]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=preexec)
    _, status, usage = os.wait4(proc.pid, 0)  # the output is a line: it cannot fill the pipe
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()  # type: ignore[union-attr]
    proc.stdout.close()  # type: ignore[union-attr]
    proc.stderr.close()  # type: ignore[union-attr]
    if proc.returncode != 0:
        raise RuntimeError(f"{client}: fresh process exited {proc.returncode}:\n{err[-2000:]}")
    setup_s, call_s, content = out.strip().split(" ", 2)
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "setup_s": float(setup_s),
        "first_call_s": float(call_s),
        "content": content,
    }
