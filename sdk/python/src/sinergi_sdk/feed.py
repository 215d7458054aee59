"""Following the change feed (``GET /v1/changes``): every change once, in order, resumable.

The feed numbers every committed change with a strictly increasing ``position``. A page
answers ``{"changes": [...], "next": N, "excluded_publishers": [...]}``; asking again with
``after=N`` never misses a change and never repeats one. ``next`` is the last position
returned, or the feed's head when the page was not full (positions up to the head that no
filter matched need not be read again). ``wait`` (0-30 s) holds an empty answer until a
change arrives: long polling without a busy loop.

Changes are yielded as plain dicts, as the API sends them. The generated model for a change
is deliberately not used here: the ``record`` differs by ``type`` (graduation, enrollment,
agreement, referral, follow_up) and new types may appear, which a consumer must skip rather
than fail on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import httpx

from sinergi_api import AuthenticatedClient, Client

from .errors import raise_for_problem

#: What the helpers accept: a generated client (from :func:`~sinergi_sdk.Sinergi`), or an
#: httpx client whose base URL and auth are already set.
AnyClient = AuthenticatedClient | Client | httpx.Client

__all__ = ["ChangeFeed", "feed_head", "follow_changes"]

#: Longest ``wait`` the API accepts.
MAX_WAIT = 30


def _http(client: AnyClient) -> httpx.Client:
    """The httpx client of a generated client, or the httpx client itself."""
    if isinstance(client, httpx.Client):
        return client
    return client.get_httpx_client()


def _csv(values: str | Iterable[str] | None) -> str | None:
    if values is None or isinstance(values, str):
        return values
    return ",".join(values)


class ChangeFeed:
    """An iterator over the change feed from a stored position.

    Iterating yields each change (a dict with ``position``, ``type``, ``action``,
    ``record_id``, ``version``, ``publisher``, ``occurred_at`` and ``record``). :attr:`position`
    is always the ``after`` to resume from: store it after handling a change, and a restart
    with ``follow_changes(client, after=stored)`` neither misses nor repeats anything::

        feed = follow_changes(client, after=store.load(), types=["graduation"],
                              purpose="PEMBERDAYAAN_EKONOMI")
        for change in feed:                 # forever, long-polling when caught up
            if change["type"] != "graduation":
                continue                    # skip what you do not know
            handle(change)
            store.save(feed.position)

    With ``until_caught_up=True`` iteration ends at the feed's head instead (a batch job that
    runs every night); :attr:`position` is then the head, to store for the next run.
    :attr:`excluded_publishers` holds the last page's list of agencies whose changes the feed
    left out and why (no agreement for the declared purpose, no purpose declared).
    """

    def __init__(
        self,
        client: AnyClient,
        *,
        after: int = 0,
        types: str | Iterable[str] | None = None,
        programs: str | Iterable[str] | None = None,
        publishers: str | Iterable[str] | None = None,
        purpose: str | None = None,
        limit: int = 100,
        wait: int = MAX_WAIT,
        until_caught_up: bool = False,
    ) -> None:
        if not 1 <= limit <= 1000:
            raise ValueError("limit must be 1 to 1000")
        if not 0 <= wait <= MAX_WAIT:
            raise ValueError(f"wait must be 0 to {MAX_WAIT} seconds")
        self._http = _http(client)
        self.position = after
        self.excluded_publishers: list[dict[str, Any]] = []
        self._params: dict[str, str | int] = {"limit": limit}
        for name, value in (
            ("types", _csv(types)),
            ("programs", _csv(programs)),
            ("publishers", _csv(publishers)),
        ):
            if value:
                self._params[name] = value
        self._headers = {"Sinergi-Purpose": purpose} if purpose else {}
        self._limit = limit
        self._wait = wait
        self._until_caught_up = until_caught_up

    def fetch_page(self, wait: int = 0) -> dict[str, Any]:
        """One page after :attr:`position`, as the API answers it (does not move the position)."""
        params = {**self._params, "after": self.position, "wait": wait}
        # The read timeout must outlast the server's long poll.
        base = self._http.timeout
        timeout = httpx.Timeout(
            connect=base.connect,
            read=None if base.read is None else base.read + wait,
            write=base.write,
            pool=base.pool,
        )
        response = self._http.get(
            "/v1/changes", params=params, headers=self._headers, timeout=timeout
        )
        raise_for_problem(response)
        page: dict[str, Any] = response.json()
        return page

    def __iter__(self) -> Iterator[dict[str, Any]]:
        # Catch up without waiting; long-poll only once at the head.
        wait = 0
        while True:
            page = self.fetch_page(wait)
            self.excluded_publishers = list(page.get("excluded_publishers") or [])
            changes = page.get("changes") or []
            for change in changes:
                self.position = int(change["position"])
                yield change
            self.position = max(self.position, int(page["next"]))
            if len(changes) < self._limit:
                # Not full: `next` is the head, we are caught up.
                if self._until_caught_up:
                    return
                wait = self._wait
            else:
                wait = 0


def follow_changes(client: AnyClient, **options: Any) -> ChangeFeed:
    """A :class:`ChangeFeed` over ``client`` (a client from :func:`~sinergi_sdk.Sinergi`).

    Options: ``after`` (stored position, default 0: the start of the feed), ``types``,
    ``programs``, ``publishers`` (lists or comma-separated), ``purpose`` (``Sinergi-Purpose``,
    needed to see other agencies' changes), ``limit`` (page size, 1-1000), ``wait`` (long-poll
    seconds at the head, 0-30) and ``until_caught_up``.
    """
    return ChangeFeed(client, **options)


def feed_head(client: AnyClient, *, purpose: str | None = None) -> int:
    """The feed's current head: the ``after`` from which only new changes follow.

    For a consumer that starts "from now" rather than replaying the whole history. The API has
    no call for the head, so this asks for the changes of a program that does not exist (a
    well-formed code no agency uses): the page is empty, and an empty page's ``next`` is the
    head. Any client with ``changes:read`` may ask.
    """
    params: dict[str, str | int] = {"programs": "SINERGI_SDK_NO_SUCH_PROGRAM", "limit": 1}
    headers = {"Sinergi-Purpose": purpose} if purpose else {}
    response = _http(client).get("/v1/changes", params=params, headers=headers)
    raise_for_problem(response)
    return int(response.json()["next"])
