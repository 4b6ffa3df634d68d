"""The letter to parents: one a school and season; its text (six don'ts, four knows, the
catchment's waters) in Word and print; receipts from the class list and from Excel (every row
checked, nothing written on any bad row); coverage per school and township."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from weibao.drowning import services
from weibao.drowning.models import LetterReceipt, ParentLetter
from weibao.drowning.services import letters
from weibao.drowning.tests.conftest import make_pupil
from weibao.testing import id_for, xlsx_upload

HEADER = ["ID number", "Name", "Received on"]


def test_one_letter_a_season(letter, liaison_a, school_a) -> None:
    with pytest.raises(ValidationError) as caught:
        services.letter_create(
            actor=liaison_a,
            school=school_a,
            data={"year": 2026, "season": "summer", "issued_on": date(2026, 7, 2)},
        )
    assert "already has a letter for the summer holiday of 2026" in str(caught.value)
    assert ParentLetter.objects.count() == 1


def test_letter_not_in_the_future(liaison_a, school_a) -> None:
    with pytest.raises(ValidationError) as caught:
        services.letter_create(
            actor=liaison_a,
            school=school_a,
            data={"year": 2026, "season": "winter", "issued_on": date(2026, 7, 16)},
        )
    assert caught.value.message_dict["issued_on"] == ["The letter cannot be dated in the future."]


def test_text_names_the_catchment_waters(letter, make_water) -> None:
    make_water(name="后山塘")
    make_water(name="远处的河", latitude="27.700000")  # 30 km away: not in the catchment
    document = services.letter_document(letter)
    text = "\n".join(document.body)
    assert "不私自下水游泳" in text and "不熟悉水性的学生不擅自下水施救" in text
    for word in ("知去向", "知同伴", "知内容", "知归时"):
        assert word in text
    assert "后山塘" in text and "远处的河" not in text
    assert document.title == "2026年暑假防溺水安全告家长书"
    assert document.issuer == letter.school.name


def test_no_water_nearby_is_said(letter) -> None:
    assert "暂无登记的危险水域" in "\n".join(services.letter_document(letter).body)


def test_word_document(letter, liaison_a, make_water) -> None:
    make_water(name="后山塘")
    content = services.letter_download(actor=liaison_a, letter=letter)
    paragraphs = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    assert "2026年暑假防溺水安全告家长书" in paragraphs
    assert any("后山塘" in p for p in paragraphs)
    assert any(p.startswith("回执") for p in paragraphs)


def test_class_list_sets_the_page(letter, liaison_a, pupils) -> None:
    ids = [p.pk for p in pupils]
    added, removed = services.receipts_set(
        actor=liaison_a, letter=letter, shown=ids, received=ids[:2], received_on=date(2026, 7, 10)
    )
    assert (added, removed) == (2, 0)
    added, removed = services.receipts_set(
        actor=liaison_a, letter=letter, shown=ids, received=ids[1:], received_on=date(2026, 7, 11)
    )
    assert (added, removed) == (1, 1)
    assert set(LetterReceipt.objects.values_list("pupil_id", flat=True)) == set(ids[1:])


def test_class_list_refuses_another_schools_pupil(letter, liaison_a, pupils, county) -> None:
    other = make_pupil(county, "赵小", date(2015, 1, 1), 40, school=county.school_b)
    with pytest.raises(ValidationError):
        services.receipts_set(
            actor=liaison_a, letter=letter, shown=[other.pk], received=[other.pk],
            received_on=date(2026, 7, 10),
        )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.receipts_set(
            actor=liaison_a, letter=letter, shown=[pupils[0].pk], received=[pupils[0].pk],
            received_on=date(2026, 7, 16),
        )  # fmt: skip
    assert caught.value.message_dict["received_on"] == ["The date cannot be in the future."]
    assert not LetterReceipt.objects.exists()


def test_upload_good_rows(letter, liaison_a, pupils) -> None:
    upload = xlsx_upload(
        HEADER,
        [[pupils[0].id_number, "张小明", "2026-07-08"], [pupils[1].id_number, "", ""]],
    )
    report = services.receipts_import(actor=liaison_a, letter=letter, upload=upload)
    assert report.clean and report.created == 2
    again = services.receipts_import(
        actor=liaison_a, letter=letter, upload=xlsx_upload(HEADER, [[pupils[0].id_number]])
    )
    assert (again.created, again.already) == (0, 1)
    assert LetterReceipt.objects.get(pupil=pupils[0]).received_on == date(2026, 7, 8)


def test_upload_any_bad_row_writes_nothing(letter, liaison_a, pupils, county) -> None:
    stranger = id_for(date(2014, 1, 1), 99)
    upload = xlsx_upload(
        HEADER,
        [
            [pupils[0].id_number, "张小明", "2026-07-08"],  # good
            [int(pupils[1].id_number[:17] + "0"), "", ""],  # a rounded number
            [stranger, "", ""],  # no such pupil
            [pupils[2].id_number, "李大刚", ""],  # wrong name
            [pupils[0].id_number, "", ""],  # twice
            [pupils[2].id_number, "", "2026-07-30"],  # future
        ],
    )
    report = services.receipts_import(actor=liaison_a, letter=letter, upload=upload)
    problems = {(e.row, e.column): e.message for e in report.errors}
    assert "stored as a number" in problems[(3, "ID number")]
    assert problems[(4, "ID number")] == "No pupil of this school has this ID number."
    assert problems[(5, "Name")] == "The name is not the one in the register."
    assert problems[(6, "ID number")] == "The same pupil as in row 2."
    assert problems[(7, "Received on")] == "The date cannot be in the future."
    assert not LetterReceipt.objects.exists()


def test_upload_without_the_column(letter, liaison_a) -> None:
    with pytest.raises(ValidationError):
        services.receipts_import(
            actor=liaison_a, letter=letter, upload=xlsx_upload(["Name"], [["张"]])
        )


def test_coverage_by_school_and_township(letter, liaison_a, liaison_b, pupils, county) -> None:
    services.receipts_set(
        actor=liaison_a, letter=letter, shown=[pupils[0].pk], received=[pupils[0].pk],
        received_on=date(2026, 7, 10),
    )  # fmt: skip
    rows, townships = services.coverage(ParentLetter.objects.all())
    assert [(r.label, r.pupils, r.receipts, str(r.share)) for r in rows] == [
        ("鳌溪镇中心小学", 3, 1, "33.3")
    ]
    assert [(t.label, t.letters, t.pupils, t.receipts) for t in townships] == [("鳌溪镇", 1, 3, 1)]
    missing = list(services.without_receipt(letter))
    assert [p.pk for p in missing] == sorted(
        [pupils[1].pk, pupils[2].pk],
        key=lambda pk: [
            p.pk for p in sorted(pupils[1:], key=lambda p: (p.grade, p.class_name, p.name_pinyin))
        ].index(pk),
    )


def test_letter_waters_nearest_first(letter, make_water) -> None:
    far = make_water(name="远塘", latitude="27.450000")
    near = make_water(name="近塘", latitude="27.432000")
    assert [c.water_id for c in letters.letter_waters(letter)] == [near.pk, far.pk]
