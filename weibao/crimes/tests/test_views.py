"""The register's pages: who may open them (not-allowed tests), the list's filters, the case
form with its suspects, the import page with its row errors, the export."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.crimes.models import Case
from weibao.crimes.tests.conftest import HEADER, speech_upload
from weibao.testing import County, xlsx_upload

REFUSED = ["liaison_a", "police", "education", "outsider", "sysadmin", "auditor"]


def _urls(case: Case) -> list[tuple[str, str]]:
    suspect = case.suspects.first()
    victim = case.victims.first()
    assert suspect is not None and victim is not None
    return [
        ("get", reverse("crimes:case_list")),
        ("get", reverse("crimes:case_detail", args=[case.pk])),
        ("get", reverse("crimes:case_edit", args=[case.pk])),
        ("get", reverse("crimes:case_create")),
        ("get", reverse("crimes:case_import")),
        ("get", reverse("crimes:case_template")),
        ("get", reverse("crimes:case_export")),
        ("post", reverse("crimes:suspect_send", args=[suspect.pk])),
        ("post", reverse("crimes:victim_refer", args=[victim.pk])),
    ]


@pytest.mark.parametrize("who", REFUSED)
def test_pages_refused(
    who: str, case: Case, client_for: Callable[[User], Client], request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(who))
    for method, url in _urls(case):
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404), (who, url)


def test_api_refused_and_allowed(
    case: Case, client_for: Callable[[User], Client], request: pytest.FixtureRequest
) -> None:
    url = "/api/v1/crimes/cases/"
    for who in REFUSED:
        client = client_for(request.getfixturevalue(who))
        assert client.get(url).status_code in (403, 404), who
        assert client.get(f"{url}{case.pk}/").status_code in (403, 404), who
    for who in ("prosecutor", "coordinator"):
        response = client_for(request.getfixturevalue(who)).get(url)
        assert response.status_code == 200
        body = response.json()
        rows = body["results"] if isinstance(body, dict) else body
        assert [row["number"] for row in rows] == [case.number]


def test_reader_of_the_procuratorate_reads_but_keeps_nothing(
    case: Case, proc_reader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(proc_reader)
    assert client.get(reverse("crimes:case_detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("crimes:case_create")).status_code == 403
    assert client.get(reverse("crimes:case_edit", args=[case.pk])).status_code == 403


@pytest.mark.parametrize("who", ["prosecutor", "coordinator"])
def test_list_and_detail_allowed(
    who: str, case: Case, client_for: Callable[[User], Client], request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(who))
    response = client.get(reverse("crimes:case_list"))
    assert response.status_code == 200
    assert case.number in response.content.decode()
    response = client.get(reverse("crimes:case_detail", args=[case.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, target_id=str(case.pk)).exists()


def test_list_filters(case: Case, prosecutor: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(prosecutor)
    url = reverse("crimes:case_list")
    assert case.number in client.get(url, {"year": "2025", "group": "property"}).content.decode()
    assert case.number not in client.get(url, {"year": "2024"}).content.decode()
    assert case.number not in client.get(url, {"group": "sexual"}).content.decode()
    assert case.number in client.get(url, {"decision": "prosecute"}).content.decode()
    assert case.number not in client.get(url, {"decision": "conditional"}).content.decode()


def test_list_query_count_does_not_grow(
    prosecutor: User, client_for: Callable[[User], Client], django_assert_max_num_queries: object
) -> None:
    from weibao.crimes import services

    services.cases_import(actor=prosecutor, upload=speech_upload())
    client = client_for(prosecutor)
    client.get(reverse("crimes:case_list"))  # warm the session
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        assert client.get(reverse("crimes:case_list")).status_code == 200


def test_case_form_creates_a_case(
    county: County, prosecutor: User, client_for: Callable[[User], Client]
) -> None:
    data = {
        "number": "乐检未刑诉〔2026〕3号",
        "offence": "robbery",
        "offence_date": "2026-05-02",
        "division": county.township_b.pk,
        "joint": "on",
        "participants": "2",
        "suspects-TOTAL_FORMS": "2",
        "suspects-INITIAL_FORMS": "0",
        "suspects-0-sex": "M",
        "suspects-0-age_at_offence": "15",
        "suspects-0-arrest_kind": "arrest",
        "suspects-0-arrest_on": "2026-05-20",
        "suspects-1-sex": "F",
        "suspects-1-age_at_offence": "16",
        "victims-TOTAL_FORMS": "1",
        "victims-INITIAL_FORMS": "0",
    }
    response = client_for(prosecutor).post(reverse("crimes:case_create"), data)
    assert response.status_code == 302
    case = Case.objects.get(number="乐检未刑诉〔2026〕3号")
    assert case.suspects.count() == 2 and case.offence_group == "property"


def test_case_form_names_the_suspect_row_in_error(
    county: County, prosecutor: User, client_for: Callable[[User], Client]
) -> None:
    data = {
        "number": "乐检未刑诉〔2026〕4号",
        "offence": "theft",
        "offence_date": "2026-05-02",
        "division": county.township_a.pk,
        "suspects-TOTAL_FORMS": "2",
        "suspects-INITIAL_FORMS": "0",
        "suspects-1-sex": "M",
        "suspects-1-age_at_offence": "15",
        "suspects-1-arrest_kind": "arrest",
        "suspects-1-arrest_on": "2026-04-01",
        "victims-TOTAL_FORMS": "0",
        "victims-INITIAL_FORMS": "0",
    }
    response = client_for(prosecutor).post(reverse("crimes:case_create"), data)
    assert response.status_code == 400
    formset = response.context["suspects"]
    assert "arrest_on" in formset.forms[1].errors
    assert not Case.objects.exists()


def test_import_page_shows_row_errors(
    prosecutor: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(prosecutor)
    row = [
        "A1",
        "盗窃",
        "2021-05-01",
        "火星镇",
        "否",
        "否",
        1,
        "",
        15,
        "男",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    upload = xlsx_upload(HEADER, [row])
    response = client.post(reverse("crimes:case_import"), {"file": upload})
    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [(e.row, e.column) for e in errors] == [(2, "Township or village")]
    assert client.get(reverse("crimes:case_import_errors")).status_code == 200


def test_import_page_imports_and_export_downloads(
    prosecutor: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(prosecutor)
    response = client.post(reverse("crimes:case_import"), {"file": speech_upload()})
    assert response.status_code == 200
    assert Case.objects.count() == 46
    assert client.get(reverse("crimes:case_template")).status_code == 200
    response = client.get(reverse("crimes:case_export"), {"year": "2021"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_case_edit_shows_and_saves(
    case: Case, prosecutor: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(prosecutor)
    url = reverse("crimes:case_edit", args=[case.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["suspects"].forms[1].initial["age_at_offence"] == 17
    data = {
        "number": case.number,
        "offence": "theft",
        "offence_date": "2025-03-01",
        "division": case.division_id,
        "participants": "1",
        "suspects-TOTAL_FORMS": "1",
        "suspects-INITIAL_FORMS": "0",
        "suspects-0-sex": "M",
        "suspects-0-age_at_offence": "15",
        "victims-TOTAL_FORMS": "0",
        "victims-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.suspects.count() == 1 and not case.victims.exists()
    assert case.prosecuted_on is None
