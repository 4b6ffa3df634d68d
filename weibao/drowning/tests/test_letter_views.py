"""The letter pages: each opens for the right user and refuses the wrong one (a school its own
letters, the education bureau all, a township its schools'); the class list saves the page's
receipts; the upload reports row errors; lists keep their query count."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from weibao.drowning.models import LetterReceipt, ParentLetter
from weibao.drowning.tests.conftest import make_pupil
from weibao.testing import xlsx_upload


@pytest.fixture
def world(letter) -> dict:
    return {"letter": letter}


# url name, argument key, the user who may open it, a user refused (403/404).
PAGES = [
    ("letter_list", None, "liaison_a", "police"),
    ("letter_create", None, "liaison_a", "edu_reader"),
    ("letter_coverage", None, "township_worker", "water_bureau"),
    ("letter_detail", "letter", "edu_reader", "liaison_b"),
    ("letter_docx", "letter", "township_worker", "township_b_worker"),
    ("letter_print", "letter", "liaison_a", "liaison_b"),
    ("letter_receipts", "letter", "liaison_a", "liaison_b"),
    ("letter_receipts_upload", "letter", "liaison_a", "edu_reader"),
    ("letter_receipts_template", "letter", "liaison_a", "police"),
    ("letter_missing", "letter", "edu_reader", "village_clerk"),
]


@pytest.mark.parametrize(("name", "arg", "allowed", "refused"), PAGES)
def test_page_access(request, client_for, world, name, arg, allowed, refused) -> None:
    url = reverse(f"drowning:{name}", args=[world[arg].pk] if arg else [])
    response = client_for(request.getfixturevalue(allowed)).get(url)
    assert response.status_code == 200, response.content[:300]
    assert client_for(request.getfixturevalue(refused)).get(url).status_code in (403, 404)


@pytest.mark.parametrize("user", ["sysadmin", "auditor", "outsider"])
def test_nobody_else(request, client_for, world, user) -> None:
    client = client_for(request.getfixturevalue(user))
    for name in ("letter_list", "letter_coverage"):
        assert client.get(reverse(f"drowning:{name}")).status_code == 403
    assert client.get(reverse("drowning:letter_detail", args=[world["letter"].pk])).status_code in (
        403, 404
    )  # fmt: skip


def test_school_sees_only_its_letters(client_for, world, liaison_b, school_b) -> None:
    response = client_for(liaison_b).get(reverse("drowning:letter_list"))
    assert "鳌溪镇中心小学" not in response.content.decode()


def test_township_sees_its_schools(client_for, world, township_worker, township_b_worker) -> None:
    url = reverse("drowning:letter_list")
    assert "鳌溪镇中心小学" in client_for(township_worker).get(url).content.decode()
    assert "鳌溪镇中心小学" not in client_for(township_b_worker).get(url).content.decode()


def test_issue_from_the_page(client_for, liaison_a, school_a, edu_reader) -> None:
    url = reverse("drowning:letter_create")
    data = {"school": school_a.pk, "year": 2026, "season": "summer", "issued_on": "2026-07-01"}
    response = client_for(liaison_a).post(url, data)
    assert response.status_code == 302
    response = client_for(liaison_a).post(url, data)
    assert response.status_code == 400
    assert "already has a letter" in response.content.decode()
    assert ParentLetter.objects.count() == 1


def test_school_cannot_issue_for_another(client_for, liaison_b, school_a) -> None:
    data = {"school": school_a.pk, "year": 2026, "season": "summer", "issued_on": "2026-07-01"}
    response = client_for(liaison_b).post(reverse("drowning:letter_create"), data)
    assert response.status_code == 400
    assert not ParentLetter.objects.exists()


def test_class_list_save(client_for, world, liaison_a, pupils, edu_reader) -> None:
    url = reverse("drowning:letter_receipts", args=[world["letter"].pk])
    page = client_for(liaison_a).get(url).content.decode()
    assert "张*明" in page and "张小明" not in page  # masked
    data = {
        "shown": [p.pk for p in pupils],
        "received": [pupils[0].pk],
        "received_on": "2026-07-10",
    }
    assert client_for(liaison_a).post(url, data).status_code == 302
    assert list(LetterReceipt.objects.values_list("pupil_id", flat=True)) == [pupils[0].pk]
    assert client_for(edu_reader).post(url, data).status_code == 403  # reads, records nothing


def test_class_list_is_paged(client_for, world, liaison_a, county) -> None:
    for i in range(30):
        make_pupil(county, f"学生{i}", date(2015, 1, 1), 100 + i)
    page = client_for(liaison_a).get(reverse("drowning:letter_receipts", args=[world["letter"].pk]))
    assert page.content.decode().count('name="shown"') == 25


def test_upload_page_reports_rows(client_for, world, liaison_a, pupils) -> None:
    url = reverse("drowning:letter_receipts_upload", args=[world["letter"].pk])
    bad = xlsx_upload(["ID number"], [[pupils[0].id_number], ["123"]])
    response = client_for(liaison_a).post(url, {"file": bad})
    assert response.status_code == 400 and "Not a valid ID number." in response.content.decode()
    assert not LetterReceipt.objects.exists()
    good = xlsx_upload(["ID number"], [[pupils[0].id_number]])
    assert client_for(liaison_a).post(url, {"file": good}).status_code == 200
    assert LetterReceipt.objects.count() == 1


def test_word_download(client_for, world, edu_reader) -> None:
    response = client_for(edu_reader).get(
        reverse("drowning:letter_docx", args=[world["letter"].pk])
    )
    paragraphs = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "2026年暑假防溺水安全告家长书" in paragraphs


def test_print_view(client_for, world, liaison_a) -> None:
    page = client_for(liaison_a).get(reverse("drowning:letter_print", args=[world["letter"].pk]))
    assert "知归时" in page.content.decode() and "2026年7月1日" in page.content.decode()


def test_missing_list(client_for, world, liaison_a, pupils) -> None:
    LetterReceipt.objects.create(
        letter=world["letter"], pupil=pupils[0], received_on=date(2026, 7, 2), via="class_list"
    )
    page = client_for(liaison_a).get(reverse("drowning:letter_missing", args=[world["letter"].pk]))
    text = page.content.decode()
    assert "王*红" in text and "张*明" not in text


@pytest.mark.parametrize("name", ["letter_list", "letter_coverage"])
def test_query_count_flat(
    client_for, world, edu_reader, liaison_a, county, django_assert_max_num_queries, name
) -> None:
    client = client_for(edu_reader)
    url = reverse(f"drowning:{name}")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    from weibao.accounts.models import Organisation
    from weibao.schools.models import School

    for i in range(5):
        unit = Organisation.objects.create(
            name=f"学校{i}", kind=Organisation.Kind.SCHOOL_PRIMARY, division=county.village_b
        )
        school = School.objects.create(organisation=unit, kind=School.Kind.PRIMARY)
        ParentLetter.objects.create(school=school, year=2026, season="summer",
                                    issued_on=date(2026, 7, 1))  # fmt: skip
        make_pupil(county, f"学生{i}", date(2015, 1, 1), 200 + i, school=unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "学校4" in client.get(url).content.decode()


def test_missing_query_count(
    client_for, world, liaison_a, county, django_assert_max_num_queries
) -> None:
    url = reverse("drowning:letter_missing", args=[world["letter"].pk])
    client = client_for(liaison_a)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for i in range(10):
        make_pupil(county, f"学生{i}", date(2015, 1, 1), 300 + i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
