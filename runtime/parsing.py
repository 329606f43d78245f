"""Structured outputs: the types `parse()` returns and the tools it reads back.

```python
from pydantic import BaseModel
from azgate import Client, pydantic_function_tool

class Answer(BaseModel):
    city: str
    population: int

completion = client.chat.completions.parse(model="gpt-4o", messages=messages, response_format=Answer)
answer = completion.choices[0].message.parsed        # an Answer, or None on a refusal
refusal = completion.choices[0].message.refusal

response = client.responses.parse(model="gpt-4o", input="...", text_format=Answer)
response.output_parsed                               # an Answer
```

A class given as `response_format` (chat) or `text_format` (Responses) is sent as a
strict json_schema format (`to_strict_json_schema`, as openai-python builds it). Tools
made with `pydantic_function_tool(Model)`, or any function tool with `"strict": true`,
come back with `parsed_arguments`. A choice cut at the token limit raises
`azgate.exceptions.LengthFinishReasonError`; one the content filter stopped,
`ContentFilterFinishReasonError`. Streams of the same: `azgate.streaming`.
"""

from ._helpers._parsed import (
    ParsedChatCompletion,
    ParsedChatCompletionMessage,
    ParsedChoice,
    ParsedFunction,
    ParsedFunctionToolCall,
    ParsedResponse,
    ParsedResponseFunctionToolCall,
    ParsedResponseOutputMessage,
    ParsedResponseOutputText,
)
from ._helpers._schema import to_strict_json_schema
from ._helpers._tools import pydantic_function_tool

__all__ = [
    "ParsedChatCompletion",
    "ParsedChatCompletionMessage",
    "ParsedChoice",
    "ParsedFunction",
    "ParsedFunctionToolCall",
    "ParsedResponse",
    "ParsedResponseFunctionToolCall",
    "ParsedResponseOutputMessage",
    "ParsedResponseOutputText",
    "pydantic_function_tool",
    "to_strict_json_schema",
]
