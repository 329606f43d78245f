"""Speech to a file as it streams, then transcribed and translated back
(openai-python's examples/audio.py, on Azure deployments)."""

import asyncio
import tempfile
from pathlib import Path

from openai import AsyncAzureOpenAI, AzureOpenAI

folder = Path(tempfile.mkdtemp())


def main() -> None:
    client = AzureOpenAI()
    speech_file_path = folder / "speech.mp3"
    with client.audio.speech.with_streaming_response.create(
        model="tts", voice="alloy", input="the quick brown fox jumped over the lazy dogs"
    ) as response:
        response.stream_to_file(speech_file_path)
    assert speech_file_path.stat().st_size > 0

    transcription = client.audio.transcriptions.create(model="whisper", file=speech_file_path)
    print(transcription.text)
    translation = client.audio.translations.create(model="whisper", file=speech_file_path)
    print(translation.text)
    assert transcription.text and translation.text


async def amain() -> None:
    client = AsyncAzureOpenAI()
    speech_file_path = folder / "speech-async.mp3"
    async with client.audio.speech.with_streaming_response.create(
        model="tts", voice="alloy", input="hello there"
    ) as response:
        await response.stream_to_file(speech_file_path)
    transcription = await client.audio.transcriptions.create(model="whisper", file=speech_file_path)
    print(transcription.text)
    assert transcription.text
    await client.close()


main()
asyncio.run(amain())
