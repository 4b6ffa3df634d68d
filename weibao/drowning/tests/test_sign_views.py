"""The sign-inspection pages: each opens for the right user and refuses the other school, the
outsider and the police; the phone form saves page by page and submits; bad input comes back
with the field named; the lists keep their query count."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from weibao.accounts.models import Organisation
from weibao.drowning import services
from weibao.drowning.models import (
    Catchment,
    HazardousWater,
    Rectification,
    SignInspection,
    SignInspectionItem,
)
from weibao.drowning.services import signs
from weibao.schools.models import School

HEADER = {"year": 2026, "inspected_on": date(2026, 7, 10), "inspected_by": "王老师"}
OK = {"sign_state": "ok", "pole_state": "ok", "rope_state": "ok", "ring_state": "ok"}


@pytest.fixture
def inspection(water, school_a, liaison_a) -> SignInspection:
    draft = services.sign_inspection_save(
        actor=liaison_a, school=school_a, data=HEADER,
        items=[{"water": water.pk, **OK, "sign_state": "missing"}],
    )  # fmt: skip
    services.sign_inspection_submit(actor=liaison_a, inspection=draft)
    draft.refresh_from_db()
    return draft


# url name, needs the inspection, who may open it, who is refused (403/404).
PAGES = [
    ("sign_inspection_list", False, "liaison_a", ["police", "outsider"]),
    ("sign_inspection_form", False, "liaison_a", ["police", "outsider", "township_worker",
                                                  "edu_reader"]),
    ("sign_coverage", False, "township_worker", ["liaison_a", "police", "outsider"]),
    ("sign_inspection_detail", True, "township_worker", ["liaison_b", "police", "outsider",
                                                         "township_b_worker"]),
    ("sign_inspection_docx", True, "edu_reader", ["liaison_b", "police", "outsider"]),
    ("sign_inspection_print", True, "liaison_a", ["liaison_b", "police", "outsider"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "needs", "allowed", "refused"), PAGES)
def test_page_access(request, client_for, inspection, name, needs, allowed, refused) -> None:
    url = reverse(f"drowning:{name}", args=[inspection.pk] if needs else [])
    if name == "sign_inspection_form":  # the summer is reported: the form sends to it
        SignInspection.objects.all().delete()
    response = client_for(request.getfixturevalue(allowed)).get(url)
    assert response.status_code == 200, response.content[:300]
    for user in (*refused, "sysadmin", "auditor"):
        status = client_for(request.getfixturevalue(user)).get(url).status_code
        assert status in (403, 404), (user, status)


def test_other_school_cannot_post(client_for, water, school_a, liaison_b, school_b) -> None:
    url = reverse("drowning:sign_inspection_form")
    data = {"year": 2026, "inspected_on": "2026-07-10", "inspected_by": "x", "action": "submit"}
    response = client_for(liaison_b).post(url, data)
    assert response.status_code == 302  # school B's own (empty) catchment, not school A's
    assert SignInspection.objects.get().school == school_b
    assert not SignInspectionItem.objects.exists()


def test_school_sees_only_its_inspections(client_for, inspection, liaison_b, school_b) -> None:
    body = client_for(liaison_b).get(reverse("drowning:sign_inspection_list")).content.decode()
    assert "鳌溪镇中心小学" not in body


def _form_data(waters, **header):
    data = {"year": "2026", "inspected_on": "2026-07-10", "inspected_by": "王老师", **header}
    for water in waters:
        for name, state in OK.items():
            data[signs.field_name(water.pk, name)] = state
    return data


def test_form_submits_and_reports(client_for, water, liaison_a, township_worker) -> None:
    client = client_for(liaison_a)
    url = reverse("drowning:sign_inspection_form")
    page = client.get(url).content.decode()
    assert "后山塘" in page and signs.field_name(water.pk, "sign_state") in page
    data = _form_data([water], action="submit")
    data[signs.field_name(water.pk, "ring_state")] = "damaged"
    response = client.post(url, data)
    inspection = SignInspection.objects.get()
    assert response.status_code == 302 and response.url == inspection.get_absolute_url()
    assert inspection.submitted_at is not None
    assert Rectification.objects.get().sign_inspection == inspection
    # Submitted: the form now sends to the report, and a second post is no second inspection.
    assert client.get(url).status_code == 302
    detail = client_for(township_worker).get(inspection.get_absolute_url()).content.decode()
    assert "life ring" in detail
    docx = client_for(township_worker).get(
        reverse("drowning:sign_inspection_docx", args=[inspection.pk])
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "救生圈损坏" in text
    printed = client.get(reverse("drowning:sign_inspection_print", args=[inspection.pk]))
    assert "鳌溪镇人民政府" in printed.content.decode()


def test_form_pages_through_many_waters(client_for, make_water, liaison_a, school_a) -> None:
    waters = [make_water(name=f"塘{i:02d}", latitude=f"27.44{i:02d}00") for i in range(27)]
    client = client_for(liaison_a)
    url = reverse("drowning:sign_inspection_form")
    ordered = [c.water for c in signs.catchment_waters(school_a)]
    first, rest = ordered[:25], ordered[25:]
    response = client.post(url, _form_data(first, action="save"))
    assert response.status_code == 302 and response.url.endswith("?page=2")
    # Submitting too early (page 2 not yet saved) is refused, naming what is left.
    response = client.post(url + "?page=1", _form_data(first, action="submit"))
    assert response.status_code == 400
    assert "2 waters of the catchment have no state yet" in response.content.decode()
    response = client.post(url + "?page=2", _form_data(rest, action="submit"))
    assert response.status_code == 302
    assert SignInspectionItem.objects.count() == len(waters)
    assert SignInspection.objects.get().submitted_at is not None


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ({"inspected_on": "2026-07-20"}, "cannot be in the future"),
        ({"inspected_on": "2025-07-10"}, "must fall in 2026"),
        ({"inspected_on": "07/10/2026"}, "Enter a valid date"),
    ],
)
def test_bad_input_comes_back(client_for, water, liaison_a, header, words) -> None:
    response = client_for(liaison_a).post(
        reverse("drowning:sign_inspection_form"), _form_data([water], action="submit", **header)
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not SignInspection.objects.exists()


def test_missing_state_named(client_for, water, liaison_a) -> None:
    data = _form_data([water], action="submit")
    del data[signs.field_name(water.pk, "pole_state")]
    response = client_for(liaison_a).post(reverse("drowning:sign_inspection_form"), data)
    assert response.status_code == 400
    assert (
        'id="id_{}"'.format(signs.field_name(water.pk, "pole_state")) in response.content.decode()
    )


def test_draft_has_no_report(client_for, water, school_a, liaison_a) -> None:
    draft = services.sign_inspection_save(actor=liaison_a, school=school_a, data=HEADER, items=[])
    for name in ("sign_inspection_docx", "sign_inspection_print"):
        response = client_for(liaison_a).get(reverse(f"drowning:{name}", args=[draft.pk]))
        assert response.status_code == 404


def test_coverage_lists_who_has_not(
    client_for, inspection, school_b, township_worker, edu_reader
) -> None:
    url = reverse("drowning:sign_coverage")
    body = client_for(edu_reader).get(url).content.decode()
    assert "1 of 2 schools" in body and "50.0%" in body
    missing = client_for(edu_reader).get(url + "?missing=on").content.decode()
    assert "公溪" in missing and "鳌溪镇中心小学" not in missing
    township = client_for(township_worker).get(url).content.decode()
    assert "1 of 1 schools" in township


def _more_schools(county, n: int) -> None:
    for i in range(n):
        unit = Organisation.objects.create(
            name=f"学校{i}", kind=Organisation.Kind.SCHOOL_PRIMARY, division=county.village_a
        )
        school = School.objects.create(organisation=unit, kind=School.Kind.PRIMARY)
        water = HazardousWater.objects.order_by("pk")[0]
        Catchment.objects.create(water=water, school=school, distance_m=100)
        found = SignInspection.objects.create(
            school=school, year=2026, inspected_on=date(2026, 7, 1), inspected_by="x",
            submitted_at=timezone.now(),
        )  # fmt: skip
        SignInspectionItem.objects.create(inspection=found, water=water)
        Rectification.objects.create(
            water=water, sign_inspection=found, item="pole", state="missing",
            township=county.township_a, opened_on=date(2026, 7, 1), deadline=date(2026, 7, 8),
            closed_at=timezone.now(),
        )  # fmt: skip


LISTS = [
    ("sign_inspection_list", "edu_reader"),
    ("sign_coverage", "edu_reader"),
    ("sign_inspection_list", "township_worker"),
]


@pytest.mark.parametrize(("name", "user"), LISTS)
def test_query_count_flat(
    request, client_for, inspection, county, django_assert_max_num_queries, name, user
) -> None:
    client = client_for(request.getfixturevalue(user))
    url = reverse(f"drowning:{name}")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    _more_schools(county, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "学校5" in client.get(url).content.decode()
