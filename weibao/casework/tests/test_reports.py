"""The report services: routing, urgency, acceptance, decision, feedback and due dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.casework import services
from weibao.casework.models import Case, CaseworkSettings, TimelineEntry
from weibao.casework.tests.conftest import report_data
from weibao.core.models import Notification


def test_report_goes_to_the_station_of_the_place_and_the_procuratorate(
    county, nurse, police, prosecutor, file_report
):
    case = file_report(nurse)
    assert case.police_unit == county.police_a
    assert case.procuratorate == county.procuratorate
    assert case.reporting_unit == nurse.organisation
    assert not case.urgent
    assert Notification.objects.filter(recipient=police, link=case.get_absolute_url()).exists()
    assert Notification.objects.filter(recipient=prosecutor).exists()
    assert TimelineEntry.objects.filter(case=case, kind="filed").exists()


def test_place_outside_any_station_goes_to_the_county_bureau(county, nurse, bureau, file_report):
    case = file_report(nurse, division=county.village_b)
    assert case.police_unit == bureau


def test_mr02_is_urgent_with_a_short_acceptance_limit(nurse, police, file_report):
    case = file_report(nurse, situations=["MR02", "MR01"])
    assert case.urgent
    assert case.accept_due_at - case.filed_at == timedelta(hours=2)
    note = Notification.objects.get(recipient=police)
    assert note.title.startswith("URGENT")
    assert "李" not in note.title and "女孩" not in note.title


def test_titles_never_carry_the_childs_name(nurse, police, girl, file_report):
    file_report(nurse, child=girl, child_description="")
    assert not Notification.objects.filter(title__contains=girl.name).exists()
    assert not Notification.objects.filter(body__contains=girl.name).exists()


def test_bad_report_names_the_fields_and_files_nothing(county, nurse):
    data = report_data(county, situations=["MR10"], child_description="", seen="")
    with pytest.raises(ValidationError) as error:
        services.report_file(actor=nurse, data=data)
    assert set(error.value.message_dict) >= {"situations", "child_description", "seen"}
    assert Case.objects.count() == 0


def test_idempotency_key_returns_the_first_report(county, nurse, nurse_b):
    first, created = services.report_file(
        actor=nurse, data=report_data(county), idempotency_key="his-123"
    )
    again, created_again = services.report_file(
        actor=nurse_b, data=report_data(county, seen="other"), idempotency_key="his-123"
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert Case.objects.count() == 1


def test_accept_records_time_and_feedback_due(nurse, police, file_report):
    case = file_report(nurse)
    case = services.case_accept(actor=police, case=case)
    assert case.status == Case.Status.ACCEPTED
    assert case.accepted_at is not None
    assert case.feedback_due == timezone.localdate() + timedelta(days=3)
    assert Notification.objects.filter(recipient=nurse, title__contains="accepted").exists()
    with pytest.raises(ValidationError):
        services.case_accept(actor=police, case=case)


def test_feedback_days_come_from_the_county_settings(nurse, police, coordinator, file_report):
    services.settings_update(actor=coordinator, data={"feedback_days": 5})
    case = services.case_accept(actor=police, case=file_report(nurse))
    assert case.feedback_due == timezone.localdate() + timedelta(days=5)


def test_bad_settings_are_refused_and_unchanged(coordinator):
    with pytest.raises(ValidationError) as error:
        services.settings_update(actor=coordinator, data={"feedback_days": 0})
    assert "feedback_days" in error.value.message_dict
    assert CaseworkSettings.current().feedback_days == 3


def test_decision_needs_reasons_for_no_case(nurse, police, file_report):
    case = services.case_accept(actor=police, case=file_report(nurse))
    with pytest.raises(ValidationError) as error:
        services.case_decide(actor=police, case=case, data={"decision": "no_case"})
    assert "decision_reasons" in error.value.message_dict
    case.refresh_from_db()
    assert case.decision == ""
    case = services.case_decide(actor=police, case=case, data={"decision": "criminal"})
    assert case.status == Case.Status.DECIDED


def test_cannot_decide_before_accepting(nurse, police, file_report):
    with pytest.raises(ValidationError) as error:
        services.case_decide(actor=police, case=file_report(nurse), data={"decision": "criminal"})
    assert "decision" in error.value.message_dict


def test_transfer_hands_the_report_to_the_other_unit(county, nurse, police, bureau, file_report):
    case = services.case_accept(actor=police, case=file_report(nurse))
    case = services.case_decide(
        actor=police,
        case=case,
        data={"decision": "transferred", "decision_reasons": "跨区", "transferred_to": bureau},
    )
    assert case.transferred_to == bureau
    assert case.handler_unit_id == bureau.pk


def test_feedback_and_overdue_flags(nurse, police, file_report):
    case = services.case_accept(actor=police, case=file_report(nurse))
    Case.objects.filter(pk=case.pk).update(feedback_due=timezone.localdate() - timedelta(days=1))
    case.refresh_from_db()
    assert case.feedback_overdue
    assert Case.objects.feedback_overdue().filter(pk=case.pk).exists()
    case = services.case_feedback(actor=police, case=case, text="已立案侦查")
    assert not case.feedback_overdue
    assert Notification.objects.filter(recipient=nurse, title__contains="Feedback").exists()


def test_accept_overdue_flag(nurse, file_report):
    case = file_report(nurse)
    Case.objects.filter(pk=case.pk).update(accept_due_at=timezone.now() - timedelta(minutes=1))
    case.refresh_from_db()
    assert case.accept_overdue
    assert list(Case.objects.accept_overdue()) == [case]


def test_late_report_recorded_against_a_unit(county, nurse, prosecutor, file_report):
    case = file_report(nurse)
    late = services.late_report_record(
        actor=prosecutor, case=case, data={"unit": county.school_a, "note": "班主任早已知情"}
    )
    assert late.unit == county.school_a
    with pytest.raises(ValidationError) as error:
        services.late_report_record(actor=prosecutor, case=case, data={"unit": None})
    assert {"unit", "note"} <= set(error.value.message_dict)


def test_the_same_key_pushed_twice_at_once_gives_the_first_report(county, nurse, monkeypatch):
    """The second push looked before the first committed: its full_clean then trips on the key's
    unique constraint, and it answers with the first report instead of a 400."""
    first, _created = services.report_file(
        actor=nurse, data=report_data(county), idempotency_key="his-race"
    )
    real_filter = Case.objects.filter
    looks: list[int] = []

    def filter_missing_once(*args, **kwargs):
        if kwargs.get("idempotency_key") == "his-race" and not looks:
            looks.append(1)
            return Case.objects.none()  # not committed yet when this push looked
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Case.objects, "filter", filter_missing_once)
    again, created = services.report_file(
        actor=nurse, data=report_data(county), idempotency_key="his-race"
    )
    assert looks == [1]
    assert (again.pk, created) == (first.pk, False)
    assert real_filter(idempotency_key="his-race").count() == 1
