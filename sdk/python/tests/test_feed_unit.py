"""The change feed's paging rules against a fake feed: positions, caught-up, long polling."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sinergi_sdk import ChangeFeed, feed_head, follow_changes


class FakeFeed:
    """Positions 1..head; every third is an enrollment the filter leaves out."""

    def __init__(self, head: int) -> None:
        self.head = head
        self.requests: list[dict[str, str]] = []
        self.headers: list[httpx.Headers] = []

    def change(self, position: int) -> dict[str, Any]:
        return {"position": position, "type": "graduation", "action": "created", "record": {}}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.requests.append(params)
        self.headers.append(request.headers)
        after, limit = int(params["after"]), int(params["limit"])
        matching = [p for p in range(after + 1, self.head + 1) if p % 3 != 0]
        page = matching[:limit]
        full = len(page) == limit
        body = {
            "changes": [self.change(p) for p in page],
            "next": page[-1] if full else self.head,
            "excluded_publishers": [{"agency": "KEMENKOP", "reason": "purpose-missing"}],
        }
        return httpx.Response(200, json=body)


def client_for(feed: FakeFeed) -> httpx.Client:
    return httpx.Client(base_url="https://sinergi.test", transport=httpx.MockTransport(feed))


def test_pages_until_caught_up_and_position_is_the_head() -> None:
    feed = FakeFeed(head=20)
    changes = follow_changes(
        client_for(feed),
        after=0,
        limit=4,
        until_caught_up=True,
        types=["graduation"],
        purpose="AUDIT",
    )
    positions = [c["position"] for c in changes]
    assert positions == [p for p in range(1, 21) if p % 3 != 0]  # each once, in order
    assert changes.position == 20  # the head, though 18 was the last one matching
    assert changes.excluded_publishers == [{"agency": "KEMENKOP", "reason": "purpose-missing"}]
    assert all(r["wait"] == "0" for r in feed.requests)  # catching up never waits
    assert feed.requests[0]["types"] == "graduation"
    assert feed.headers[0]["sinergi-purpose"] == "AUDIT"


def test_resuming_from_a_stored_position_neither_misses_nor_repeats() -> None:
    feed = FakeFeed(head=30)
    client = client_for(feed)
    first = follow_changes(client, limit=5, until_caught_up=True)
    seen: list[int] = []
    stored = 0
    for change in first:
        seen.append(change["position"])
        stored = first.position
        if len(seen) == 7:
            break  # the consumer stops (crash, deploy) after handling 7 changes
    again = follow_changes(client, after=stored, limit=5, until_caught_up=True)
    seen += [c["position"] for c in again]
    assert seen == [p for p in range(1, 31) if p % 3 != 0]


def test_at_the_head_it_long_polls() -> None:
    feed = FakeFeed(head=4)
    changes = iter(ChangeFeed(client_for(feed), limit=10, wait=25))
    assert [next(changes)["position"] for _ in range(3)] == [1, 2, 4]
    feed.head = 5  # a change arrives while the consumer waits
    assert next(changes)["position"] == 5
    assert [r["wait"] for r in feed.requests] == ["0", "25"]
    assert feed.requests[1]["after"] == "4"


def test_head() -> None:
    asked: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(dict(request.url.params))
        return httpx.Response(200, json={"changes": [], "next": 4257, "excluded_publishers": []})

    client = httpx.Client(base_url="https://sinergi.test", transport=httpx.MockTransport(handler))
    assert feed_head(client) == 4257
    assert asked == [{"programs": "SINERGI_SDK_NO_SUCH_PROGRAM", "limit": "1"}]


def test_option_checks() -> None:
    with pytest.raises(ValueError):
        ChangeFeed(httpx.Client(), limit=0)
    with pytest.raises(ValueError):
        ChangeFeed(httpx.Client(), wait=31)
