"""Every seed feature, run against the bundled Azure OpenAI emulator: chat, streaming, tools,
vision, completions, embeddings, image generation and editing, text-to-speech,
speech-to-text, translation, batch, fine-tuning, typed errors, async with retries.

    pip install nox && nox -s demo

Starts the emulator on 127.0.0.1, then uses azgate exactly as against a real resource.
"""

from __future__ import annotations

import asyncio
import base64
import json

from azgate import AsyncClient, Client
from azgate.batch import run_batch
from azgate.exceptions import NotFoundError, RateLimitError, UnsupportedByApiVersionError
from azgate.fine_tuning import wait_for_fine_tuning
from azgate.testing import Emulator
from azgate.tools import ToolCallAccumulator, parse_arguments, tool_result_message
from azgate.vision import image_part


def sync_demo(endpoint: str, api_key: str) -> None:
    client = Client(
        provider="azure-openai",
        api_key=api_key,
        azure_endpoint=endpoint,  # for a real resource: resource_name="my-resource"
        api_version="2024-10-21",
    )

    print("== chat")
    reply = client.chat.completions.create(
        model="gpt-4",  # the deployment name
        messages=[{"role": "user", "content": "What is Azure OpenAI?"}],
    )
    print(reply.choices[0].message.content)
    filters = reply.prompt_filter_results[0].content_filter_results if reply.prompt_filter_results else None
    print(f"usage: {reply.usage.total_tokens if reply.usage else '?'} tokens")
    if filters is not None and filters.hate is not None and filters.jailbreak is not None:
        print(f"Azure prompt filter: hate={filters.hate.severity}, jailbreak detected={filters.jailbreak.detected}")

    print("\n== stream")
    with client.chat.completions.create(
        model="gpt-4", messages=[{"role": "user", "content": "Stream a short answer"}], stream=True
    ) as stream:
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
                print(chunk.choices[0].delta.content, end="", flush=True)
    print()

    print("\n== tools (streamed calls assembled, results sent back)")
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
    messages: list[dict[str, object]] = [{"role": "user", "content": "Weather in Paris?"}]
    calls = ToolCallAccumulator()
    for chunk in client.chat.completions.create(model="gpt-4", messages=messages, tools=tools, stream=True):
        calls.feed(chunk)
    messages.append(calls.assistant_message())
    for call in calls.tool_calls():
        print(f"call {call.function.name}({parse_arguments(call)})")
        messages.append(tool_result_message(call, {"celsius": 21}))
    print(client.chat.completions.create(model="gpt-4", messages=messages, tools=tools).choices[0].message.content)

    print("\n== vision")
    picture = client.images.generate(model="dall-e-3", prompt="a dot", response_format="b64_json")
    png = base64.b64decode(picture.data[0].b64_json or "")
    content = [{"type": "text", "text": "What is in this picture?"}, image_part(png, detail="low")]
    print(
        client.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": content}])
        .choices[0]
        .message.content
    )

    print("\n== completions")
    completion = client.completions.create(model="gpt-35-turbo", prompt="Say hello", max_tokens=20)
    print(completion.choices[0].text)

    print("\n== embeddings")
    embeddings = client.embeddings.create(model="text-embedding-ada-002", input=["first text", "second text"])
    print(f"{len(embeddings.data)} vectors of {len(embeddings.data[0].embedding)} floats")

    print("\n== images (generate, then edit on 2025-04-01-preview)")
    generated = client.images.generate(model="dall-e-3", prompt="a lighthouse at dusk", size="1024x1024")
    print("url:", generated.data[0].url, "| revised prompt:", generated.data[0].revised_prompt)
    preview = client.with_options(api_version="2025-04-01-preview")
    edited = preview.images.edit(
        model="dall-e-3", image=("dot.png", png, "image/png"), prompt="make it red", response_format="b64_json"
    )
    print("edited image:", len(base64.b64decode(edited.data[0].b64_json or "")), "bytes of PNG")

    print("\n== audio (text-to-speech, speech-to-text, translation)")
    speech = preview.audio.speech.create(model="tts", input="The quick brown fox.", voice="alloy")
    print("speech:", len(speech.content), "bytes of audio")
    transcript = preview.audio.transcriptions.create(model="whisper", file=("fox.mp3", speech.content))
    print("transcription:", transcript if isinstance(transcript, str) else transcript.text)
    srt = preview.audio.transcriptions.create(model="whisper", file=("fox.mp3", speech.content), response_format="srt")
    print("as srt:", str(srt).splitlines()[:3])
    translation = preview.audio.translations.create(model="whisper", file=("hola.mp3", speech.content))
    print("translation:", translation if isinstance(translation, str) else translation.text)

    print("\n== errors")
    try:
        client.chat.completions.create(model="no-such-deployment", messages=[{"role": "user", "content": "hi"}])
    except NotFoundError as exc:
        print(f"NotFoundError: code={exc.code} request_id={exc.request_id}")
    try:
        Client(api_key=api_key, azure_endpoint=endpoint, api_version="2023-05-15").images.generate(
            model="dall-e-3", prompt="a cat"
        )
    except UnsupportedByApiVersionError as exc:
        print(f"UnsupportedByApiVersionError: {exc}")


def jobs_demo(endpoint: str, api_key: str, emulator: Emulator) -> None:
    emulator.store.tick = 0.05  # the emulator's jobs advance a state every 50 ms
    client = Client(api_key=api_key, azure_endpoint=endpoint, api_version="2024-10-21")

    print("\n== batch: three requests, one to a deployment that does not exist")
    requests = [
        {"custom_id": f"q{i}", "model": "gpt-4", "messages": [{"role": "user", "content": q}]}
        for i, q in enumerate(["What is 2+2?", "Name a colour."])
    ]
    requests.append({"custom_id": "bad", "model": "no-such-deployment", "messages": [{"role": "user", "content": "?"}]})
    results = run_batch(client, requests, poll_interval=0.05, progress=False)
    for custom_id, result in results.items():
        print(" ", custom_id, result.completion.choices[0].message.content if result.ok else f"failed: {result.code}")

    print("\n== fine-tuning: upload, create, wait with events")
    lines = [{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}] * 10
    training = client.files.create(
        file=("train.jsonl", "\n".join(map(json.dumps, lines)).encode()), purpose="fine-tune"
    )
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=training.id)
    final = wait_for_fine_tuning(client, job.id, poll_interval=0.05, on_event=lambda e: print("  event:", e.message))
    print("fine-tuned model:", final.fine_tuned_model)


async def async_demo(endpoint: str, api_key: str, emulator: Emulator) -> None:
    print("\n== async, with a rate limit the client retries through")
    emulator.faults.add("rate_limit", times=1, retry_after_ms=200)
    async with AsyncClient(api_key=api_key, azure_endpoint=endpoint, api_version="2024-10-21") as client:
        reply = await client.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": "Hi async"}])
        print(reply.choices[0].message.content)
        emulator.faults.add("rate_limit", times=5, retry_after_ms=10)
        try:
            await client.with_options(max_retries=1).chat.completions.create(
                model="gpt-4", messages=[{"role": "user", "content": "again"}]
            )
        except RateLimitError as exc:
            print(f"RateLimitError after retries: status={exc.status_code} code={exc.code}")
        emulator.faults.clear()


def main() -> None:
    with Emulator() as emulator:
        print(f"Azure OpenAI emulator at {emulator.endpoint}\n")
        sync_demo(emulator.endpoint, emulator.api_key)
        jobs_demo(emulator.endpoint, emulator.api_key, emulator)
        asyncio.run(async_demo(emulator.endpoint, emulator.api_key, emulator))


if __name__ == "__main__":
    main()
