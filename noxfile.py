"""Every workflow of the project: `nox -s <session>`.

tests     the test suite, against the built wheel (not the source tree)
lint      ruff on runtime/, generated/, codegen/, tests/, bench/
typecheck mypy --strict on the installed package (runtime + generated)
generate  spec/ -> generated/
regenerate  a new api-version: `nox -s regenerate -- DOC [DOC ...]` (import, generate, changelog)
drift     fail when generated/ is not what spec/ and codegen/ produce, or spec/ is not what
          the published documents produce (../shared/azure-specs; `-- --published DIR|URL`)
docs      the docs site (mkdocs, strict: any warning fails) into site/
demo      the Quick Start against the bundled emulator
bench     issue #11's benchmarks against raw httpx and openai-python (bench/ -> bench/RESULTS.md)
soak      20,000 calls from threads and tasks with mixed faults; the books must balance
"""

from __future__ import annotations

import glob
import os
import shlex

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "typecheck", "drift", "tests", "docs"]

CODEGEN_DEPS = ["datamodel-code-generator==0.89.0", "jinja2>=3.1", "pyyaml>=6", "ruff==0.17.6"]
TEST_DEPS = [
    "pytest>=8",
    "pytest-asyncio>=0.24",
    "hypothesis>=6",
    "openai>=1.40",
    "httpx2",  # http_client= takes httpx2 clients (tests/hardening/test_httpx2_client.py, tests/compat)
    "jsonschema>=4.20",
    "h2>=4",  # tests/hardening/test_http2.py: HTTP/2 through an http_client= built with http2=True
    "hypercorn>=0.16",  # ... against a server that offers it
    "mypy==2.4.1",  # tests/typing runs it over a sample of typed calls
    "opentelemetry-sdk>=1.27",  # tests/telemetry: the in-memory span exporter and metric reader
    # tests/telemetry compares azgate's spans with OpenTelemetry's own OpenAI instrumentation;
    # util-genai is pinned because its later releases dropped a module 2.4b0 imports.
    "opentelemetry-instrumentation-openai-v2==2.4b0",
    "opentelemetry-util-genai==0.4b0",
    *CODEGEN_DEPS,
]


def _install_wheel(session: nox.Session, extras: str = "testing,identity,cli") -> None:
    """Build the wheel and install it, so tests see what users get."""
    dist = session.create_tmp()
    for old in glob.glob(os.path.join(dist, "*.whl")):
        os.remove(old)
    session.install("build")
    session.run("python", "-m", "build", "--wheel", "--outdir", dist, silent=True)
    (wheel,) = glob.glob(os.path.join(dist, "azgate-*.whl"))
    session.install(f"{wheel}[{extras}]")


@nox.session
def tests(session: nox.Session) -> None:
    _install_wheel(session, "testing,identity,progress,cli,redis,yaml,otel")
    session.install(*TEST_DEPS)
    # Run from tests/ against the installed package: the source tree's runtime/ is not azgate.
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff==0.17.6")
    session.run("ruff", "check", "runtime", "generated", "codegen", "tests", "examples", "bench", "noxfile.py")
    session.run("ruff", "format", "--check", "runtime", "generated", "codegen", "bench")


@nox.session
def typecheck(session: nox.Session) -> None:
    _install_wheel(session, "testing,identity,cli,otel")
    session.install("mypy==2.4.1", "pytest>=8", "httpx2")  # http_client= takes httpx2 clients too
    session.run("mypy", "-p", "azgate", "--config-file", "pyproject.toml")


@nox.session
def generate(session: nox.Session) -> None:
    session.install(*CODEGEN_DEPS)
    session.run("python", "-m", "codegen", "generate")


@nox.session
def regenerate(session: nox.Session) -> None:
    if not session.posargs:
        session.error("name the published documents: nox -s regenerate -- path/to/inference.json [authoring.json ...]")
    session.install(*CODEGEN_DEPS)
    session.run("python", "-m", "codegen", "add", *session.posargs)


@nox.session
def drift(session: nox.Session) -> None:
    session.install(*CODEGEN_DEPS)
    session.run("python", "-m", "codegen", "drift", *session.posargs)


DOCS_DEPS = [
    "mkdocs==1.6.1",
    "mkdocs-material==9.8.2",
    "mkdocstrings==1.0.8",
    "mkdocstrings-python==2.0.11",
    "griffelib==2.4.1",
    "ruff==0.17.6",  # mkdocstrings formats the signatures with it
]


@nox.session
def docs(session: nox.Session) -> None:
    """The site from docs/ and the installed package's docstrings (mkdocstrings reads the
    wheel's azgate/, the layout users import), strict: a warning fails the build."""
    _install_wheel(session, extras="testing,identity,progress,cli")
    session.install(*DOCS_DEPS)
    session.run("mkdocs", "build", "--strict", "--clean", *session.posargs, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def demo(session: nox.Session) -> None:
    _install_wheel(session, extras="testing")
    session.run("python", "examples/demo.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Issue #11's benchmarks (bench/): writes bench/RESULTS.md. `nox -s bench -- --quick` is a smoke run;
    `-- --help` lists the options (rounds, a subset of measures, a note on the machine's load)."""
    _install_wheel(session, extras="testing")
    # openai-python 3.x brings httpx2, the transport the harness compares with httpx and httpcore.
    session.install("openai>=3", "httpx2", *CODEGEN_DEPS)
    command = "nox -s bench" + (" -- " + shlex.join(session.posargs) if session.posargs else "")
    session.run("python", "-m", "bench", "--command", command, *session.posargs)


@nox.session
def soak(session: nox.Session) -> None:
    """The long soak and fault run (tests/hardening/soak.py); the test suite runs a short one."""
    _install_wheel(session, extras="testing")
    session.run("python", "tests/hardening/soak.py", "--calls", "20000", "--threads", "50", "--tasks", "200",
                *session.posargs)  # fmt: skip
