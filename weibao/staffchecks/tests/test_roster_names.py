"""A roster row whose ID number is in the people register under another name is a row error
(the register's name shown masked), never a silent change of the typed name; the templates'
example rows pass their importers' own checks; a register row born in the future is refused."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from weibao.accounts.models import User
from weibao.kit import spreadsheets
from weibao.people.models import Person
from weibao.people.tests.conftest import make_person
from weibao.staffchecks import services
from weibao.staffchecks.models import RosterUpload, StaffMember
from weibao.staffchecks.services.batches import _applicant_row
from weibao.staffchecks.services.register import _register_row_checker
from weibao.staffchecks.services.rosters import _roster_row_checker
from weibao.staffchecks.tests.conftest import ROSTER_HEADER
from weibao.testing import County, id_for

NUMBER = id_for(date(1986, 4, 2), 71)


@pytest.fixture
def registered(county: County) -> Person:
    """饶杰波, already in the people register (a guardian the school registered)."""
    return make_person("饶杰波", county.school_a, id_number=NUMBER, birth_date=date(1986, 4, 2))


def test_upload_with_another_name_is_a_row_error(
    county: County, admin_a: User, registered: Person, make_xlsx: Callable[..., Any]
) -> None:
    file = make_xlsx(
        ROSTER_HEADER,
        [
            ["张伟", id_for(date(1985, 3, 15), 11), "teacher", "2020-09-01", ""],
            ["李春华", NUMBER, "teacher", "2020-09-01", ""],
        ],
    )
    upload = services.roster_upload(actor=admin_a, unit=county.school_a, upload=file)
    assert upload.status == RosterUpload.Status.VALIDATED
    assert (upload.good_rows, upload.bad_rows) == (1, 1)
    assert upload.errors == [
        {
            "row": 3,
            "column": "Name",
            "message": "Does not match the name in the people register (registered as 饶*波).",
        }
    ]
    assert not StaffMember.objects.exists()
    registered.refresh_from_db()
    assert registered.name == "饶杰波"
    # The good rows alone may be imported: the mismatched row stays out.
    assert services.roster_upload_import(actor=admin_a, roster=upload) == 1
    assert not StaffMember.objects.filter(person=registered).exists()


def test_the_same_name_written_otherwise_is_accepted(
    county: County, admin_a: User, registered: Person, make_xlsx: Callable[..., Any]
) -> None:
    file = make_xlsx(ROSTER_HEADER, [["饶 杰波", NUMBER, "teacher", "2020-09-01", ""]])
    upload = services.roster_upload(actor=admin_a, unit=county.school_a, upload=file)
    assert upload.status == RosterUpload.Status.IMPORTED, upload.errors
    assert StaffMember.objects.get().person == registered


def test_adding_one_person_with_another_name_is_refused(
    county: County, admin_a: User, registered: Person
) -> None:
    data = {"name": "李春华", "id_number": NUMBER, "role": "teacher", "start_date": "2020-09-01"}
    with pytest.raises(ValidationError) as info:
        services.staff_add(actor=admin_a, unit=county.school_a, data=data)
    assert "registered as 饶*波" in info.value.message_dict["name"][0]
    assert not StaffMember.objects.exists()


def test_the_add_page_shows_it_on_the_name(
    county: County, admin_a: User, registered: Person, client_for: Callable[..., Any]
) -> None:
    response = client_for(admin_a).post(
        reverse("staffchecks:staff_add", args=[county.school_a.pk]),
        {"name": "李春华", "id_number": NUMBER, "role": "teacher", "start_date": "2020-09-01"},
    )
    assert "registered as 饶*波" in response.content.decode()
    assert not StaffMember.objects.exists()


def test_the_add_page_refuses_another_unit(
    county: County, liaison_b: User, registered: Person, client_for: Callable[..., Any]
) -> None:
    response = client_for(liaison_b).post(
        reverse("staffchecks:staff_add", args=[county.school_a.pk]),
        {"name": "饶杰波", "id_number": NUMBER, "role": "teacher", "start_date": "2020-09-01"},
    )
    assert response.status_code in (403, 404)
    assert not StaffMember.objects.exists()


# The templates' own example rows -----------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "checker"),
    [
        (services.ROSTER_COLUMNS, lambda: _roster_row_checker(timezone.localdate())),
        (services.REGISTER_COLUMNS, lambda: _register_row_checker(timezone.localdate())),
        (services.APPLICANT_COLUMNS, lambda: _applicant_row),
    ],
    ids=["roster", "register", "applicants"],
)
def test_template_example_rows_pass_the_importers_check(db: None, columns, checker) -> None:
    template = io.BytesIO(spreadsheets.template_bytes("t", columns))
    report = spreadsheets.validate_rows(template, columns, checker())
    assert not report.errors, report.errors
    assert len(report.good) == 1


def test_roster_template_download_passes_the_upload(
    county: County, admin_a: User, client_for: Callable[..., Any]
) -> None:
    response = client_for(admin_a).get(
        reverse("staffchecks:roster_template", args=[county.school_a.pk])
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    file = SimpleUploadedFile("template.xlsx", content)
    upload = services.roster_upload(actor=admin_a, unit=county.school_a, upload=file)
    assert upload.status == RosterUpload.Status.IMPORTED, upload.errors


# Birth dates of the register -----------------------------------------------------------------


@time_machine.travel(date(2026, 5, 10), tick=False)
def test_register_row_born_in_the_future_is_refused(
    police: User, make_xlsx: Callable[..., Any]
) -> None:
    header = ["Name", "ID number", "Birth date", "Categories"]
    file = make_xlsx(
        header, [["钱二", "", "2026-05-11", "sexual"], ["孙三", "", "1899-12-31", "abuse"]]
    )
    with pytest.raises(services.RegisterFileError) as info:
        services.register_import(actor=police, upload=file)
    found = {(e.row, e.column): e.message for e in info.value.row_errors}
    assert set(found) == {(2, "Birth date"), (3, "Birth date")}
    assert "in the future" in found[(2, "Birth date")]
    assert "before 1900" in found[(3, "Birth date")]
