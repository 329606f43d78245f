"""Cursor rules of list pages (the over-HTTP iteration is tested per family in tests/operations)."""

from __future__ import annotations

from types import SimpleNamespace as Page

from azgate._core._pagination import SyncPage, next_cursor


def test_no_next_page_without_has_more() -> None:
    assert next_cursor(Page(has_more=False, data=[Page(id="a")], last_id="a")) is None


def test_last_id_wins_over_the_last_item() -> None:
    assert next_cursor(Page(has_more=True, data=[Page(id="a"), Page(id="b")], last_id="z")) == "z"


def test_last_item_id_when_the_page_has_no_last_id() -> None:
    assert next_cursor(Page(has_more=True, data=[Page(id="a"), Page(id="b")])) == "b"


def test_iteration_follows_cursors_only_when_the_version_can() -> None:
    pages = {None: Page(has_more=True, data=[Page(id="a")]), "a": Page(has_more=False, data=[Page(id="b")])}
    calls: list[str] = []

    def fetch(after: str) -> Page:
        calls.append(after)
        return pages[after]

    assert [item.id for item in SyncPage(pages[None], fetch, can_follow=True)] == ["a", "b"]
    assert calls == ["a"]
    assert [item.id for item in SyncPage(pages[None], fetch, can_follow=False)] == ["a"]
