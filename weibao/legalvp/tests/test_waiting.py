"""Home-page items, the menu entry, and the scheduled job that ends expired terms."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from weibao.core.contract import menu_for
from weibao.core.services import waiting_for
from weibao.legalvp.models import Appointment

pytestmark = pytest.mark.usefixtures("midyear")


def labels(user) -> dict[str, int]:
    return {item.label: item.count for item in waiting_for(user)}


def test_bureau_sees_gaps_and_endings(bureau, appointment, school_b) -> None:
    items = labels(bureau)
    assert items["Schools without a legal vice-principal"] == 1  # school B
    assert "Legal vice-principal terms ending within 60 days" not in items  # zero is hidden


def test_appointee_sees_own_hours(vp_user, appointment) -> None:
    assert labels(vp_user)["Your law-education hours are below four this year"] == 1


def test_others_see_nothing(liaison_a, outsider, appointment) -> None:
    for user in (liaison_a, outsider):
        assert not any("legal" in label.lower() for label in labels(user))


def test_menu(bureau, liaison_a, outsider, sysadmin) -> None:
    for user, shown in ((bureau, True), (liaison_a, True), (outsider, False), (sysadmin, False)):
        urls = [item.url_name for item in menu_for(user)]
        assert ("legalvp:list" in urls) is shown, user


def test_job_ends_expired_terms(make_appointment, school_a) -> None:
    old = make_appointment([school_a], term_start=date(2020, 9, 1), issued_on=date(2020, 9, 1))
    call_command("run_job", "legalvp_end_expired")
    call_command("run_job", "legalvp_end_expired")
    old.refresh_from_db()
    assert old.status == Appointment.Status.ENDED
