"""event_record: opens files, links groups, grades at once; bad input is refused, nothing kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.atrisk import services
from weibao.atrisk.models import AtRiskFile, MisconductEvent, RiskWarning
from weibao.atrisk.tests.conftest import codes, make_person, report, years_ago
from weibao.audit.models import AuditEvent


def test_first_report_opens_a_graded_file_assigned_to_the_reporter(liaison_a, pupil_a, county):
    event = report(liaison_a, [pupil_a], "BL01", "BL02")
    file = AtRiskFile.objects.get(person=pupil_a)
    assert file.worker == liaison_a and file.unit == county.school_a
    assert file.school == county.school_a and file.township == county.township_a
    assert (file.grade, file.grade_rule) == ("T1", "T1:BL01,BL02")
    assert file.score > 0 and file.score_parts
    assert list(event.files.all()) == [file]
    assert AuditEvent.objects.filter(action="create", target_type="atrisk.misconductevent").exists()


def test_second_report_reuses_the_open_file_and_regrades(liaison_a, police, pupil_a):
    report(liaison_a, [pupil_a], "BL02")
    report(police, [pupil_a], "SB04")
    file = AtRiskFile.objects.get(person=pupil_a)
    assert file.grade == "T2"
    assert RiskWarning.objects.filter(file=file, kind="grade_up").exists()


def test_several_minors_make_a_group(coordinator, pupil_a, pupil_b):
    event = report(coordinator, [pupil_a, pupil_b], "SB01")
    assert event.is_group and event.files.count() == 2


def test_new_event_after_a_recent_closure_warns(liaison_a, pupil_a):
    report(liaison_a, [pupil_a], "BL02")
    old = AtRiskFile.objects.get(person=pupil_a)
    services.file_close(actor=liaison_a, file=old, reason="improved")
    report(liaison_a, [pupil_a], "BL01", days_ago=0)
    new = AtRiskFile.objects.open().get(person=pupil_a)
    assert new.pk != old.pk
    assert RiskWarning.objects.filter(file=new, kind="returned").exists()


@pytest.mark.parametrize(
    "change,field",
    [
        ({"behaviours": []}, "behaviours"),
        ({"occurred_on": timezone.localdate() + timedelta(days=1)}, "occurred_on"),
        ({"occurred_on": None}, "occurred_on"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(liaison_a, pupil_a, change, field):
    data = {"occurred_on": timezone.localdate(), "behaviours": codes("BL01"), **change}
    with pytest.raises(ValidationError) as exc:
        services.event_record(actor=liaison_a, people=[pupil_a], data=data)
    assert field in exc.value.message_dict
    assert not MisconductEvent.objects.exists() and not AtRiskFile.objects.exists()


def test_an_adult_cannot_be_reported(liaison_a, county):
    adult = make_person(
        "成年人", county.school_a, birth_date=years_ago(18, 1), seq=77, school=county.school_a
    )
    with pytest.raises(ValidationError) as exc:
        report(liaison_a, [adult], "BL01", days_ago=0)
    assert "is not a minor" in exc.value.message_dict["people"][0]
    assert not AtRiskFile.objects.exists()


def test_a_school_cannot_report_another_schools_pupil(liaison_b, pupil_a):
    with pytest.raises(ValidationError) as exc:
        report(liaison_b, [pupil_a], "BL01")
    assert exc.value.message_dict["people"] == ["You may report only minors you can see."]
    assert not AtRiskFile.objects.exists()


def test_left_behind_from_the_register_becomes_a_risk_factor(liaison_a, pupil_a):
    from weibao.people.models import LeftBehindStatus

    LeftBehindStatus.objects.create(child=pupil_a, parents_away="both")
    report(liaison_a, [pupil_a], "BL04")
    file = AtRiskFile.objects.get(person=pupil_a)
    factor = file.risk_factors.get()
    assert factor.kind == "left_behind" and factor.from_register
    assert any(p["kind"] == "factor" for p in file.score_parts)
