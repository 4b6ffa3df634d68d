"""Casework pages: who may open what, reporter confidentiality, query counts, bad input."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse

from weibao.casework import services
from weibao.casework.models import Case, Referral
from weibao.casework.tests.conftest import report_data
from weibao.testing import open_protected


@pytest.fixture
def case(nurse, file_report):
    return file_report(nurse, situations=["MR02"])


def test_police_and_procuratorate_see_the_reporter(case, police, prosecutor, client_for):
    for user in (police, prosecutor):
        body = client_for(user).get(case.get_absolute_url()).content.decode()
        assert "张医生" in body and "URGENT" in body


def test_reporting_unit_sees_its_report_and_outcome_not_the_investigation(
    case, nurse_b, police, client_for
):
    case = services.case_accept(actor=police, case=case)
    services.case_decide(
        actor=police,
        case=case,
        data={"decision": "criminal", "investigation_notes": "嫌疑人王某已到案"},
    )
    services.case_feedback(actor=police, case=case, text="已刑事立案")
    body = client_for(nurse_b).get(case.get_absolute_url()).content.decode()
    assert "已刑事立案" in body and "criminal case opened" in body
    assert "张医生" not in body and "13800138000" not in body
    assert "嫌疑人王某已到案" not in body


def test_other_units_get_404(case, liaison_a, outsider, township_worker, client_for):
    for user in (liaison_a, outsider, township_worker):
        assert client_for(user).get(case.get_absolute_url()).status_code == 404


def test_sysadmin_and_auditor_refused(case, sysadmin, auditor, client_for):
    for user in (sysadmin, auditor):
        assert client_for(user).get(reverse("casework:case_list")).status_code == 403


def test_only_the_police_unit_may_accept(case, nurse, prosecutor, client_for):
    for user in (nurse, prosecutor):
        response = client_for(user).post(reverse("casework:case_accept", args=[case.pk]))
        assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.FILED


def test_police_accept_by_page(case, police, client_for):
    response = client_for(police).post(reverse("casework:case_accept", args=[case.pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED


def test_file_a_report_by_page(county, nurse, client_for):
    data = report_data(county, division=county.village_a.pk, situations=["MR04"])
    response = client_for(nurse).post(reverse("casework:case_create"), data)
    assert response.status_code == 302
    assert Case.objects.get().police_unit == county.police_a


def test_bad_report_by_page_names_the_field(county, nurse, client_for):
    data = report_data(county, division=county.village_a.pk, child_description="")
    response = client_for(nurse).post(reverse("casework:case_create"), data)
    assert response.status_code == 400
    assert "describe a child whose identity is unknown" in response.content.decode()
    assert not Case.objects.exists()


def test_read_only_cannot_file(outsider, client_for):
    assert client_for(outsider).get(reverse("casework:case_create")).status_code == 403


def test_case_list_query_count(
    nurse, police, file_report, client_for, django_assert_max_num_queries
):
    client = client_for(police)
    file_report(nurse)
    client.get(reverse("casework:case_list"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("casework:case_list"))
    for _ in range(6):
        file_report(nurse)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("casework:case_list")).status_code == 200


def test_referral_receiver_sees_the_request_only(
    case, police, relief_worker, civil_affairs, client_for
):
    referral, _ = services.referral_create(
        actor=police,
        data={
            "case": case,
            "to_unit": civil_affairs,
            "action": "relief",
            "request": "请给予临时救助",
        },
    )
    client = client_for(relief_worker)
    body = client.get(referral.get_absolute_url()).content.decode()
    assert "请给予临时救助" in body
    assert "张医生" not in body and case.seen not in body
    assert client.get(case.get_absolute_url()).status_code == 404
    client.post(reverse("casework:referral_accept", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    body = client.get(case.get_absolute_url())
    assert body.status_code == 404


def test_referral_not_allowed(case, police, civil_affairs, liaison_a, nurse, client_for):
    referral, _ = services.referral_create(
        actor=police,
        data={"case": case, "to_unit": civil_affairs, "action": "relief", "request": "x"},
    )
    assert client_for(liaison_a).get(referral.get_absolute_url()).status_code == 404
    # The sender may not answer its own referral.
    response = client_for(police).post(reverse("casework:referral_accept", args=[referral.pk]))
    assert response.status_code == 403


def test_referral_list_query_count(
    case, police, civil_affairs, client_for, django_assert_max_num_queries
):
    data = {"case": case, "to_unit": civil_affairs, "action": "relief", "request": "x"}
    services.referral_create(actor=police, data=data)
    client = client_for(police)
    client.get(reverse("casework:referral_list"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("casework:referral_list"))
    for _ in range(5):
        services.referral_create(actor=police, data=data)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("casework:referral_list"))


def test_suggestion_pages_and_word(county, prosecutor, liaison_a, liaison_b, client_for):
    client = client_for(prosecutor)
    response = client.post(
        reverse("casework:suggestion_create"),
        {"unit": county.school_a.pk, "problem": "p", "suggestion": "s", "legal_basis": "b"},
    )
    assert response.status_code == 302
    s = services.Suggestion.objects.get()
    docx = client.get(reverse("casework:suggestion_docx", args=[s.pk]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert client.get(reverse("casework:suggestion_print", args=[s.pk])).status_code == 200
    assert client_for(liaison_a).get(s.get_absolute_url()).status_code == 200
    assert client_for(liaison_b).get(s.get_absolute_url()).status_code == 404
    assert (
        client_for(liaison_b).get(reverse("casework:suggestion_docx", args=[s.pk])).status_code
        == 404
    )
    assert client_for(liaison_a).get(reverse("casework:suggestion_create")).status_code == 403
    response = client_for(liaison_b).post(
        reverse("casework:suggestion_reply", args=[s.pk]), {"reply": "r", "measures": "m"}
    )
    assert response.status_code == 404
    response = client_for(liaison_a).post(
        reverse("casework:suggestion_reply", args=[s.pk]), {"reply": "", "measures": "m"}
    )
    assert response.status_code == 400


def test_orders_hidden_from_schools(county, police, girl, liaison_a, client_for):
    order = services.guardian_order_issue(
        actor=police,
        data={
            "kind": "admonition",
            "child": girl,
            "guardian_name": "x",
            "facts": "f",
            "required_actions": "a",
        },
    )
    assert client_for(police).get(order.get_absolute_url()).status_code == 200
    assert (
        client_for(police).get(reverse("casework:order_docx", args=[order.pk])).status_code == 200
    )
    # Posted with `protect`: a Word file encrypted with the password the page shows once.
    police_client = client_for(police)
    page = police_client.post(reverse("casework:order_docx", args=[order.pk]), {"protect": "1"})
    assert docx.Document(io.BytesIO(open_protected(police_client, page))).paragraphs
    assert client_for(liaison_a).get(reverse("casework:order_list")).status_code == 403
    assert (
        client_for(liaison_a).get(reverse("casework:order_print", args=[order.pk])).status_code
        == 404
    )


def test_supervision_list_only_for_the_procuratorate(prosecutor, police, client_for):
    assert client_for(prosecutor).get(reverse("casework:supervision_list")).status_code == 200
    assert client_for(police).get(reverse("casework:supervision_list")).status_code == 403


def test_settings_only_for_the_coordinator(coordinator, prosecutor, client_for):
    url = reverse("casework:settings")
    assert client_for(prosecutor).get(url).status_code == 403
    data = {
        "accept_hours": 12,
        "urgent_accept_hours": 1,
        "feedback_days": 3,
        "referral_days": 10,
        "suggestion_reply_months": 2,
        "followup_days": 30,
    }
    assert client_for(coordinator).post(url, data).status_code == 302
    assert services.CaseworkSettings.current().accept_hours == 12
