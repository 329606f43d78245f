"""Streaming helpers: `client.chat.completions.stream(...)` and `client.responses.stream(...)`.

```python
with client.chat.completions.stream(model="gpt-4o", messages=messages, response_format=Answer) as stream:
    for event in stream:                      # ChatCompletionStreamEvent
        if event.type == "content.delta":
            print(event.delta, end="", flush=True)
        elif event.type == "tool_calls.function.arguments.done":
            print(event.name, event.parsed_arguments)
completion = stream.get_final_completion()    # a ParsedChatCompletion

with client.responses.stream(model="gpt-4o", input="...") as stream:
    for event in stream:                      # ResponseStreamEvent
        if event.type == "response.output_text.delta":
            print(event.delta, end="")
response = stream.get_final_response()        # a ParsedResponse
```

Event names and fields are openai-python's, so a loop written for its stream helpers
runs unchanged. `ChatCompletionStreamState` turns chunks from anywhere
(`create(stream=True)`, a cache) into the same events and final completion.
"""

from ._helpers._chat_events import (
    ChatCompletionStreamEvent,
    ChunkEvent,
    ContentDeltaEvent,
    ContentDoneEvent,
    FunctionToolCallArgumentsDeltaEvent,
    FunctionToolCallArgumentsDoneEvent,
    LogprobsContentDeltaEvent,
    LogprobsContentDoneEvent,
    LogprobsRefusalDeltaEvent,
    LogprobsRefusalDoneEvent,
    RefusalDeltaEvent,
    RefusalDoneEvent,
)
from ._helpers._chat_state import ChatCompletionStreamState
from ._helpers._chat_stream import (
    AsyncChatCompletionStream,
    AsyncChatCompletionStreamManager,
    ChatCompletionStream,
    ChatCompletionStreamManager,
)
from ._helpers._responses_events import (
    ResponseCompletedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
)
from ._helpers._responses_state import ResponseStreamState
from ._helpers._responses_stream import (
    AsyncResponseStream,
    AsyncResponseStreamManager,
    ResponseStream,
    ResponseStreamManager,
)

__all__ = [
    "AsyncChatCompletionStream",
    "AsyncChatCompletionStreamManager",
    "AsyncResponseStream",
    "AsyncResponseStreamManager",
    "ChatCompletionStream",
    "ChatCompletionStreamEvent",
    "ChatCompletionStreamManager",
    "ChatCompletionStreamState",
    "ChunkEvent",
    "ContentDeltaEvent",
    "ContentDoneEvent",
    "FunctionToolCallArgumentsDeltaEvent",
    "FunctionToolCallArgumentsDoneEvent",
    "LogprobsContentDeltaEvent",
    "LogprobsContentDoneEvent",
    "LogprobsRefusalDeltaEvent",
    "LogprobsRefusalDoneEvent",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
    "ResponseCompletedEvent",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseStream",
    "ResponseStreamEvent",
    "ResponseStreamManager",
    "ResponseStreamState",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
]
