"""Roster uploads: a clean file is imported at once; a file with a bad row writes nothing, every
bad row is reported by row and column, and the unit then imports only the good rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.kit import crypto
from weibao.people.models import Person
from weibao.staffchecks import services
from weibao.staffchecks.models import RosterUpload, StaffMember
from weibao.staffchecks.tests.conftest import ROSTER_HEADER
from weibao.testing import County, id_for

GOOD_1 = id_for(date(1985, 3, 15), 11)
GOOD_2 = id_for(date(1990, 7, 1), 22)


def _bad_file(make_xlsx: Callable[..., Any], existing: str) -> Any:
    return make_xlsx(
        ROSTER_HEADER,
        [
            ["张伟", GOOD_1, "teacher", "2020-09-01", ""],  # row 2 good
            ["王芳", "361025199007011234", "teacher", "2020-09-01", ""],  # 3 bad check char
            ["李娜", GOOD_2, "astronaut", "2020-09-01", ""],  # 4 unknown role
            ["赵敏", id_for(date(1988, 1, 1), 33), "教师", "2020-13-45", ""],  # 5 bad date
            ["钱七", GOOD_1, "teacher", "2021-09-01", ""],  # 6 duplicate of row 2
            ["孙八", existing, "canteen", "2019-09-01", ""],  # 7 already on the roster
            ["周九", id_for(date(1970, 1, 1), 44), "driver", "2020-09-01", "2019-01-01"],  # 8
        ],
    )


@pytest.fixture
def existing(county: County, admin_a: User) -> StaffMember:
    return services.staff_add(
        actor=admin_a,
        unit=county.school_a,
        data={
            "name": "吴十",
            "id_number": id_for(date(1975, 5, 5), 55),
            "role": "teacher",
            "start_date": "2010-09-01",
        },
    )


def test_bad_rows_are_reported_and_nothing_is_written(
    county: County, admin_a: User, existing: StaffMember, make_xlsx: Callable[..., Any]
) -> None:
    people_before = Person.objects.count()
    upload = services.roster_upload(
        actor=admin_a,
        unit=county.school_a,
        upload=_bad_file(make_xlsx, existing.person.id_number),
    )
    errors = {(e["row"], e["column"]) for e in upload.errors}
    assert errors == {
        (3, "ID number"),
        (4, "Role"),
        (5, "Start date"),
        (6, "ID number"),
        (7, "ID number"),
        (8, "End date"),
    }
    messages = {e["row"]: e["message"] for e in upload.errors}
    assert "Bad check character" in messages[3]
    assert "astronaut" in messages[4]
    assert "row 2" in messages[6]
    assert "already on the unit's roster" in messages[7]
    assert (upload.good_rows, upload.bad_rows) == (1, 6)
    assert StaffMember.objects.count() == 1
    assert Person.objects.count() == people_before


def test_import_good_rows_writes_only_those(
    county: County, admin_a: User, existing: StaffMember, make_xlsx: Callable[..., Any]
) -> None:
    upload = services.roster_upload(
        actor=admin_a,
        unit=county.school_a,
        upload=_bad_file(make_xlsx, existing.person.id_number),
    )
    assert services.roster_upload_import(actor=admin_a, roster=upload) == 1
    added = StaffMember.objects.exclude(pk=existing.pk).get()
    assert added.person.name == "张伟"
    assert added.person.registered_by == county.school_a
    assert added.role == "teacher"
    upload.refresh_from_db()
    assert upload.status == RosterUpload.Status.IMPORTED
    event = AuditEvent.objects.filter(
        target_type="staffchecks.rosterupload", target_id=str(upload.pk), action="create"
    ).get()
    assert event.detail["rows"] == 1
    with pytest.raises(ValidationError):
        services.roster_upload_import(actor=admin_a, roster=upload)


def test_clean_file_imports_chinese_roles_and_links_existing_people(
    county: County, admin_a: User, liaison_b: User, make_xlsx: Callable[..., Any]
) -> None:
    # The same person already works at school B: one Person, two roster posts.
    services.staff_add(
        actor=liaison_b,
        unit=county.school_b,
        data={"name": "张伟", "id_number": GOOD_1, "role": "teacher", "start_date": "2001-09-01"},
    )
    file = make_xlsx(
        ROSTER_HEADER,
        [
            ["张伟", GOOD_1.lower(), "教师", "2020/9/1", ""],
            ["王芳", GOOD_2, "食堂", "2020年9月1日", "2020-12-31"],
        ],
    )
    upload = services.roster_upload(actor=admin_a, unit=county.school_a, upload=file)
    assert upload.errors == [] and upload.good_rows == 2
    assert (upload.status, upload.imported_rows) == (RosterUpload.Status.IMPORTED, 2)
    assert (
        AuditEvent.objects.filter(
            target_type="staffchecks.rosterupload", target_id=str(upload.pk), action="create"
        )
        .get()
        .detail["rows"]
        == 2
    )
    with pytest.raises(ValidationError, match="imported already"):
        services.roster_upload_import(actor=admin_a, roster=upload)
    assert Person.objects.filter(name="张伟").count() == 1
    leaver = StaffMember.objects.get(unit=county.school_a, person__name="王芳")
    assert (leaver.status, leaver.role) == (StaffMember.Status.LEFT, "canteen")
    # The new person is written in full by the bulk insert: keys, pinyin, defaults.
    person = leaver.person
    assert person.id_number == GOOD_2 and person.id_number_hash == crypto.blind_index(GOOD_2)
    assert (person.name_pinyin, person.name_initials) == ("wangfang", "wf")
    assert person.registered_by == county.school_a and person.phone == ""
    assert person.created_at is not None and person.updated_at is not None
    assert leaver.start_date == date(2020, 9, 1) and leaver.end_date == date(2020, 12, 31)
    assert Person.objects.filter(pk=person.pk).exists()  # findable through the ORM as usual


def test_import_refuses_when_the_roster_changed_meanwhile(
    county: County, admin_a: User, make_xlsx: Callable[..., Any]
) -> None:
    file = make_xlsx(
        ROSTER_HEADER,
        [["张伟", GOOD_1, "teacher", "2020-09-01", ""], ["王芳", "1", "teacher", "2020-09-01", ""]],
    )
    upload = services.roster_upload(actor=admin_a, unit=county.school_a, upload=file)
    assert (upload.good_rows, upload.bad_rows) == (1, 1)
    services.staff_add(
        actor=admin_a,
        unit=county.school_a,
        data={"name": "张伟", "id_number": GOOD_1, "role": "teacher", "start_date": "2020-09-01"},
    )
    with pytest.raises(ValidationError, match="roster changed"):
        services.roster_upload_import(actor=admin_a, roster=upload)
    assert StaffMember.objects.count() == 1


def test_a_bad_last_row_undoes_the_rows_already_written(
    county: County,
    admin_a: User,
    make_xlsx: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One row per chunk: the good rows are written before the bad one is read.
    monkeypatch.setattr(services.rosters, "CHUNK", 1)
    people_before = Person.objects.count()
    rows = [
        ["张伟", GOOD_1, "teacher", "2020-09-01", ""],
        ["王芳", GOOD_2, "食堂", "2020-09-01", ""],
    ]
    file = make_xlsx(ROSTER_HEADER, [*rows, ["李娜", "361025", "teacher", "2020-09-01", ""]])
    upload = services.roster_upload(actor=admin_a, unit=county.school_a, upload=file)
    assert (upload.status, upload.good_rows, upload.bad_rows) == ("validated", 2, 1)
    assert upload.errors[0]["row"] == 4
    assert not StaffMember.objects.exists() and Person.objects.count() == people_before
    assert services.roster_upload_import(actor=admin_a, roster=upload) == 2
    assert StaffMember.objects.filter(unit=county.school_a).count() == 2


def test_errors_file_has_the_bad_rows_and_their_columns(
    county: County, admin_a: User, existing: StaffMember, make_xlsx: Callable[..., Any]
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    upload = services.roster_upload(
        actor=admin_a,
        unit=county.school_a,
        upload=_bad_file(make_xlsx, existing.person.id_number),
    )
    content = services.roster_upload_errors_bytes(actor=admin_a, roster=upload)
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [3, 4, 5, 6, 7, 8]
    assert rows[2][2] == "李娜" and "astronaut" in rows[2][1]


def test_staff_add_refuses_bad_id_with_field(county: County, admin_a: User) -> None:
    with pytest.raises(ValidationError) as info:
        services.staff_add(
            actor=admin_a,
            unit=county.school_a,
            data={"name": "x", "id_number": "123", "role": "teacher", "start_date": "2020-01-01"},
        )
    assert "id_number" in info.value.message_dict
    assert not StaffMember.objects.exists()


def test_mark_left_keeps_the_record(county: County, admin_a: User, existing: StaffMember) -> None:
    services.staff_mark_left(actor=admin_a, staff=existing)
    existing.refresh_from_db()
    assert existing.status == StaffMember.Status.LEFT and existing.end_date is not None


def test_an_id_number_typed_as_a_number_is_refused_not_rounded_to_another(
    county: County, admin_a: User, make_xlsx: Callable[..., Any]
) -> None:
    """3.61025198501059E+17 read back as 361025198501059008, checksum-valid: a barred person
    could have passed the record check under somebody else's number."""
    rounded = float("3.61025198501059E+17")
    file = make_xlsx(ROSTER_HEADER, [["张伟", rounded, "teacher", "2020-09-01", ""]])
    upload = services.roster_upload(actor=admin_a, unit=county.school_a, upload=file)
    assert (upload.good_rows, upload.bad_rows) == (0, 1)
    [error] = upload.errors
    assert error["row"] == 2 and "format the column as text" in error["message"]
    assert not StaffMember.objects.exists()
