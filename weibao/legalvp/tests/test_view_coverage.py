"""Coverage: schools without an active appointment, and terms ending within 60 days."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from weibao.legalvp.models import COVERED_SCHOOL_KINDS, Appointment
from weibao.schools.models import School

URL = reverse("legalvp:coverage")


def test_counts_match_the_database(
    client_for, bureau, make_appointment, school_a, school_b, make_school
) -> None:
    make_school("已撤并小学", closed_on=timezone.localdate() - timedelta(days=30))
    make_school("无副校长小学")
    make_school("某幼儿园", kind=School.Kind.KINDERGARTEN)  # no legal vice-principal by law
    make_appointment([school_a])
    response = client_for(bureau).get(URL)
    assert response.status_code == 200
    groups = response.context["groups"]
    listed = {s.pk for _, schools in groups for s in schools}
    active = Appointment.objects.active()
    expected = set(
        School.objects.filter(closed_on__isnull=True, kind__in=COVERED_SCHOOL_KINDS)
        .exclude(legalvp_links__appointment__in=active)
        .values_list("pk", flat=True)
    )
    assert listed == expected
    assert response.context["uncovered_count"] == len(expected) == 2
    assert {name for name, _ in groups} == {"鳌溪镇", "公溪镇"}


def test_ending_terms(client_for, bureau, make_appointment, school_a, school_b) -> None:
    today = timezone.localdate()
    soon = make_appointment(
        [school_a],
        seq=1,
        term_start=today - timedelta(days=700),
        term_end=today + timedelta(days=30),
    )
    make_appointment(
        [school_b], seq=2, name="远期", term_start=today, term_end=today + timedelta(days=400)
    )
    response = client_for(bureau).get(URL)
    assert list(response.context["ending"]) == [soon]


def test_not_allowed(client_for, liaison_a, prosecutor, outsider, sysadmin) -> None:
    for user in (liaison_a, prosecutor, outsider, sysadmin):
        assert client_for(user).get(URL).status_code == 403
