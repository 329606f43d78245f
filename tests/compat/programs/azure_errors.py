"""Azure's errors handled the way openai-python code handles them: the typed exception,
its `code`, `param`, `type` and `status_code`, the error object in `body` (the content
filter's verdict in its `innererror`), and the whole answer in `response`. The emulator
refuses a prompt containing "[azgate:filter]" as Azure's content filter does."""

import asyncio

from openai import APIError, AsyncAzureOpenAI, AzureOpenAI, BadRequestError, NotFoundError

filtered = [{"role": "user", "content": "Tell me something [azgate:filter] dangerous."}]
hello = [{"role": "user", "content": "Hello"}]


def check_filtered(error: BadRequestError) -> None:
    assert error.status_code == 400 and error.code == "content_filter", (error.status_code, error.code)
    assert error.param == "prompt" and error.type is None, (error.param, error.type)
    verdict = error.body["innererror"]["content_filter_result"]
    print("filtered:", sorted(category for category, result in verdict.items() if result["filtered"]))
    whole = error.response.json()
    assert whole["error"]["code"] == "content_filter"
    assert error.request_id is not None or error.response.headers.get("apim-request-id")


def main() -> None:
    client = AzureOpenAI(max_retries=0)
    try:
        client.chat.completions.create(model="gpt-4o", messages=filtered)
    except BadRequestError as error:
        check_filtered(error)
    else:
        raise AssertionError("the content filter refused nothing")

    try:
        client.chat.completions.create(model="no-such-deployment", messages=hello)
    except NotFoundError as error:
        assert error.code == "DeploymentNotFound", error.code
        assert isinstance(error.body, dict) and error.body["message"], error.body
    except APIError as error:
        raise AssertionError(f"a missing deployment is a 404: {error!r}") from error


async def amain() -> None:
    client = AsyncAzureOpenAI(max_retries=0)
    try:
        await client.chat.completions.create(model="gpt-4o", messages=filtered)
    except BadRequestError as error:
        check_filtered(error)
    else:
        raise AssertionError("the content filter refused nothing")


main()
asyncio.run(amain())
