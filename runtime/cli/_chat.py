"""`azgate chat` and `azgate embed`."""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.table import Table

from .. import NOT_GIVEN
from ._exit import CliError
from ._output import emit_json, out_console
from ._settings import ClientFlags, client_options, json_option

__all__ = ["COMMANDS"]


def _read_prompt(prompt: str | None) -> str:
    """The prompt argument; "-" or none at all with a pipe reads stdin."""
    piped = prompt == "-" or (prompt is None and not sys.stdin.isatty())
    text = sys.stdin.read().rstrip("\n") if piped else prompt or ""
    if not text.strip():
        raise CliError('chat needs a prompt: azgate chat "your question" (or pipe one in)')
    return text


@click.command()
@click.argument("prompt", required=False)
@click.option("--system", "-s", help="A system message before the prompt.")
@click.option("--stream", is_flag=True, help="Print the reply as it is generated.")
@click.option("--max-tokens", type=click.IntRange(min=1), help="Most tokens to generate.")
@click.option("--temperature", type=click.FloatRange(0, 2), help="Sampling temperature, 0 to 2.")
@json_option
@client_options
def chat(
    prompt: str | None,
    system: str | None,
    stream: bool,
    max_tokens: int | None,
    temperature: float | None,
    as_json: bool,
    flags: ClientFlags,
) -> None:
    """Send PROMPT to a chat deployment and print the reply ("-": read stdin).

    --json prints the whole response (with --stream: one JSON chunk per line).
    """
    text = _read_prompt(prompt)
    deployment = flags.model("chat")
    messages: list[dict[str, Any]] = []
    if system:
        messages.append({"role": "system", "content": system})
    messages.append({"role": "user", "content": text})
    options: dict[str, Any] = {
        "max_tokens": max_tokens if max_tokens is not None else NOT_GIVEN,
        "temperature": temperature if temperature is not None else NOT_GIVEN,
    }
    with flags.client() as client:
        if not stream:
            reply = client.chat.completions.create(model=deployment, messages=messages, **options)
            if as_json:
                emit_json(reply)
            else:
                choice = reply.choices[0] if reply.choices else None
                content = choice.message.content if choice is not None and choice.message is not None else None
                click.echo(content or "")
            return
        chunks = client.chat.completions.create(model=deployment, messages=messages, stream=True, **options)
        shown_metadata = 0
        for chunk in chunks:
            if as_json:
                # A script sees every event the service sent, Azure's filter-only chunk included,
                # in the order it came (the stream keeps those aside instead of yielding them).
                for event in chunks.metadata_events[shown_metadata:]:
                    emit_json(event, lines=True)
                shown_metadata = len(chunks.metadata_events)
                emit_json(chunk, lines=True)
                continue
            for choice in chunk.choices or []:
                if choice.index == 0 and choice.delta is not None and choice.delta.content:
                    click.echo(choice.delta.content, nl=False)
        if as_json:
            for event in chunks.metadata_events[shown_metadata:]:
                emit_json(event, lines=True)
        else:
            click.echo()


@click.command()
@click.argument("texts", nargs=-1, required=True)
@click.option("--dimensions", type=click.IntRange(min=1), help="Fewer dimensions (text-embedding-3 models).")
@json_option
@client_options
def embed(texts: tuple[str, ...], dimensions: int | None, as_json: bool, flags: ClientFlags) -> None:
    """Embed each TEXT; print a summary per text (--json: the vectors)."""
    deployment = flags.model("embed")
    with flags.client() as client:
        result = client.embeddings.create(
            model=deployment,
            input=list(texts),
            dimensions=dimensions if dimensions is not None else NOT_GIVEN,
        )
    if as_json:
        emit_json(result)
        return
    table = Table("#", "text", "dimensions", "first values", box=None, pad_edge=False)
    for item in result.data or []:
        vector = item.embedding if isinstance(item.embedding, list) else []
        source = texts[item.index] if 0 <= item.index < len(texts) else ""
        shown = ", ".join(f"{v:.4f}" for v in vector[:4]) + (", ..." if len(vector) > 4 else "")
        table.add_row(str(item.index), _clip(source, 40), str(len(vector)), shown)
    out_console().print(table)
    usage = result.usage
    if usage is not None and usage.prompt_tokens is not None:
        out_console().print(f"{usage.prompt_tokens} prompt tokens", markup=False)


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


COMMANDS = [chat, embed]
