"""The registry: a venue's supervising unit by kind, the check against the schools on save,
the errors for a point outside the county, a bad or duplicate credit code; a move, a closure
and a reopening re-checked; an expired licence flagged and told once."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from weibao.core.models import Notification
from weibao.venues import services
from weibao.venues.models import Venue, Violation
from weibao.venues.tests.conftest import code, north_of_a, venue_data


def test_create_sets_the_supervisor_and_opens_a_violation(cafe, culture, school_a) -> None:
    assert cafe.supervising_unit == culture.organisation
    violation = Violation.objects.get()
    assert violation.venue == cafe and violation.school == school_a
    assert violation.rule.metres == 200 and violation.rule.national
    assert float(violation.distance_m) == pytest.approx(150, abs=1)
    assert violation.closed_at is None
    # The supervising unit is told (the actor is one of its staff, and told too).
    assert Notification.objects.filter(recipient=culture, kind="venues_violation").exists()


def test_a_far_cafe_breaks_nothing(make_venue) -> None:
    make_venue(latitude=north_of_a(260))
    assert not Violation.objects.exists()


def test_a_kindergarten_is_not_protected_by_the_cafe_rule(county, make_venue, school_a) -> None:
    school_a.kind = "kindergarten"
    school_a.save()
    make_venue()
    assert not Violation.objects.exists()


def test_shop_goes_to_market_regulation(far_shop, market) -> None:
    assert far_shop.supervising_unit == market.organisation


def test_hotel_goes_to_the_township_police_station(make_venue, county, police) -> None:
    hotel = make_venue(kind=Venue.Kind.HOTEL, name="学府宾馆", actor=police)
    assert hotel.supervising_unit == county.police_a


def test_outside_the_county(county, culture, school_a, school_b) -> None:
    with pytest.raises(ValidationError) as caught:
        services.venue_create(actor=culture, data=venue_data(county, latitude="40.000000"))
    assert "outside the county" in caught.value.message_dict["latitude"][0]
    assert not Venue.objects.exists()


def test_bad_and_duplicate_credit_codes(county, culture, cafe) -> None:
    bad = cafe.credit_code[:-1] + ("0" if cafe.credit_code[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        services.venue_create(actor=culture, data=venue_data(county, credit_code=bad))
    assert "check character" in caught.value.message_dict["credit_code"][0]
    with pytest.raises(ValidationError) as caught:
        services.venue_create(actor=culture, data=venue_data(county, credit_code=cafe.credit_code))
    message = caught.value.message_dict["credit_code"][0]
    assert "Another venue" in message and cafe.name in message
    # Spaces and full-width characters in a pasted code are normalised, then found the same.
    spaced = " ".join([cafe.credit_code[:2], cafe.credit_code[2:8], cafe.credit_code[8:]])
    with pytest.raises(ValidationError):
        services.venue_create(actor=culture, data=venue_data(county, credit_code=spaced))
    assert Venue.objects.count() == 1


def test_required_fields(county, culture, school_a) -> None:
    data = venue_data(county, name=" ", kind="", latitude="", credit_code="")
    with pytest.raises(ValidationError) as caught:
        services.venue_create(actor=culture, data=data)
    errors = caught.value.message_dict
    assert {"name", "kind", "latitude", "credit_code"} <= set(errors)


def test_a_unit_keeps_only_its_kinds(county, culture, school_a) -> None:
    with pytest.raises(ValidationError) as caught:
        services.venue_create(
            actor=culture, data=venue_data(county, kind="V10", credit_code=code())
        )
    assert "cannot keep" in caught.value.message_dict["kind"][0]


def test_moving_away_closes_the_violation(culture, cafe) -> None:
    services.venue_update(actor=culture, venue=cafe, data={"latitude": north_of_a(400)})
    violation = Violation.objects.get()
    assert violation.closed_at is not None and violation.close_reason == "cleared"


def test_closing_and_reopening(culture, cafe) -> None:
    services.venue_update(actor=culture, venue=cafe, data={"status": Venue.Status.CLOSED})
    assert Violation.objects.get().close_reason == "venue_closed"
    services.venue_update(actor=culture, venue=cafe, data={"status": Venue.Status.OPEN})
    assert Violation.objects.open().count() == 1
    assert Violation.objects.count() == 2  # the history stays


def test_a_change_that_is_not_a_move_keeps_the_violation(culture, cafe) -> None:
    services.venue_update(actor=culture, venue=cafe, data={"operator": "李四"})
    assert Violation.objects.open().count() == 1 and Violation.objects.count() == 1


def test_expired_licence_is_flagged_and_told_once(culture, make_venue) -> None:
    venue = make_venue(latitude=north_of_a(600), licence_expires=date(2026, 9, 1))
    assert venue.licence_is_expired
    assert Venue.objects.licence_expired().count() == 1
    assert services.licences_notify_expired() == 1
    assert services.licences_notify_expired() == 0
    assert Notification.objects.filter(kind="venues_licence", recipient=culture).count() == 1
    # A new licence: told afresh when it expires.
    services.venue_update(actor=culture, venue=venue, data={"licence_expires": date(2028, 1, 1)})
    venue.refresh_from_db()
    assert venue.licence_notified_on is None and not venue.licence_is_expired
