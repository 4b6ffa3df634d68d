"""Volunteers: registered through the people register (the ID number encrypted, a minor or a
second registration refused, the register's name kept), changed, trained; the clearance read
from staff checks (clear, barred, pending, expired) and `require_cleared` naming the refused;
the Excel template, import (all rows or none) and export (which imports back as updates)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from weibao.audit.models import AuditEvent
from weibao.family import services
from weibao.family.models import Team, Training, Volunteer
from weibao.family.tests.conftest import TODAY, adult_id
from weibao.kit import crypto
from weibao.lib.masking import mask_name
from weibao.people.models import Person
from weibao.staffchecks.models import CheckItem
from weibao.testing import id_for, xlsx_upload

C = Volunteer.Clearance


def codes(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {name: [str(e.code) for e in errors] for name, errors in exc.value.error_dict.items()}


def data(county, default_team, **extra):
    base = {
        "name": "张伟",
        "id_number": adult_id(),
        "phone": "13800000000",
        "team": default_team,
        "township": county.township_a,
        "skills": "法治讲座",
        "availability": Volunteer.Availability.WEEKENDS,
    }
    base.update(extra)
    return base


# Registering -------------------------------------------------------------------------------


def test_create_registers_the_person_with_the_id_number_encrypted(county, civil, team) -> None:
    number = adult_id()
    volunteer = services.volunteer_create(actor=civil, data=data(county, team, id_number=number))
    person = Person.objects.get()
    assert volunteer.person == person and person.name == "张伟"
    assert person.id_number_hash == crypto.blind_index(number)
    assert number not in person.id_number_encrypted and person.id_number == number
    assert person.birth_date == date(1990, 5, 1)
    assert volunteer.team == team and volunteer.township == county.township_a
    assert volunteer.status == Volunteer.Status.ACTIVE and volunteer.created_by == civil
    assert volunteer.clearance == C.NONE and volunteer.clearance_on is None
    event = AuditEvent.objects.get(detail__operation="family_volunteer_create")
    assert event.target_id == str(volunteer.pk) and event.target_repr == mask_name("张伟")


def test_create_finds_a_person_already_registered(county, civil, team, womens) -> None:
    number = adult_id()
    from weibao.people.services import person_create

    person = person_create(actor=civil, data={"name": "王芳", "id_number": number})
    volunteer = services.volunteer_create(
        actor=womens, data=data(county, team, name="王芳", id_number=number)
    )
    assert volunteer.person == person and Person.objects.count() == 1


def test_a_minor_is_refused(county, civil, team) -> None:
    minor = id_for(date(2010, 3, 1), 321)
    with pytest.raises(ValidationError) as exc:
        services.volunteer_create(actor=civil, data=data(county, team, id_number=minor))
    assert "minor" in exc.value.message_dict["id_number"][0]
    assert not Person.objects.exists() and not Volunteer.objects.exists()


def test_a_bad_id_number_is_refused(county, civil, team) -> None:
    with pytest.raises(ValidationError) as exc:
        services.volunteer_create(
            actor=civil, data=data(county, team, id_number="36102519900101001X")
        )
    assert "check character" in exc.value.message_dict["id_number"][0]
    assert not Person.objects.exists()


def test_the_same_person_twice_is_refused(county, civil, team, lecturers_team) -> None:
    number = adult_id()
    services.volunteer_create(actor=civil, data=data(county, team, id_number=number))
    with pytest.raises(ValidationError) as exc:
        services.volunteer_create(actor=civil, data=data(county, lecturers_team, id_number=number))
    assert codes(exc)["id_number"] == ["duplicate"]
    assert team.name in exc.value.message_dict["id_number"][0]
    assert Volunteer.objects.count() == 1


def test_a_name_not_matching_the_register_is_refused(county, civil, team) -> None:
    number = adult_id()
    from weibao.people.services import person_create

    person_create(actor=civil, data={"name": "王芳", "id_number": number})
    with pytest.raises(ValidationError) as exc:
        services.volunteer_create(
            actor=civil, data=data(county, team, name="王方", id_number=number)
        )
    assert codes(exc)["name"] == ["name_mismatch"]
    assert mask_name("王芳") in exc.value.message_dict["name"][0]
    assert "王芳" not in exc.value.message_dict["name"][0]  # the register's name stays masked
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"name": ""}, "name"),
        ({"id_number": ""}, "id_number"),
        ({"team": None}, "team"),
        ({"township": None}, "township"),
        ({"township": "village"}, "township"),
        ({"joined_on": TODAY + timedelta(days=1)}, "joined_on"),
        ({"availability": "nights"}, "availability"),
    ],
)
def test_create_refuses(county, civil, team, extra, field) -> None:
    if extra.get("township") == "village":
        extra = {"township": county.village_a}
    with pytest.raises(ValidationError) as exc:
        services.volunteer_create(actor=civil, data=data(county, team, **extra))
    assert field in exc.value.message_dict
    assert not Person.objects.exists() and not Volunteer.objects.exists()


def test_an_inactive_team_is_refused(county, civil, team) -> None:
    Team.objects.filter(pk=team.pk).update(is_active=False)
    team.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.volunteer_create(actor=civil, data=data(county, team))
    assert codes(exc)["team"] == ["inactive"]


def test_update_changes_and_audits(county, civil, volunteer, lecturers_team) -> None:
    services.volunteer_update(
        actor=civil,
        volunteer=volunteer,
        data={"team": lecturers_team, "township": county.township_b, "status": "paused"},
    )
    volunteer.refresh_from_db()
    assert volunteer.team == lecturers_team and volunteer.township == county.township_b
    assert volunteer.status == Volunteer.Status.PAUSED
    event = AuditEvent.objects.get(detail__operation="family_volunteer_update")
    assert set(event.detail["changes"]) == {"team", "township", "status"}


def test_a_refused_update_leaves_the_volunteer(county, civil, volunteer) -> None:
    before = Volunteer.objects.filter(pk=volunteer.pk).values().get()
    with pytest.raises(ValidationError):
        services.volunteer_update(
            actor=civil,
            volunteer=volunteer,
            data={"skills": "新技能", "township": county.village_a},
        )
    assert Volunteer.objects.filter(pk=volunteer.pk).values().get() == before
    assert volunteer.skills == "法治讲座" and volunteer.township == county.township_a


def test_a_team_lead_may_not_change_volunteers(volunteer, team_lead) -> None:
    with pytest.raises(PermissionDenied):
        services.volunteer_update(actor=team_lead, volunteer=volunteer, data={"skills": "x"})


def test_viewing_is_audited(civil, volunteer) -> None:
    services.volunteer_view(actor=civil, volunteer=volunteer)
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.target_id == str(volunteer.pk)


# Training ----------------------------------------------------------------------------------


def test_training_is_recorded_by_the_team_lead(volunteer, team_lead) -> None:
    training = services.training_record(
        actor=team_lead,
        volunteer=volunteer,
        data={"held_on": "2026-09-01", "topic": " 家庭教育  促进法 ", "hours": "3.5"},
    )
    training.refresh_from_db()
    assert training.held_on == date(2026, 9, 1) and training.topic == "家庭教育 促进法"
    assert training.hours == Decimal("3.5") and training.recorded_by == team_lead
    assert AuditEvent.objects.filter(detail__operation="family_training_record").exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"held_on": TODAY + timedelta(days=1)}, "held_on"),
        ({"held_on": None}, "held_on"),
        ({"held_on": "15/09/2026"}, "held_on"),
        ({"topic": "  "}, "topic"),
        ({"hours": "0"}, "hours"),
        ({"hours": "-1"}, "hours"),
        ({"hours": "100.5"}, "hours"),
        ({"hours": "many"}, "hours"),
    ],
)
def test_training_refuses(civil, volunteer, values, field) -> None:
    payload = {"held_on": TODAY, "topic": "防溺水", "hours": "2", **values}
    with pytest.raises(ValidationError) as exc:
        services.training_record(actor=civil, volunteer=volunteer, data=payload)
    assert set(exc.value.message_dict) == {field}
    assert not Training.objects.exists()


def test_training_bounds_are_inclusive(civil, volunteer) -> None:
    for hours in ("0.1", "100"):
        services.training_record(
            actor=civil, volunteer=volunteer, data={"held_on": TODAY, "topic": "t", "hours": hours}
        )
    assert Training.objects.count() == 2


def test_a_lead_of_another_team_may_not_train(volunteer, other_lead, lecturers_team) -> None:
    with pytest.raises(PermissionDenied):
        services.training_record(
            actor=other_lead, volunteer=volunteer, data={"held_on": TODAY, "topic": "t", "hours": 1}
        )


# Clearance ---------------------------------------------------------------------------------


def test_clearance_is_read_from_staff_checks(volunteer, cleared) -> None:
    cleared(volunteer, days_ago=30)
    assert services.clearance_refresh([volunteer]) == 1
    volunteer.refresh_from_db()
    assert volunteer.clearance == C.CLEAR and volunteer.clearance_on == TODAY - timedelta(30)
    assert volunteer.is_cleared
    assert list(Volunteer.objects.cleared()) == [volunteer]
    assert services.clearance_refresh([volunteer]) == 0  # nothing new


def test_a_registration_reads_the_clearance_at_once(county, civil, team, cleared) -> None:
    first = services.volunteer_create(actor=civil, data=data(county, team))
    cleared(first)
    first.person.volunteer.delete()  # the same person registered again reads the check
    again = services.volunteer_create(
        actor=civil, data=data(county, team, id_number=first.person.id_number)
    )
    assert again.clearance == C.CLEAR and again.is_cleared


@pytest.mark.parametrize(
    ("result", "done", "expected"),
    [
        (CheckItem.Result.CLEAR, True, C.CLEAR),
        (CheckItem.Result.QUEUED, True, C.CLEAR),  # a finished check found nothing
        (CheckItem.Result.BARRED, True, C.BARRED),
        (CheckItem.Result.QUEUED, False, C.PENDING),
        (CheckItem.Result.POSSIBLE, False, C.PENDING),
    ],
)
def test_each_result_reads_as(volunteer, cleared, result, done, expected) -> None:
    cleared(volunteer, result, done=done)
    services.clearance_refresh([volunteer])
    volunteer.refresh_from_db()
    assert volunteer.clearance == expected
    assert volunteer.is_cleared == (expected == C.CLEAR)


def test_the_latest_check_counts(volunteer, cleared) -> None:
    cleared(volunteer, days_ago=100)
    cleared(volunteer, CheckItem.Result.BARRED, days_ago=5)
    services.clearance_refresh([volunteer])
    assert volunteer.clearance == C.BARRED and not volunteer.is_cleared


def test_a_clear_check_older_than_a_year_does_not_clear(volunteer, cleared) -> None:
    cleared(volunteer, days_ago=366)
    services.clearance_refresh([volunteer])
    volunteer.refresh_from_db()
    assert volunteer.clearance == C.CLEAR  # what staff checks says, as it says it
    assert not volunteer.is_cleared
    assert not Volunteer.objects.cleared().exists()
    fresh = Volunteer.objects.get(pk=volunteer.pk)
    fresh.clearance_on = TODAY - timedelta(days=365)
    assert fresh.is_cleared  # 365 days is still within the year


def test_refresh_all_reads_every_volunteer_not_left(make_volunteer, cleared) -> None:
    one, two, gone = make_volunteer(), make_volunteer(), make_volunteer()
    for v in (one, two, gone):
        cleared(v)
    Volunteer.objects.filter(pk=gone.pk).update(status=Volunteer.Status.LEFT)
    assert services.clearance_refresh_all() == {"volunteers": 2, "changed": 2}
    assert Volunteer.objects.get(pk=gone.pk).clearance == C.NONE


def test_require_cleared_names_the_refused(make_volunteer, cleared) -> None:
    ok = make_volunteer(name="张伟")
    old = make_volunteer(name="王芳")
    never = make_volunteer(name="李娜")
    cleared(ok)
    cleared(old, days_ago=400)
    services.require_cleared([ok])  # passes
    with pytest.raises(ValidationError) as exc:
        services.require_cleared([ok, old, never], "lecturers")
    assert codes(exc) == {"lecturers": ["not_cleared"]}
    message = exc.value.message_dict["lecturers"][0]
    assert mask_name("王芳") in message and mask_name("李娜") in message
    assert mask_name("张伟") not in message


def test_require_cleared_reads_staff_checks_now(volunteer, cleared) -> None:
    with pytest.raises(ValidationError):
        services.require_cleared([volunteer])
    cleared(volunteer)  # the check came back since
    services.require_cleared([volunteer])


# Excel -------------------------------------------------------------------------------------


def header() -> list[str]:
    return [str(c.header) for c in services.COLUMNS]


def row(**values):
    base = {
        "name": "张伟",
        "id_number": adult_id(),
        "phone": "13800000000",
        "team": "法治宣教志愿者队",
        "township": "鳌溪镇",
        "skills": "讲座",
        "availability": "weekends",
        "status": "active",
        "joined_on": "2024-03-01",
    }
    base.update(values)
    return [base.get(c.key, "") for c in services.COLUMNS]


def test_the_template_round_trips(county, civil, team) -> None:
    book = load_workbook(io.BytesIO(services.volunteers_template()))
    sheet = book.active
    assert [c.value for c in sheet[1]] == header()
    example = {c.key: sheet.cell(2, i + 1).value for i, c in enumerate(services.COLUMNS)}
    assert example["team"] == "法治宣教志愿者队" and example["township"] == "鳌溪镇"
    number = adult_id()
    id_col = [c.key for c in services.COLUMNS].index("id_number") + 1
    assert sheet.cell(3, id_col).number_format == "@"  # text cells: long numbers stay exact
    sheet.cell(2, id_col).value = number
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("t.xlsx", buffer.getvalue())
    report = services.volunteers_import(actor=civil, upload=upload)
    assert report.clean, report.errors
    volunteer = Volunteer.objects.get()
    assert volunteer.person.name == example["name"] and volunteer.team == team
    assert volunteer.person.id_number_hash == crypto.blind_index(number)


def test_a_clean_file_creates_every_row(county, civil, team, lecturers_team) -> None:
    upload = xlsx_upload(
        header(),
        [
            row(name="张伟"),
            row(name="王芳", team=str(lecturers_team.pk), township="361025101000"),
            row(name="李娜", availability="", status="", joined_on=""),
        ],
    )
    report = services.volunteers_import(actor=civil, upload=upload)
    assert report.clean, report.errors
    assert (report.created, report.updated) == (3, 0)
    by_name = {v.person.name: v for v in Volunteer.objects.select_related("person")}
    assert set(by_name) == {"张伟", "王芳", "李娜"}
    assert by_name["王芳"].team == lecturers_team
    assert by_name["王芳"].township == county.township_b
    assert by_name["张伟"].joined_on == date(2024, 3, 1)
    assert by_name["李娜"].availability == Volunteer.Availability.ANY
    assert by_name["李娜"].joined_on == TODAY
    assert Person.objects.count() == 3
    event = AuditEvent.objects.get(detail__operation="family_volunteers_import")
    assert (event.detail["rows"], event.detail["created"]) == (3, 3)


def test_a_file_with_bad_rows_writes_nothing(county, civil, team) -> None:
    same = adult_id()
    upload = xlsx_upload(
        header(),
        [
            row(name="张伟"),
            row(name="王芳", id_number="36102519900101001X"),
            row(name="李娜", team="无此队"),
            row(name="刘洋", township="无此镇"),
            row(name="陈静", id_number=id_for(date(2012, 1, 1), 777)),
            row(name="杨帆", status="retired"),
            row(name="赵磊", joined_on="next week"),
            row(name="黄敏", id_number=same),
            row(name="周杰", id_number=same),
        ],
    )
    report = services.volunteers_import(actor=civil, upload=upload)
    assert not report.clean
    assert not Volunteer.objects.exists() and not Person.objects.exists()
    by_row = {(e.row, e.column) for e in report.errors}
    assert (3, "ID number") in by_row
    assert (4, "Team") in by_row
    assert (5, "Township") in by_row
    assert (6, "ID number") in by_row
    assert (7, "Status") in by_row
    assert (8, "Joined on") in by_row
    assert (10, "ID number") in by_row
    assert not any(e.row in (2, 9) for e in report.errors)
    messages = {e.row: e.message for e in report.errors}
    assert "无此队" in messages[4] and "无此镇" in messages[5]
    assert "row 9" in messages[10]
    assert not AuditEvent.objects.filter(detail__operation="family_volunteers_import").exists()


def test_an_id_number_typed_as_a_number_is_refused(county, civil, team) -> None:
    number = int(id_for(date(1990, 5, 1), 457)[:17] + "0")  # digits only, as Excel keeps them
    upload = xlsx_upload(header(), [row(id_number=number)])
    report = services.volunteers_import(actor=civil, upload=upload)
    assert not report.clean
    [error] = report.errors
    assert (error.row, error.column) == (2, "ID number")
    assert "15 digits" in error.message
    assert not Person.objects.exists()


def test_a_reimported_export_updates_and_does_not_duplicate(
    county, civil, make_volunteer, lecturers_team, cleared
) -> None:
    one, two = make_volunteer(name="张伟"), make_volunteer(name="王芳")
    cleared(one)
    services.clearance_refresh([one])
    exported = services.volunteers_export(actor=civil)
    sheet = load_workbook(io.BytesIO(exported)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == [*header(), "Criminal-record check", "Checked on"]
    assert [r[0] for r in rows[1:]] == ["张伟", "王芳"]
    assert rows[1][1] == one.person.id_number  # the whole number, as text
    assert rows[1][9] == "clear" and rows[2][9] == "not checked"
    event = AuditEvent.objects.get(detail__operation="family_volunteers_export")
    assert event.action == AuditEvent.Action.EXPORT and event.detail["rows"] == 2

    # Unchanged, it imports back as nothing new; with a change, as one update.
    report = services.volunteers_import(actor=civil, upload=SimpleUploadedFile("e.xlsx", exported))
    assert report.clean, report.errors
    assert (report.created, report.updated) == (0, 0)
    book = load_workbook(io.BytesIO(exported))
    team_col = [c.key for c in services.COLUMNS].index("team") + 1
    book.active.cell(3, team_col).value = lecturers_team.name
    buffer = io.BytesIO()
    book.save(buffer)
    report = services.volunteers_import(
        actor=civil, upload=SimpleUploadedFile("e.xlsx", buffer.getvalue())
    )
    assert report.clean, report.errors
    assert (report.created, report.updated) == (0, 1)
    assert Volunteer.objects.count() == 2 and Person.objects.count() == 2
    two.refresh_from_db()
    assert two.team == lecturers_team


def test_the_export_of_a_team_lead_holds_only_their_team(
    county, make_volunteer, lecturers_team, team_lead
) -> None:
    make_volunteer(name="张伟")
    make_volunteer(name="王芳", team=lecturers_team)
    sheet = load_workbook(io.BytesIO(services.volunteers_export(actor=team_lead))).active
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == ["张伟"]
    among = Volunteer.objects.filter(team=lecturers_team)
    sheet = load_workbook(io.BytesIO(services.volunteers_export(actor=team_lead, among=among)))
    assert sheet.active.max_row == 1  # only the header: the other team is not theirs
