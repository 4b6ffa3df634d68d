"""The case services: guards (each refuses a wrong actor called directly), the checks of a
case, age at the offence in 周岁, decisions, the import's row errors, and the links to the
at-risk database and casework."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.accounts.models import Organisation, User
from weibao.atrisk.grading import Grade
from weibao.atrisk.models import AtRiskFile
from weibao.casework.models import Referral
from weibao.crimes import services
from weibao.crimes.models import AgeBand, Case, Decision, Suspect, Victim
from weibao.crimes.tests.conftest import HEADER, case_data, speech_rows
from weibao.people.models import Person
from weibao.testing import County, id_for, xlsx_upload

WRONG = ["proc_reader", "liaison_a", "police", "education", "outsider", "sysadmin"]


@pytest.mark.parametrize("who", WRONG)
def test_services_refuse_wrong_actors(
    who: str, county: County, case: Case, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(who)
    suspect, victim = case.suspects.first(), case.victims.first()
    assert suspect is not None and victim is not None
    calls = [
        lambda: services.case_create(actor=actor, data=case_data(county, number="X")),
        lambda: services.case_update(actor=actor, case=case, data=case_data(county)),
        lambda: services.decision_record(
            actor=actor, suspect=suspect, kind="no_arrest", decided_on=date(2025, 4, 1)
        ),
        lambda: services.cases_import(actor=actor, upload=xlsx_upload(HEADER, speech_rows())),
        lambda: services.suspect_send_to_atrisk(actor=actor, suspect=suspect),
        lambda: services.victim_refer(actor=actor, victim=victim),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.parametrize("who", ["liaison_a", "police", "education", "outsider", "sysadmin"])
def test_view_and_export_refused(who: str, case: Case, request: pytest.FixtureRequest) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.case_view(actor=actor, case=case)
    with pytest.raises(PermissionDenied):
        services.cases_export(actor=actor, among=Case.objects.all())


def test_case_create_derives_the_stored_fields(case: Case) -> None:
    assert case.offence_group == "property"
    assert case.prosecuted_on == date(2025, 5, 8)
    bands = sorted(case.suspects.values_list("age_band", flat=True))
    assert bands == [AgeBand.FROM_14_TO_16, AgeBand.FROM_16_TO_18]
    assert Decision.objects.filter(suspect__case=case).count() == 4
    assert case.victims.get().minor


def test_age_in_zhousui_from_the_register(county: County, prosecutor: User, minor: Person) -> None:
    """The boy's 14th birthday is the day after the offence: he is 13 (under 14); 周岁 count
    from the day after the birthday, so he is 14 from 2021-06-04."""
    data = case_data(county, suspects=[{"person": minor}], victims=[])
    data.update(offence_date=date(2021, 6, 2), joint=False, participants=1)
    case = services.case_create(actor=prosecutor, data=data)
    suspect = case.suspects.get()
    assert (suspect.age_at_offence, suspect.age_band, suspect.sex) == (13, AgeBand.UNDER_14, "M")
    services.case_update(
        actor=prosecutor, case=case, data={**data, "offence_date": date(2021, 6, 4)}
    )
    suspect.refresh_from_db()
    assert (suspect.age_at_offence, suspect.age_band) == (14, AgeBand.FROM_14_TO_16)


def test_checks_of_a_case(county: County, prosecutor: User) -> None:
    bad = case_data(county, gang=True, participants=2)
    with pytest.raises(ValidationError) as info:
        services.case_create(actor=prosecutor, data=bad)
    assert "participants" in info.value.message_dict
    early = case_data(county)
    early["suspects"][0] = {**early["suspects"][0], "arrest_on": date(2025, 2, 1)}
    with pytest.raises(ValidationError) as info:
        services.case_create(actor=prosecutor, data=early)
    assert set(info.value.message_dict) == {"suspects-0-arrest_on"}
    adult = case_data(county)
    adult["suspects"][0] = {
        **adult["suspects"][0],
        "age_at_offence": 19,
        "prosecution_kind": "conditional",
    }
    with pytest.raises(ValidationError) as info:
        services.case_create(actor=prosecutor, data=adult)
    assert "suspects-0-prosecution_kind" in info.value.message_dict
    assert not Case.objects.exists()


def test_number_is_unique(county: County, prosecutor: User, case: Case) -> None:
    with pytest.raises(ValidationError) as info:
        services.case_create(actor=prosecutor, data=case_data(county))
    assert "number" in info.value.message_dict


def test_decision_record_one_per_stage(prosecutor: User, case: Case) -> None:
    suspect = case.suspects.order_by("pk").first()
    assert suspect is not None
    services.decision_record(
        actor=prosecutor, suspect=suspect, kind="not_prosecute", decided_on=date(2025, 6, 1)
    )
    stages = list(suspect.decisions.values_list("stage", "kind"))
    assert sorted(stages) == [("arrest", "arrest"), ("prosecution", "not_prosecute")]
    with pytest.raises(ValidationError) as info:
        services.decision_record(
            actor=prosecutor, suspect=suspect, kind="arrest", decided_on=date(2025, 1, 1)
        )
    assert "decided_on" in info.value.message_dict


def test_import_with_one_bad_row_writes_nothing(prosecutor: User) -> None:
    rows = speech_rows()
    rows[5][12] = "判处死刑"  # an unknown prosecution decision
    report = services.cases_import(actor=prosecutor, upload=xlsx_upload(HEADER, rows))
    assert [(e.row, e.column) for e in report.errors] == [(7, "Prosecution decision")]
    assert not Case.objects.exists() and not Suspect.objects.exists()


def test_import_refuses_an_id_number_in_a_number_cell(prosecutor: User) -> None:
    rows = speech_rows()[:1]
    rows[0][7] = int(id_for(date(2006, 1, 5))[:17] + "1")  # a number cell, 18 digits
    rows[0][8] = ""
    report = services.cases_import(actor=prosecutor, upload=xlsx_upload(HEADER, rows))
    assert [(e.row, e.column) for e in report.errors] == [(2, "Suspect's ID number")]
    assert not Case.objects.exists()


def test_import_finds_the_person_by_id_number(prosecutor: User, minor: Person) -> None:
    row = ["乐检未刑诉〔2021〕88号", "盗窃", date(2021, 6, 2), "鳌溪镇", "否", "否", 1,
           id_for(date(2007, 6, 3), 311), "", "", "", "", "", "", "", ""]  # fmt: skip
    report = services.cases_import(actor=prosecutor, upload=xlsx_upload(HEADER, [row]))
    assert report.clean, report.errors
    suspect = Suspect.objects.get()
    assert suspect.person == minor and suspect.age_at_offence == 13


def test_import_case_columns_must_agree(prosecutor: User) -> None:
    rows = speech_rows()
    rows[1][1] = "诈骗"  # the second suspect's row of the first case names another offence
    report = services.cases_import(actor=prosecutor, upload=xlsx_upload(HEADER, rows))
    assert [(e.row, e.column) for e in report.errors] == [(3, "Offence")]


def test_send_to_atrisk_opens_a_t4_file_once(county: County, prosecutor: User) -> None:
    minor = Person.objects.create(
        name="张小军", sex="M", birth_date=date(2009, 1, 5), division=county.village_a,
        registered_by=county.procuratorate,
    )  # fmt: skip
    data = case_data(county, suspects=[{"person": minor, "arrest_kind": "arrest",
                                        "arrest_on": date(2025, 3, 20)}], victims=[])  # fmt: skip
    data.update(joint=False, participants=1)
    case = services.case_create(actor=prosecutor, data=data)
    suspect = case.suspects.get()
    measure = services.suspect_send_to_atrisk(actor=prosecutor, suspect=suspect)
    assert measure.kind == "criminal_case"
    file = AtRiskFile.objects.get(person=minor)
    # A criminal-case measure is sealed by law: T4 in the grade with sealed records.
    assert file.sealed_grade == Grade.CRIMINAL and measure.sealed
    again = services.suspect_send_to_atrisk(
        actor=prosecutor, suspect=Suspect.objects.get(pk=suspect.pk)
    )
    assert again.pk == measure.pk
    assert AtRiskFile.objects.filter(person=minor).count() == 1
    assert file.measures.count() == 1


def test_send_to_atrisk_needs_a_person(prosecutor: User, case: Case) -> None:
    suspect = case.suspects.first()
    assert suspect is not None
    with pytest.raises(ValidationError):
        services.suspect_send_to_atrisk(actor=prosecutor, suspect=suspect)


def test_victim_referred_to_civil_affairs_once(
    county: County, prosecutor: User, girl: Person, civil_affairs: Organisation
) -> None:
    case = services.case_create(
        actor=prosecutor, data=case_data(county, victims=[{"person": girl}])
    )
    victim = case.victims.get()
    referral = services.victim_refer(actor=prosecutor, victim=victim)
    assert (referral.to_unit, referral.child, referral.action) == (civil_affairs, girl, "relief")
    again = services.victim_refer(actor=prosecutor, victim=Victim.objects.get(pk=victim.pk))
    assert again.pk == referral.pk and Referral.objects.count() == 1
