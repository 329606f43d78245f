"""A fresh process that imports a client, builds it and makes one chat call.

Each program is what a user's script would be, run as `python -I -c PROGRAM ENDPOINT KEY`,
so no harness code is imported in the measured process. The program times its own setup
(import + construction) and first call, and prints its peak RSS (VmHWM) when done; the
parent times the whole process (fork to reap: interpreter start-up and exit included).
Peak RSS is not taken from wait4(): Linux carries the parent's RSS at fork over into the
child's ru_maxrss.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["PROGRAMS", "run_fresh_process", "timed_run"]

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
print(t1 - t0, t2 - t1, open("/proc/self/status").read().split("VmHWM:")[1].split()[0], content)
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
print(t1 - t0, t2 - t1, open("/proc/self/status").read().split("VmHWM:")[1].split()[0], content)
"""

# Raw httpx plus a typed pydantic model of the answer (Azure's filter fields included), with
# no SDK at all: what any client that returns pydantic models pays in a fresh process.
_HTTPX_PYDANTIC = """
import sys, time
t0 = time.perf_counter()
import json
import httpx
from pydantic import BaseModel, ConfigDict

class Model(BaseModel):
    model_config = ConfigDict(extra="allow")

class FilterResult(Model):
    filtered: bool
    severity: str | None = None
    detected: bool | None = None

class FilterResults(Model):
    hate: FilterResult | None = None
    self_harm: FilterResult | None = None
    sexual: FilterResult | None = None
    violence: FilterResult | None = None
    jailbreak: FilterResult | None = None
    profanity: FilterResult | None = None

class PromptFilterResult(Model):
    prompt_index: int
    content_filter_results: FilterResults | None = None

class Message(Model):
    role: str
    content: str | None = None
    refusal: str | None = None

class Choice(Model):
    index: int
    finish_reason: str | None = None
    message: Message
    content_filter_results: FilterResults | None = None

class Usage(Model):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int

class ChatCompletion(Model):
    id: str
    object: str
    created: int
    model: str
    system_fingerprint: str | None = None
    choices: list[Choice]
    usage: Usage | None = None
    prompt_filter_results: list[PromptFilterResult] | None = None

client = httpx.Client(headers={{"api-key": sys.argv[2], "content-type": "application/json"}})
t1 = time.perf_counter()
body = {{"messages": [{{"role": "user", "content": "Say hello."}}], "max_tokens": 16}}
r = client.post(sys.argv[1] + "{path}", content=json.dumps(body).encode())
content = ChatCompletion.model_validate_json(r.content).choices[0].message.content
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, open("/proc/self/status").read().split("VmHWM:")[1].split()[0], content)
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
print(t1 - t0, t2 - t1, open("/proc/self/status").read().split("VmHWM:")[1].split()[0], content)
"""

# The same, with a TLS context whose CA bundle is not loaded (verification stays on): what
# azgate's client holds until its first TLS handshake, so the two are compared like for like.
_HTTPX_PYDANTIC_NO_CA = _HTTPX_PYDANTIC.replace("import httpx\n", "import httpx\nimport ssl\n").replace(
    "httpx.Client(headers=", "httpx.Client(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), headers="
)


# The no-CA reference with azgate's own generated classes of the chat answer in place of
# the hand-written eight: all 31 that `CreateChatCompletionResponse` reaches (logprobs,
# tool calls, audio, On Your Data citations, every filter result), on a base class with
# azgate's model config. What any client that returns the whole typed answer pays, with
# no SDK runtime: azgate against it is the cost of its runtime alone.
_GENERATED_BASE = """
import pydantic
from pydantic_core import core_schema

class BaseModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow", populate_by_name=True, protected_namespaces=(), defer_build=True)

OpenEnum = pydantic.GetPydanticSchema(lambda _source, _handler: core_schema.str_schema())
"""


def _generated_answer_models(model: str) -> str:
    """The source of the generated modules that `model`'s module needs, dependencies first,
    as one program: read from the installed package's files, so the measured process
    imports no azgate code. Their imports of azgate's base and of each other are dropped."""
    # Finding it imports azgate's package modules here, in the harness; the measured
    # process reads the files' text only. (An editable install maps generated/ apart.)
    spec = importlib.util.find_spec("azgate.generated.models")
    assert spec is not None and spec.submodule_search_locations
    package = Path(spec.submodule_search_locations[0])
    index = (package / "__init__.py").read_text(encoding="utf-8")
    match = re.search(rf'"{model}": "(\w+)"', index)
    assert match, f"{model} is not in azgate.generated.models"
    texts: dict[str, str] = {}  # dependencies first

    def visit(module: str) -> None:
        if module in texts:
            return
        text = (package / f"{module}.py").read_text(encoding="utf-8")
        for dependency in re.findall(r"^from \.(\w+) import", text, flags=re.M):
            visit(dependency)
        texts[module] = text

    visit(match.group(1))
    parts = []
    for text in texts.values():
        kept, skipping = [], False
        for line in text.splitlines():
            if line.startswith(("from azgate.", "from .")):
                skipping = line.endswith("(")
            elif skipping:
                skipping = not line.startswith(")")
            else:
                kept.append(line)
        parts.append("\n".join(kept))
    return "\n".join(parts)


def _generated_reference(models: str) -> str:
    program = _HTTPX_PYDANTIC_NO_CA.format(path=_CHAT_PATH)
    start = program.index("from pydantic import BaseModel, ConfigDict\n")
    end = program.index("client = httpx.Client(")
    return (program[:start] + models + "\n" + program[end:]).replace(
        "ChatCompletion.model_validate_json", "CreateChatCompletionResponse.model_validate_json"
    )


def _generated_reference_on_httpcore(models: str) -> str:
    """The generated reference sent with raw httpcore: nothing of httpx imported. azgate
    against it is what httpx and azgate's runtime cost together (bench/TRANSPORT.md)."""
    program = _HTTPCORE.format(path=_CHAT_PATH)
    replacements = {
        "import httpcore\n": "import httpcore\nimport ssl\n" + models + "\n",
        "httpcore.ConnectionPool()": "httpcore.ConnectionPool(ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))",
        'json.loads(r.content)["choices"][0]["message"]["content"]': (
            "CreateChatCompletionResponse.model_validate_json(r.content).choices[0].message.content"
        ),
    }
    for old, new in replacements.items():
        assert program.count(old) == 1, old
        program = program.replace(old, new)
    return program


_CHAT_MODELS = _GENERATED_BASE + _generated_answer_models("CreateChatCompletionResponse")

PROGRAMS = {
    "httpx": _HTTPX.format(module="httpx", path=_CHAT_PATH),
    "httpx2": _HTTPX.format(module="httpx2", path=_CHAT_PATH),
    "httpcore": _HTTPCORE.format(path=_CHAT_PATH),
    "httpx-pydantic": _HTTPX_PYDANTIC.format(path=_CHAT_PATH),
    "httpx-pydantic-no-ca": _HTTPX_PYDANTIC_NO_CA.format(path=_CHAT_PATH),
    "httpx-pydantic-generated": _generated_reference(_CHAT_MODELS),
    "httpcore-pydantic-generated": _generated_reference_on_httpcore(_CHAT_MODELS),
    "openai": _SDK.format(import_line="from openai import AzureOpenAI", construct="AzureOpenAI"),
    "azgate": _SDK.format(import_line="from azgate import Client", construct="Client"),
}


def timed_run(argv: list[str], cwd: str | None = None, preexec: Callable[[], None] | None = None) -> dict[str, Any]:
    """Run a process to its end: wall (fork to reap), CPU (from wait4), exit code, output.
    Output goes to files, so a chatty process cannot block on a full pipe."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, preexec_fn=preexec)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "wall_s": wall,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "returncode": proc.returncode,
            "stdout": out.read().decode(errors="replace"),
            "stderr": err.read().decode(errors="replace"),
        }


def run_fresh_process(
    client: str, endpoint: str, api_key: str, preexec: Callable[[], None] | None = None
) -> dict[str, Any]:
    """Run one client's program once: wall, CPU, peak RSS, and its own setup and first-call times."""
    run = timed_run([sys.executable, "-I", "-c", PROGRAMS[client], endpoint, api_key], preexec=preexec)
    if run["returncode"] != 0:
        raise RuntimeError(f"{client}: fresh process exited {run['returncode']}:\n{run['stderr'][-2000:]}")
    setup_s, call_s, peak_kib, content = run["stdout"].strip().split(" ", 3)
    return {
        "wall_s": run["wall_s"],
        "cpu_s": run["cpu_s"],
        "peak_rss_mib": int(peak_kib) / 1024,
        "setup_s": float(setup_s),
        "first_call_s": float(call_s),
        "content": content,
    }
