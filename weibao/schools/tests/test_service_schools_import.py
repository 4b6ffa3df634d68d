from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from weibao.accounts.models import Organisation
from weibao.audit.models import AuditEvent
from weibao.lib import creditcode
from weibao.schools.models import School
from weibao.schools.services import schools_export, schools_import
from weibao.schools.tests.conftest import CODE_A, row, xlsx

NEW_CODE = creditcode.make("12", "361025", "MB0000007")
BAD_CODE = NEW_CODE[:17] + ("1" if NEW_CODE[17] != "1" else "2")


def _state() -> list[tuple]:
    return sorted(
        School.objects.values_list(
            "organisation__name", "organisation__credit_code", "organisation__division__code",
            "kind", "ownership", "address", "latitude", "longitude", "pupil_count",
            "staff_count", "principal_name", "principal_phone",
        )
    )  # fmt: skip


def test_imports_new_schools(county, education) -> None:
    upload = xlsx([
        row(credit_code=NEW_CODE, latitude="27.44", longitude="115.8"),
        row(name="公溪幼儿园", kind="kindergarten", ownership="private", township="361025101000",
            village="", principal_phone=""),
    ])  # fmt: skip
    report = schools_import(actor=education, upload=upload)
    assert report.clean, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    first = School.objects.get(organisation__name="鳌溪村小学")
    assert first.organisation.credit_code == NEW_CODE
    assert first.organisation.division == county.village_a
    assert first.pupil_count == 120
    second = School.objects.get(organisation__name="公溪幼儿园")
    assert second.kind == School.Kind.KINDERGARTEN
    assert second.ownership == School.Ownership.PRIVATE
    assert second.organisation.division == county.township_b
    assert second.organisation.kind == Organisation.Kind.KINDERGARTEN
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPLOAD).count() == 1


def test_updates_a_school_matched_by_credit_code_or_name(county, education, record_a) -> None:
    upload = xlsx([
        row(name="鳌溪镇第一小学", credit_code=CODE_A, pupil_count="333"),
        row(name="公溪镇中学", kind="junior secondary school", township="公溪镇", village="公溪村"),
    ])  # fmt: skip
    report = schools_import(actor=education, upload=upload)
    assert report.clean, report.errors
    assert (report.created, report.updated) == (1, 1)
    record_a.refresh_from_db()
    assert record_a.organisation.name == "鳌溪镇第一小学"
    assert record_a.pupil_count == 333
    # School B's unit had no record: the import files one for it, not a second unit.
    assert School.objects.get(organisation=county.school_b).kind == School.Kind.JUNIOR
    assert Organisation.objects.filter(name="公溪镇中学").count() == 1


def test_chinese_headers_and_labels_import(county, education) -> None:
    with translation.override("zh-hans"):
        from weibao.schools.services import COLUMNS

        headers = [str(column.header) for column in COLUMNS]
        kind = str(School.Kind.PRIMARY.label)
    report = schools_import(actor=education, upload=xlsx([row(kind=kind)], header=headers))
    assert report.clean, report.errors


BAD_ROWS = [
    (row(name="甲小学", credit_code=BAD_CODE), "Credit code", "check character"),
    (row(name="乙小学", kind="university"), "School kind", "Unknown school kind"),
    (row(name="丙小学", township="火星镇"), "Township", "Unknown township"),
    (row(name="丁小学", village="月亮村"), "Village or community", "no village or community"),
    (row(name="戊小学", principal_phone="12345"), "Principal's phone", ""),
    (row(name="己小学", pupil_count="many"), "Pupils", "whole number"),
    (row(name="庚小学", latitude="95", longitude="115"), "Latitude", "not within China"),
    (row(name="辛小学", ownership="church"), "Ownership", "Unknown ownership"),
    (row(name="鳌溪宾馆"), "School name", "not a school"),
]


@pytest.mark.parametrize(("bad", "column", "text"), BAD_ROWS)
def test_bad_row_is_reported_and_nothing_written(county, education, record_a, bad, column, text):
    before = _state()
    report = schools_import(actor=education, upload=xlsx([row(name="好小学"), bad]))
    assert not report.clean
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert text in report.errors[0].message
    assert _state() == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPLOAD).exists()


def test_duplicates_in_the_file(county, education) -> None:
    upload = xlsx([
        row(),
        row(credit_code=NEW_CODE),  # the same name as row 2
        row(name="另一所小学", credit_code=NEW_CODE),  # the same credit code as row 3
    ])  # fmt: skip
    report = schools_import(actor=education, upload=upload)
    found = {(e.row, e.column, e.message) for e in report.errors}
    assert found == {
        (3, "School name", "The same as row 2 above."),
        (4, "Credit code", "The same as row 3 above."),
    }
    assert not School.objects.exists()


def test_every_bad_row_is_reported(county, education) -> None:
    upload = xlsx([row(name=f"学校{n}", kind="x") for n in range(5)])
    report = schools_import(actor=education, upload=upload)
    assert [e.row for e in report.errors] == [2, 3, 4, 5, 6]


def test_not_a_workbook(county, education) -> None:
    import io

    upload = io.BytesIO(b"name,kind\n")
    with pytest.raises(ValidationError):
        schools_import(actor=education, upload=upload)


def test_missing_column(county, education) -> None:
    with pytest.raises(ValidationError) as caught:
        schools_import(actor=education, upload=xlsx([["x"]], header=["School name"]))
    assert "School kind" in caught.value.messages[0]


def test_export_reimports_unchanged(county, education, record_a, record_b) -> None:
    before = _state()
    content = schools_export(actor=education, purpose="yearly check")
    import io

    report = schools_import(actor=education, upload=io.BytesIO(content))
    assert report.clean, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert _state() == before
    assert not AuditEvent.objects.filter(target_type="schools.school").exists()


@pytest.mark.parametrize("name", ["admin_a", "liaison_a", "outsider"])
def test_not_allowed(request, county, name) -> None:
    with pytest.raises(PermissionDenied):
        schools_import(actor=request.getfixturevalue(name), upload=xlsx([row()]))
    assert not School.objects.exists()
