"""List operations: a page that iterates every item across pages.

The service pages with cursors: a page says `has_more`, and the next one starts after
`last_id` (or after the last item's `id` where the page has no `last_id`). Iterating a
page yields its items and fetches the following pages as needed, sync or async.

An async list call returns an `AsyncPaginator`, as openai-python's does: awaiting it
gives the first page (`page = await client.files.list()`), iterating it with
`async for` yields every item of every page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

__all__ = ["AsyncPage", "AsyncPaginator", "SyncPage"]

_T = TypeVar("_T")


def next_cursor(page: Any) -> str | None:
    """The `after` value of the page after `page`, or None when it is the last."""
    if not getattr(page, "has_more", False):
        return None
    data = getattr(page, "data", None) or []
    cursor = getattr(page, "last_id", None) or (getattr(data[-1], "id", None) if data else None)
    return cursor if isinstance(cursor, str) and cursor else None


class _PageBase(Generic[_T]):
    def __init__(self, first: Any, can_follow: bool) -> None:
        self.page = first
        """The page as the service sent it (`data`, `has_more`, `first_id`, ...)."""
        self._can_follow = can_follow

    @property
    def data(self) -> list[_T]:
        """The items of this page only; iterate the page for all of them."""
        data: list[_T] = list(getattr(self.page, "data", None) or [])
        return data

    @property
    def has_more(self) -> bool:
        return bool(getattr(self.page, "has_more", False))

    @property
    def _request_id(self) -> str | None:
        """The request id of the response that carried this page."""
        request_id: str | None = getattr(self.page, "_request_id", None)
        return request_id

    def has_next_page(self) -> bool:
        return self._cursor(self.page) is not None

    def _cursor(self, page: Any) -> str | None:
        return next_cursor(page) if self._can_follow else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={self.data!r}, has_more={self.has_more!r})"


class SyncPage(_PageBase[_T]):
    def __init__(self, first: Any, fetch: Callable[[str], Any], can_follow: bool) -> None:
        super().__init__(first, can_follow)
        self._fetch = fetch

    def get_next_page(self) -> SyncPage[_T]:
        cursor = self._cursor(self.page)
        if cursor is None:
            raise RuntimeError("This is the last page: check has_next_page() first.")
        return SyncPage(self._fetch(cursor), self._fetch, self._can_follow)

    def iter_pages(self) -> Iterator[Any]:
        page = self.page
        yield page
        while (cursor := self._cursor(page)) is not None:
            page = self._fetch(cursor)
            yield page

    def __iter__(self) -> Iterator[_T]:
        for page in self.iter_pages():
            yield from getattr(page, "data", None) or []


class AsyncPage(_PageBase[_T]):
    def __init__(self, first: Any, fetch: Callable[[str], Awaitable[Any]], can_follow: bool) -> None:
        super().__init__(first, can_follow)
        self._fetch = fetch

    async def get_next_page(self) -> AsyncPage[_T]:
        cursor = self._cursor(self.page)
        if cursor is None:
            raise RuntimeError("This is the last page: check has_next_page() first.")
        return AsyncPage(await self._fetch(cursor), self._fetch, self._can_follow)

    async def iter_pages(self) -> AsyncIterator[Any]:
        page = self.page
        yield page
        while (cursor := self._cursor(page)) is not None:
            page = await self._fetch(cursor)
            yield page

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in getattr(page, "data", None) or []:
                yield item


class AsyncPaginator(Generic[_T]):
    """The result of an async list call: await it for the first page, or iterate it
    with `async for` for every item. Each await or iteration sends its own request."""

    def __init__(self, first_page: Callable[[], Awaitable[AsyncPage[_T]]]) -> None:
        self._first_page = first_page

    def __await__(self) -> Generator[Any, None, AsyncPage[_T]]:
        return self._first_page().__await__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        page = await self._first_page()
        async for item in page:
            yield item
