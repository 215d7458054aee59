"""Following the change feed of a real server until a freshly published record shows up."""

from __future__ import annotations

import time

import pytest
from _support import graduation

from sinergi_api import AuthenticatedClient
from sinergi_api.api.changes import list_changes
from sinergi_api.api.graduations import publish_graduation
from sinergi_api.models import (
    Agreement,
    AgreementChange,
    Enrollment,
    EnrollmentChange,
    FeedPage,
    FollowUpChange,
    Graduation,
    GraduationChange,
    GraduationInput,
    Referral,
    ReferralChange,
    Signal,
)
from sinergi_sdk import feed_head, follow_changes, unwrap

pytestmark = pytest.mark.live

DEADLINE = 15.0  # seconds; a change is numbered about 0.1 s after its commit


def publish(client: AuthenticatedClient) -> tuple[dict[str, object], Graduation]:
    body = graduation()
    response = publish_graduation.sync_detailed(client=client, body=GraduationInput.from_dict(body))
    return body, unwrap(response, Graduation)


def test_follow_until_the_published_record_shows_up(kemensos: AuthenticatedClient) -> None:
    start = feed_head(kemensos)
    body, created = publish(kemensos)
    feed = follow_changes(kemensos, after=start, types=["graduation"], wait=2)
    began = time.monotonic()
    for change in feed:  # follows forever, long-polling at the head
        assert change["position"] > start
        if change["record_id"] == str(created.id):
            assert change["type"] == "graduation"
            assert change["action"] == "created"
            assert change["version"] == 1
            assert change["publisher"] == "KEMENSOS"
            assert change["record"]["source_record_id"] == body["source_record_id"]
            assert feed.position == change["position"]
            break
        assert time.monotonic() - began < DEADLINE, "the change did not appear"


def test_resume_from_a_stored_position(kemensos: AuthenticatedClient) -> None:
    """Three records, read two changes a page across restarts: each exactly once, in order."""
    stored = feed_head(kemensos)
    ids = [str(publish(kemensos)[1].id) for _ in range(3)]
    seen: list[dict[str, object]] = []
    began = time.monotonic()
    while {c["record_id"] for c in seen} < set(ids):
        assert time.monotonic() - began < DEADLINE, "the changes did not appear"
        # A new feed each time, from the stored position: a consumer that restarted.
        feed = follow_changes(
            kemensos, after=stored, types="graduation", limit=2, until_caught_up=True
        )
        for change in feed:
            seen.append(change)
        stored = feed.position
        time.sleep(0.05)
    ours = [c for c in seen if c["record_id"] in ids]
    assert [c["record_id"] for c in ours] == ids  # in publishing order, none twice
    positions = [c["position"] for c in seen]
    assert positions == sorted(set(positions))


def test_another_agency_follows_under_its_agreement(
    kemensos: AuthenticatedClient, kemendes: AuthenticatedClient
) -> None:
    start = feed_head(kemendes)
    body, created = publish(kemensos)
    feed = follow_changes(
        kemendes, after=start, types=["graduation"], publishers=["KEMENSOS"], wait=2
    )  # the client's default Sinergi-Purpose: PEMBERDAYAAN_EKONOMI
    began = time.monotonic()
    for change in feed:
        if change["record_id"] == str(created.id):
            record = change["record"]
            assert record["household"] == body["household"]
            assert not record.get("member_niks")  # not in the agreement's fields
            break
        assert time.monotonic() - began < DEADLINE, "the change did not appear"


def test_every_change_of_the_demo_feed_parses_into_the_model_of_its_type(
    kemensos: AuthenticatedClient, admin: AuthenticatedClient
) -> None:
    """The generated client's typed models read the whole demo feed as two agencies see it:
    each change becomes the class its `type` names, with its `record` typed too."""
    models = {
        "graduation": (GraduationChange, Graduation),
        "enrollment": (EnrollmentChange, Enrollment),
        "agreement": (AgreementChange, Agreement),
        "referral": (ReferralChange, Referral),
        "follow_up": (FollowUpChange, Signal),
    }
    seen: set[str] = set()
    for client in (kemensos, admin):
        after = 0
        while True:
            answer = list_changes.sync_detailed(
                client=client, after=after, types=",".join(models), limit=1000
            )
            page = unwrap(answer, FeedPage)
            for change in page.changes:
                change_model, record_model = models[change.type_.value]
                assert isinstance(change, change_model)
                assert isinstance(change.record, record_model)
                seen.add(change.type_.value)
            if page.next_ == after:
                break
            after = page.next_
    assert seen == set(models), f"the demo feed showed only {sorted(seen)}"
