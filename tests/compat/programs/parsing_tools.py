"""A strict function tool from a pydantic model; the call's arguments come back as an
instance of it (openai-python's examples/parsing_tools.py)."""

import asyncio
from enum import Enum
from typing import List, Union

from openai import AsyncAzureOpenAI, AzureOpenAI, pydantic_function_tool
from pydantic import BaseModel


class Table(str, Enum):
    orders = "orders"
    customers = "customers"
    products = "products"


class Column(str, Enum):
    id = "id"
    status = "status"
    expected_delivery_date = "expected_delivery_date"
    delivered_at = "delivered_at"
    shipped_at = "shipped_at"
    ordered_at = "ordered_at"
    canceled_at = "canceled_at"


class Operator(str, Enum):
    eq = "="
    gt = ">"
    lt = "<"
    le = "<="
    ge = ">="
    ne = "!="


class OrderBy(str, Enum):
    asc = "asc"
    desc = "desc"


class DynamicValue(BaseModel):
    column_name: str


class Condition(BaseModel):
    column: str
    operator: Operator
    value: Union[str, int, DynamicValue]


class Query(BaseModel):
    table_name: Table
    columns: List[Column]
    conditions: List[Condition]
    order_by: OrderBy


messages = [
    {"role": "system", "content": "You help users query their data. Call the query function."},
    {
        "role": "user",
        "content": "look up all my orders in may of last year that were fulfilled but not delivered on time",
    },
]


def main() -> None:
    client = AzureOpenAI()
    completion = client.chat.completions.parse(model="gpt-4o", messages=messages, tools=[pydantic_function_tool(Query)])
    tool_call = (completion.choices[0].message.tool_calls or [])[0]
    print(tool_call.function.name, tool_call.function.parsed_arguments)
    assert isinstance(tool_call.function.parsed_arguments, Query)
    assert tool_call.function.parsed_arguments.table_name in list(Table)


async def amain() -> None:
    client = AsyncAzureOpenAI()
    completion = await client.chat.completions.parse(
        model="gpt-4o", messages=messages, tools=[pydantic_function_tool(Query, name="query")]
    )
    tool_call = completion.choices[0].message.tool_calls[0]
    assert tool_call.function.name == "query" and isinstance(tool_call.function.parsed_arguments, Query)
    await client.close()


main()
asyncio.run(amain())
