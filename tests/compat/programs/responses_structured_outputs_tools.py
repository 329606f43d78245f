"""The Responses API with a tool made from a pydantic model: the function call's
arguments come back parsed (openai-python's examples/responses/structured_outputs_tools.py)."""

import asyncio
from enum import Enum
from typing import List, Union

from openai import AsyncAzureOpenAI, AzureOpenAI, pydantic_function_tool
from pydantic import BaseModel


class Table(str, Enum):
    orders = "orders"
    customers = "customers"
    products = "products"


class Operator(str, Enum):
    eq = "="
    gt = ">"
    lt = "<"


class DynamicValue(BaseModel):
    column_name: str


class Condition(BaseModel):
    column: str
    operator: Operator
    value: Union[str, int, DynamicValue]


class Query(BaseModel):
    table_name: Table
    columns: List[str]
    conditions: List[Condition]


question = "look up all my orders in november of last year that were fulfilled but not delivered on time"


def main() -> None:
    client = AzureOpenAI()
    response = client.responses.parse(model="gpt-4o", input=question, tools=[pydantic_function_tool(Query)])
    function_call = response.output[0]
    assert function_call.type == "function_call"
    assert isinstance(function_call.parsed_arguments, Query)
    print("table name:", function_call.parsed_arguments.table_name)


async def amain() -> None:
    client = AsyncAzureOpenAI()
    response = await client.responses.parse(model="gpt-4o", input=question, tools=[pydantic_function_tool(Query)])
    assert isinstance(response.output[0].parsed_arguments, Query)
    await client.close()


main()
asyncio.run(amain())
