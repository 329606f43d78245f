"""List operations: a page that iterates every item across pages.

The service pages with cursors: a page says `has_more`, and the next one starts after
`last_id` (or after the last item's `id` where the page has no `last_id`). Iterating a
page yields its items and fetches the following pages as needed, sync or async.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar

__all__ = ["AsyncPage", "SyncPage"]

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
        """The first page as the service sent it (`data`, `has_more`, `first_id`, ...)."""
        self._can_follow = can_follow

    @property
    def data(self) -> list[_T]:
        """The items of the first page only; iterate the page for all of them."""
        data: list[_T] = list(getattr(self.page, "data", None) or [])
        return data

    @property
    def has_more(self) -> bool:
        return bool(getattr(self.page, "has_more", False))

    def _cursor(self, page: Any) -> str | None:
        return next_cursor(page) if self._can_follow else None


class SyncPage(_PageBase[_T]):
    def __init__(self, first: Any, fetch: Callable[[str], Any], can_follow: bool) -> None:
        super().__init__(first, can_follow)
        self._fetch = fetch

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
