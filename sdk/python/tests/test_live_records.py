"""Publishing and reading records, and what a refused record looks like."""

from __future__ import annotations

import pytest
from _support import graduation, random_kk, random_nik, unique_id

from sinergi_api import AuthenticatedClient
from sinergi_api.api.graduations import (
    get_graduation,
    publish_graduation,
    publish_graduation_batch,
    search_graduations,
)
from sinergi_api.models import Graduation, GraduationBatch, GraduationInput, GraduationPage
from sinergi_sdk import SinergiError, unwrap

pytestmark = pytest.mark.live


def publish(client: AuthenticatedClient, body: dict[str, object]) -> Graduation:
    response = publish_graduation.sync_detailed(client=client, body=GraduationInput.from_dict(body))
    return unwrap(response, Graduation)


def test_publish_and_search_back(kemensos: AuthenticatedClient) -> None:
    body = graduation()
    response = publish_graduation.sync_detailed(
        client=kemensos, body=GraduationInput.from_dict(body)
    )
    created = unwrap(response, Graduation)
    assert response.status_code == 201
    assert response.headers["sinergi-result"] == "created"
    assert (created.publisher, created.version) == ("KEMENSOS", 1)

    again = publish_graduation.sync_detailed(client=kemensos, body=GraduationInput.from_dict(body))
    assert again.status_code == 200
    assert again.headers["sinergi-result"] == "unchanged"
    assert unwrap(again, Graduation).version == 1

    head_nik = body["household"]["head_nik"]  # type: ignore[index]
    member_nik = body["member_niks"][0]  # type: ignore[index]
    for nik in (head_nik, member_nik):  # a member's NIK finds the family too
        page = unwrap(search_graduations.sync_detailed(client=kemensos, nik=nik), GraduationPage)
        assert [g.id for g in page.items if g.source_record_id == body["source_record_id"]] == [
            created.id
        ]

    fetched = unwrap(get_graduation.sync_detailed(created.id, client=kemensos), Graduation)
    assert fetched.to_dict()["household"] == body["household"]


def test_another_agency_reads_under_its_agreement(
    kemensos: AuthenticatedClient, kemendes: AuthenticatedClient
) -> None:
    """Kemendes (purpose PEMBERDAYAAN_EKONOMI) sees the family, but not the member NIKs."""
    body = graduation()
    created = publish(kemensos, body)
    nik = body["household"]["head_nik"]  # type: ignore[index]
    page = unwrap(search_graduations.sync_detailed(client=kemendes, nik=nik), GraduationPage)
    seen = [g.to_dict() for g in page.items if g.id == created.id]
    assert len(seen) == 1
    assert seen[0]["household"] == body["household"]
    assert not seen[0].get("member_niks")

    # Without a purpose code only its own records are searched, and the answer says so.
    page = unwrap(
        search_graduations.sync_detailed(client=kemendes, nik=nik, sinergi_purpose=""),
        GraduationPage,
    )
    assert created.id not in {g.id for g in page.items}
    assert "KEMENSOS" in {e.agency for e in page.excluded_publishers}


def test_bad_records_list_every_invalid_field(kemensos: AuthenticatedClient) -> None:
    """An atomic batch is refused with one error per bad item, each pointing into the batch."""
    bad_kk = graduation(household={"kk": "320101230815000", "head_nik": random_nik()})
    bad_decile = graduation(welfare_decile=11)
    bad_nik = graduation(household={"kk": random_kk(), "head_nik": "3201013207850003"})
    good = graduation()
    batch = GraduationBatch.from_dict({"items": [bad_kk, good, bad_decile, bad_nik]})
    with pytest.raises(SinergiError) as refused:
        unwrap(publish_graduation_batch.sync_detailed(client=kemensos, body=batch, atomic=True))
    error = refused.value
    assert error.status == 400
    assert error.type == "urn:sinergi:problem:validation"
    assert error.instance
    pointers = {e.pointer for e in error.errors}
    assert pointers == {
        "/items/0/household/kk",
        "/items/2/welfare_decile",
        "/items/3/household/head_nik",
    }
    assert all(e.detail for e in error.errors)
    # Nothing was published, not even the good item.
    page = unwrap(
        search_graduations.sync_detailed(
            client=kemensos,
            nik=good["household"]["head_nik"],  # type: ignore[index]
        ),
        GraduationPage,
    )
    assert good["source_record_id"] not in {g.source_record_id for g in page.items}


def test_a_bad_record_raises_sinergi_error(kemensos: AuthenticatedClient) -> None:
    body = graduation(household={"kk": "320101230815000", "head_nik": random_nik()})
    with pytest.raises(SinergiError) as refused:
        publish(kemensos, body)
    assert refused.value.status == 400
    assert refused.value.errors[0].pointer == "/household/kk"
    assert "320101230815000" not in str(refused.value)  # details never repeat the value


def test_a_single_record_lists_all_its_invalid_fields(kemensos: AuthenticatedClient) -> None:
    body = graduation(
        source_record_id=unique_id(),
        household={"kk": "320101230815000", "head_nik": "3201013207850003"},
        welfare_decile=11,
    )
    with pytest.raises(SinergiError) as refused:
        publish(kemensos, body)
    pointers = sorted(e.pointer for e in refused.value.errors)
    assert pointers == ["/household/head_nik", "/household/kk", "/welfare_decile"]
