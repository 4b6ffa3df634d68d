"""The group's pages: each read by the lead, the coordinator and a member unit's clerk; refused
for those outside (sysadmin: no data; the hotel clerk: no activity of theirs, no forms); the
forms refused for a member's clerk and a school liaison; bad input shown by field."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weibao.accounts.models import Organisation
from weibao.mechanisms.models import Cobuilding, Member, Responsibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(county, plan_item):
    return Cobuilding.objects.create(
        held_on=date(2026, 9, 1),
        title="支部共建活动",
        organiser=county.procuratorate,
        partner=county.school_a,
        plan_item=plan_item,
    )


@pytest.fixture
def member(county, group):
    return Member.objects.get(unit=county.education)


def _pages(member, plan_item, activity):
    return [
        reverse("mechanisms:group"),
        reverse("mechanisms:member", args=[member.pk]),
        reverse("mechanisms:plan_list"),
        reverse("mechanisms:plan", args=[plan_item.plan_id]),
        reverse("mechanisms:activity_list"),
        reverse("mechanisms:activity", args=[activity.pk]),
    ]


def _forms(member, plan_item, activity):
    return [
        reverse("mechanisms:group_edit"),
        reverse("mechanisms:member_add"),
        reverse("mechanisms:member_edit", args=[member.pk]),
        reverse("mechanisms:member_remove", args=[member.pk]),
        reverse("mechanisms:member_responsibilities", args=[member.pk]),
        reverse("mechanisms:plan_create"),
        reverse("mechanisms:plan_edit", args=[plan_item.plan_id]),
        reverse("mechanisms:plan_item_create", args=[plan_item.plan_id]),
        reverse("mechanisms:plan_item_edit", args=[plan_item.pk]),
        reverse("mechanisms:activity_create"),
        reverse("mechanisms:activity_edit", args=[activity.pk]),
    ]


@pytest.mark.parametrize("who", ["lead", "coordinator", "edu_clerk"])
def test_pages_read(request, client_for, who, member, plan_item, activity):
    client = client_for(request.getfixturevalue(who))
    # The education bureau reads its schools' activities (school A is the partner).
    for url in _pages(member, plan_item, activity):
        assert client.get(url).status_code == 200, url


def test_police_does_not_read_others_activity(client_for, police, activity):
    response = client_for(police).get(reverse("mechanisms:activity", args=[activity.pk]))
    assert response.status_code == 404


def test_partner_reads_its_activity(client_for, liaison_a, activity):
    response = client_for(liaison_a).get(reverse("mechanisms:activity", args=[activity.pk]))
    assert response.status_code == 200


def test_sysadmin_refused_everywhere(client_for, sysadmin, member, plan_item, activity):
    client = client_for(sysadmin)
    for url in _pages(member, plan_item, activity) + _forms(member, plan_item, activity):
        assert client.get(url).status_code == 403, url


def test_outsider_refused(client_for, outsider, member, plan_item, activity):
    """A unit outside the leading group (a hotel) reads none of it."""
    client = client_for(outsider)
    for url in _pages(member, plan_item, activity):
        if "activities" not in url:
            assert client.get(url).status_code == 403, url
    assert client.get(reverse("mechanisms:activity", args=[activity.pk])).status_code == 404
    listed = client.get(reverse("mechanisms:activity_list"))
    assert activity.title not in listed.content.decode()
    for url in _forms(member, plan_item, activity):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "x"}).status_code == 403, url


@pytest.mark.parametrize("who", ["edu_clerk", "liaison_a"])
def test_forms_refused_for_members(request, client_for, who, member, plan_item, activity):
    client = client_for(request.getfixturevalue(who))
    for url in _forms(member, plan_item, activity):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "x"}).status_code == 403, url
    assert Cobuilding.objects.get(pk=activity.pk).title == "支部共建活动"


@pytest.mark.parametrize("who", ["lead", "coordinator"])
def test_forms_open_for_keepers(request, client_for, who, member, plan_item, activity):
    client = client_for(request.getfixturevalue(who))
    for url in _forms(member, plan_item, activity):
        assert client.get(url).status_code == 200, url


def test_group_page_shows_members_and_responsibilities(client_for, lead, member):
    Responsibility.objects.create(
        member=member, text="统筹推进学校保护", valid_from=date(2026, 1, 1)
    )
    page = client_for(lead).get(reverse("mechanisms:group")).content.decode()
    assert "乐安县教育局" in page and "统筹推进学校保护" in page
    assert reverse("mechanisms:member_add") in page


def test_member_page_as_it_stood(client_for, edu_clerk, member):
    Responsibility.objects.create(
        member=member, text="旧职责", valid_from=date(2025, 1, 1), valid_to=date(2026, 1, 1)
    )
    Responsibility.objects.create(member=member, text="新职责", valid_from=date(2026, 1, 1))
    client = client_for(edu_clerk)
    url = reverse("mechanisms:member", args=[member.pk])
    page = client.get(url, {"on": "2025-06-01"}).content.decode()
    assert "As it stood on 2025-06-01" in page and "旧职责" in page
    bad = client.get(url, {"on": "2025-13-45"})
    assert bad.status_code == 200
    assert "Enter the date as 2026-09-15." in bad.content.decode()
    assert "As it stood on" not in bad.content.decode().split("History")[0].split("Show")[-1]


def test_member_add_duplicate_shown_on_field(client_for, lead, county, member):
    response = client_for(lead).post(
        reverse("mechanisms:member_add"), {"unit": county.education.pk, "contact_phone": ""}
    )
    assert response.status_code == 400
    assert "is already a member of the leading group" in response.content.decode()


def test_responsibilities_form_saves_lines(client_for, lead, member):
    client = client_for(lead)
    url = reverse("mechanisms:member_responsibilities", args=[member.pk])
    response = client.post(url, {"lines": "一、法治教育\n\n二、强制报告\n"})
    assert response.status_code == 302
    texts = list(member.responsibilities.current().values_list("text", flat=True))
    assert texts == ["一、法治教育", "二、强制报告"]


def test_plan_item_duplicate_number(client_for, lead, plan_item):
    url = reverse("mechanisms:plan_item_create", args=[plan_item.plan_id])
    response = client_for(lead).post(url, {"number": "一、1", "kind": "goal", "title": "又一"})
    assert response.status_code == 400
    assert "already has an item numbered" in response.content.decode()


def test_activity_form_bad_input(client_for, lead, county):
    url = reverse("mechanisms:activity_create")
    response = client_for(lead).post(
        url,
        {
            "held_on": "2026-12-01",
            "title": "共建",
            "partner": county.school_a.pk,
            "participants": 3,
        },
    )
    assert response.status_code == 400
    assert "This date is in the future." in response.content.decode()
    assert not Cobuilding.objects.exists()
    response = client_for(lead).post(
        url,
        {"held_on": "2026-09-01", "title": "共建", "partner": county.hotel.pk, "participants": 3},
    )
    assert response.status_code == 400  # a hotel is not in the partner picker's units
    ok = client_for(lead).post(
        url,
        {
            "held_on": "2026-09-01",
            "title": "共建",
            "partner": county.school_a.pk,
            "participants": 3,
        },
    )
    assert ok.status_code == 302
    assert Cobuilding.objects.get().organiser == county.procuratorate


def test_activity_list_filter(client_for, lead, county, activity):
    other = Cobuilding.objects.create(
        held_on=date(2025, 5, 1), title="去年的活动", organiser=county.procuratorate,
        partner=county.school_b,
    )  # fmt: skip
    client = client_for(lead)
    page = client.get(reverse("mechanisms:activity_list"), {"year": 2025}).content.decode()
    assert other.title in page and activity.title not in page
    page = client.get(
        reverse("mechanisms:activity_list"), {"partner": county.school_a.pk}
    ).content.decode()
    assert activity.title in page and other.title not in page


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_group_page_queries_do_not_grow(client_for, lead, county, group):
    client = client_for(lead)
    url = reverse("mechanisms:group")
    first = _count(client, url)
    for n in range(8):
        unit = Organisation.objects.create(
            name=f"单位{n}", kind=Organisation.Kind.CIVIL_AFFAIRS, division=county.county
        )
        added = Member.objects.create(group=group, unit=unit, contact=lead)
        Responsibility.objects.create(member=added, text=f"职责{n}")
    assert _count(client, url) <= first


def test_activity_list_queries_do_not_grow(client_for, lead, county, activity, plan_item):
    client = client_for(lead)
    url = reverse("mechanisms:activity_list")
    first = _count(client, url)
    for n in range(8):
        Cobuilding.objects.create(
            held_on=date(2026, 8, n + 1), title=f"活动{n}", organiser=county.procuratorate,
            partner=county.school_b, plan_item=plan_item,
        )  # fmt: skip
    assert _count(client, url) <= first
