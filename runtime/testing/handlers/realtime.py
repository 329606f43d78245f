"""Realtime sessions and the On Your Data chat extension.

create_realtimeSession / create_transcriptionRealtimeSession mint an ephemeral key
(`client_secret`, valid a minute) and echo the session settings; the emulator has no
realtime WebSocket, so the key opens nothing. ExtensionsChatCompletions_Create answers
as chat does, with the `context` the data sources would add (citations and intent, as
JSON in a tool message, the 2023-12-01-preview shape).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from .._call import Call
from .._responses import JsonReply, Reply
from ._text import now
from .chat import create_chat_completion

__all__ = ["create_extensions_chat", "create_session", "create_transcription_session"]

_KEY_LIFETIME = 60


def _secret() -> dict[str, Any]:
    return {"value": "ek_" + secrets.token_urlsafe(24), "expires_at": now() + _KEY_LIFETIME}


def create_session(call: Call) -> Reply:
    session = {
        "id": "sess_" + secrets.token_hex(12),
        "object": "realtime.session",
        "modalities": ["audio", "text"],
        "voice": "alloy",
        "input_audio_format": "pcm16",
        "output_audio_format": "pcm16",
        "tool_choice": "auto",
        "temperature": 0.8,
        "max_response_output_tokens": "inf",
        **dict(call.body),
        "client_secret": _secret(),
    }
    return JsonReply(session)


def create_transcription_session(call: Call) -> Reply:
    session = {
        "id": "sess_" + secrets.token_hex(12),
        "object": "realtime.transcription_session",
        "modalities": ["audio", "text"],
        "input_audio_format": "pcm16",
        **dict(call.body),
        "client_secret": _secret(),
    }
    return JsonReply(session)


def create_extensions_chat(call: Call) -> Reply:
    reply = create_chat_completion(call)
    if not isinstance(reply, JsonReply):  # a stream: the chunks are chat's own
        return reply
    sources = call.body.get("dataSources") or []
    body = dict(reply.body)
    choices = []
    for choice in body["choices"]:
        message = dict(choice["message"])
        citations = {
            "citations": [
                {"content": f"Document {i} from the {s.get('type', 'data')} source.", "title": f"doc-{i}"}
                for i, s in enumerate(sources)
            ],
            "intent": message.get("content") or "",
        }
        # 2023-12-01-preview's shape: the citations ride in a "tool" message, as JSON text.
        message["context"] = {"messages": [{"role": "tool", "content": json.dumps(citations), "end_turn": False}]}
        choices.append({**choice, "message": message})
    body["choices"] = choices
    return JsonReply(body)
