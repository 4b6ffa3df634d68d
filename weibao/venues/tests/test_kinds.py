"""The kinds' rules as data: who supervises each kind, each kind's checklist."""

from __future__ import annotations

from weibao.accounts.models import Organisation
from weibao.venues import kinds
from weibao.venues.kinds import VenueKind

K = Organisation.Kind


def test_every_kind_has_a_supervisor_and_a_checklist() -> None:
    assert set(kinds.SUPERVISOR_KIND) == set(VenueKind.values)
    assert set(kinds.CHECKLISTS) == set(VenueKind.values)
    assert kinds.SUPERVISOR_KIND[VenueKind.INTERNET_CAFE] == K.CULTURE_TOURISM
    assert kinds.SUPERVISOR_KIND[VenueKind.HOTEL] == K.POLICE_STATION
    assert kinds.SUPERVISOR_KIND[VenueKind.TOBACCO] == K.MARKET_REGULATION


def test_kinds_supervised_by() -> None:
    assert VenueKind.INTERNET_CAFE in kinds.kinds_supervised_by(K.CULTURE_TOURISM)
    assert VenueKind.SHOP not in kinds.kinds_supervised_by(K.CULTURE_TOURISM)
    assert kinds.kinds_supervised_by(K.PUBLIC_SECURITY) == [VenueKind.HOTEL]
    assert kinds.kinds_supervised_by(K.SCHOOL_PRIMARY) == []


def test_internet_cafe_checklist_follows_the_regulation() -> None:
    codes = [item.code for item in kinds.checklist(VenueKind.INTERNET_CAFE)]
    assert codes == ["no_minors", "sign", "hours", "id_register", "records_60"]
    with_rule = kinds.checklist(VenueKind.INTERNET_CAFE, 200)
    assert with_rule[-1].code == kinds.DISTANCE_ITEM
    assert "200" in str(with_rule[-1].label)


def test_hotels_five_musts_and_shops_knives() -> None:
    assert len(kinds.checklist(VenueKind.HOTEL)) == 5
    assert "no_knives" in {i.code for i in kinds.checklist(VenueKind.SHOP)}
    assert "closed_night" in {i.code for i in kinds.checklist(VenueKind.SONG_DANCE)}
    assert kinds.item_labels()["no_minors"]
