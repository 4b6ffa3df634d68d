"""The pages: each opens for the right user and refuses the wrong one; lists keep their query
count; the forms save through the services and show their errors; the exports download."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from weibao.family import services
from weibao.family.models import Activity, Site, Topic, Volunteer
from weibao.family.tests.conftest import adult_id, site_data
from weibao.testing import open_protected


@pytest.fixture
def world(county, civil, site, school_a, team, make_volunteer, cleared):
    volunteer = make_volunteer(name="王芳")
    cleared(volunteer)
    activity = services.activity_record(
        actor=civil,
        data={
            "kind": Activity.Kind.TALK,
            "title": "家庭教育讲座",
            "held_on": timezone.localdate() - timedelta(days=3),
            "site": site,
            "team": team,
            "topic": Topic.ANTI_DROWNING,
            "method": "a17_4",
            "audience_children": 30,
            "audience_parents": 25,
            "hours": "2",
            "lecturers": [volunteer],
        },
    )
    school_activity = services.activity_record(
        actor=civil,
        data={
            "kind": Activity.Kind.SELF_PROTECTION,
            "title": "防性侵自护课",
            "held_on": timezone.localdate() - timedelta(days=1),
            "school": school_a,
            "topic": Topic.ANTI_SEXUAL_ABUSE,
            "method": "a17_3",
            "audience_children": 120,
            "hours": "1",
        },
    )
    return {
        "site": site,
        "volunteer": volunteer,
        "activity": activity,
        "school_activity": school_activity,
    }


# url name, argument key, the user who may open it, a user refused (403/404), method.
PAGES = [
    ("site_list", None, "civil", "liaison_a", "get"),
    ("site_list", None, "team_lead", "outsider", "get"),
    ("site_detail", "site", "womens", "police", "get"),
    ("site_create", None, "civil", "team_lead", "get"),
    ("site_edit", "site", "civil", "civil_reader", "get"),
    ("site_export", None, "civil_reader", "liaison_a", "get"),
    ("coverage", None, "coordinator", "team_lead", "get"),
    ("volunteer_list", None, "team_lead", "liaison_a", "get"),
    ("volunteer_detail", "volunteer", "team_lead", "other_lead", "get"),
    ("volunteer_create", None, "civil", "team_lead", "get"),
    ("volunteer_edit", "volunteer", "womens", "team_lead", "get"),
    ("volunteer_export", None, "civil_reader", "other_lead", "post"),
    ("volunteer_import", None, "civil", "civil_reader", "get"),
    ("volunteer_template", None, "civil", "team_lead", "get"),
    ("volunteer_import_errors", None, None, "team_lead", "get"),
    ("training_create", "volunteer", None, "other_lead", "post"),
    ("activity_list", None, "liaison_a", "police", "get"),
    ("activity_counts", None, "civil_reader", "team_lead", "get"),
    ("activity_create", None, "team_lead", "liaison_a", "get"),
    ("activity_detail", "activity", "team_lead", "liaison_a", "get"),
    ("activity_detail", "school_activity", "liaison_a", "liaison_b", "get"),
    ("activity_edit", "activity", "team_lead", "other_lead", "get"),
    ("activity_attach", "activity", None, "other_lead", "post"),
]


@pytest.mark.parametrize(("name", "arg", "allowed", "refused", "method"), PAGES)
def test_page_access(request, client_for, world, name, arg, allowed, refused, method) -> None:
    args = [world[arg].pk] if arg else []
    url = reverse(f"family:{name}", args=args)
    if allowed:
        response = getattr(client_for(request.getfixturevalue(allowed)), method)(url)
        assert response.status_code in (200, 302), response.content[:300]
    response = getattr(client_for(request.getfixturevalue(refused)), method)(url)
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("user", ["sysadmin", "auditor", "outsider", "police"])
def test_nobody_else(request, client_for, world, user) -> None:
    client = client_for(request.getfixturevalue(user))
    for name in ("site_list", "volunteer_list", "activity_list", "coverage", "activity_counts"):
        assert client.get(reverse(f"family:{name}")).status_code == 403


def test_a_school_sees_only_its_activities(client_for, world, liaison_a) -> None:
    page = client_for(liaison_a).get(reverse("family:activity_list"))
    assert "防性侵自护课".encode() in page.content
    assert "家庭教育讲座".encode() not in page.content


def test_a_team_lead_sees_only_their_teams_volunteers(
    client_for, world, team_lead, other_lead, lecturers_team, make_volunteer
) -> None:
    other = make_volunteer(name="李娜", team=lecturers_team)
    page = client_for(team_lead).get(reverse("family:volunteer_list"))
    assert world["volunteer"].person.masked_name.encode() in page.content
    assert other.person.masked_name.encode() not in page.content
    assert client_for(team_lead).get(other.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("name", "user"),
    [
        ("site_list", "civil"),
        ("volunteer_list", "civil"),
        ("activity_list", "civil"),
        ("coverage", "civil"),
        ("activity_counts", "civil"),
    ],
)
def test_list_query_count(
    request, client_for, world, county, civil, make_volunteer, cleared, name, user,
    django_assert_max_num_queries,
) -> None:  # fmt: skip
    client = client_for(request.getfixturevalue(user))
    url = reverse(f"family:{name}")
    client.get(url)
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for number in range(4):  # more rows, the same queries
        site = services.site_create(actor=civil, data=site_data(county, name=f"站点{number}"))
        volunteer = make_volunteer()
        cleared(volunteer)
        services.activity_record(
            actor=civil,
            data={
                "kind": Activity.Kind.PARENT_CLASS,
                "title": f"家长课堂{number}",
                "held_on": timezone.localdate(),
                "site": site,
                "topic": Topic.HEALTH,
                "method": "a17_2",
                "audience_parents": 10,
                "volunteers": [volunteer],
            },
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_the_site_form_saves_and_refuses(client_for, county, civil) -> None:
    data = {
        "kind": Site.Kind.PARENT_SCHOOL,
        "name": "公溪村家长学校",
        "village": county.village_b.pk,
        "status": "open",
        "latitude": "27.5",
        "longitude": "",
    }
    response = client_for(civil).post(reverse("family:site_create"), data)
    assert response.status_code == 400
    assert b"Give both the latitude and the longitude" in response.content
    assert not Site.objects.exists()
    data["longitude"] = "115.9"
    response = client_for(civil).post(reverse("family:site_create"), data)
    assert response.status_code == 302
    assert Site.objects.get().village == county.village_b


def test_a_township_is_not_a_village(client_for, county, civil) -> None:
    data = {"kind": "childrens_home", "name": "某站", "village": county.township_a.pk}
    data["status"] = "open"
    response = client_for(civil).post(reverse("family:site_create"), data)
    assert response.status_code == 400 and not Site.objects.exists()


def test_the_volunteer_form_registers_and_refuses_a_minor(client_for, county, civil, team):
    from datetime import date

    data = {
        "name": "赵磊",
        "id_number": adult_id(date(2012, 3, 1)),
        "team": team.pk,
        "township": county.township_a.pk,
        "availability": "weekends",
        "status": "active",
        "joined_on": "2026-09-01",
    }
    response = client_for(civil).post(reverse("family:volunteer_create"), data)
    assert response.status_code == 400 and b"must be an adult" in response.content
    assert not Volunteer.objects.exists()
    data["id_number"] = adult_id()
    response = client_for(civil).post(reverse("family:volunteer_create"), data)
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.person.id_number_hash and volunteer.clearance == "none"


def test_the_detail_is_audited_and_shows_no_id_number(client_for, world, civil) -> None:
    from weibao.audit.models import AuditEvent

    volunteer = world["volunteer"]
    page = client_for(civil).get(volunteer.get_absolute_url())
    assert volunteer.person.id_number.encode() not in page.content
    assert volunteer.person.masked_id_number.encode() in page.content
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, target_id=str(volunteer.pk)
    ).exists()


def test_training_is_recorded_and_a_future_one_refused(client_for, world, team_lead) -> None:
    volunteer = world["volunteer"]
    url = reverse("family:training_create", args=[volunteer.pk])
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client_for(team_lead).post(url, {"held_on": future, "topic": "讲师培训", "hours": 3})
    assert response.status_code == 400 and b"cannot be in the future" in response.content
    today = timezone.localdate().isoformat()
    response = client_for(team_lead).post(url, {"held_on": today, "topic": "讲师培训", "hours": 3})
    assert response.status_code == 302 and volunteer.trainings.count() == 1


def test_an_activity_with_children_refuses_an_uncleared_volunteer(
    client_for, world, team_lead, team, site, make_volunteer
) -> None:
    unchecked = make_volunteer(name="陈静")
    data = {
        "kind": Activity.Kind.HOLIDAY,
        "title": "暑期防溺水课堂",
        "held_on": timezone.localdate().isoformat(),
        "site": site.pk,
        "team": team.pk,
        "topic": Topic.ANTI_DROWNING,
        "method": "a17_3",
        "audience_children": 40,
        "audience_parents": 0,
        "hours": "2",
        "volunteers": [unchecked.pk],
    }
    before = Activity.objects.count()
    response = client_for(team_lead).post(reverse("family:activity_create"), data)
    assert response.status_code == 400
    assert b"no clear criminal-record check" in response.content
    assert unchecked.person.masked_name.encode() in response.content
    assert Activity.objects.count() == before
    data["volunteers"] = [world["volunteer"].pk]
    response = client_for(team_lead).post(reverse("family:activity_create"), data)
    assert response.status_code == 302
    assert Activity.objects.latest("pk").helpers.get() == world["volunteer"]


def test_the_counts_page(client_for, world, civil) -> None:
    page = client_for(civil).get(reverse("family:activity_counts"))
    assert page.status_code == 200
    assert "法治宣教志愿者队".encode() in page.content and b"<td>2.0</td>" in page.content
    assert world["volunteer"].person.masked_name.encode() in page.content


def test_the_coverage_page_lists_villages_without_a_site(client_for, world, county, civil):
    page = client_for(civil).get(reverse("family:coverage"))
    assert county.village_b.name.encode() in page.content
    assert county.village_a.code.encode() not in page.content


def test_the_exports(client_for, world, civil) -> None:
    response = client_for(civil).get(reverse("family:site_export"))
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    assert sheet.cell(2, 2).value == world["site"].name
    url = reverse("family:volunteer_export")
    response = client_for(civil).post(url, {"protect": "1"})
    content = open_protected(client_for(civil), response)
    sheet = openpyxl.load_workbook(BytesIO(content)).active
    assert sheet.cell(2, 2).value == world["volunteer"].person.id_number


def test_a_file_is_attached(client_for, world, team_lead) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from weibao.core.models import Attachment

    activity = world["activity"]
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    upload = SimpleUploadedFile("签到表.png", png, content_type="image/png")
    url = reverse("family:activity_attach", args=[activity.pk])
    response = client_for(team_lead).post(url, {"file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.for_owner(activity).get()
    page = client_for(team_lead).get(activity.get_absolute_url())
    assert attachment.name.encode() in page.content
