"""The import page: the template, a clean file, a file with bad rows; who may not."""

from __future__ import annotations

from django.urls import reverse

from weibao.education.models import Session
from weibao.education.tests.conftest import import_row, xlsx

URL = reverse("education:session_import")


def test_template_download(client_for, liaison_a) -> None:
    response = client_for(liaison_a).get(reverse("education:session_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_clean_file(client_for, liaison_a, term, school_a) -> None:
    c = client_for(liaison_a)
    assert c.get(URL).status_code == 200
    response = c.post(URL, {"term": term.pk, "school": school_a.pk, "file": xlsx([import_row()])})
    assert response.status_code == 200
    assert Session.objects.count() == 1


def test_bad_rows_shown_and_downloadable(client_for, liaison_a, term, school_a) -> None:
    c = client_for(liaison_a)
    rows = [import_row(), import_row(audience="nobody")]
    response = c.post(URL, {"term": term.pk, "school": school_a.pk, "file": xlsx(rows)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The file has 1 problem; nothing was written." in body
    assert "Unknown value “nobody”" in body
    assert not Session.objects.exists()
    errors = c.get(reverse("education:session_import_errors"))
    assert errors.status_code == 200


def test_other_school_not_a_choice(client_for, liaison_b, term, school_a) -> None:
    response = client_for(liaison_b).post(
        URL, {"term": term.pk, "school": school_a.pk, "file": xlsx([import_row()])}
    )
    assert response.status_code == 400
    assert not Session.objects.exists()


def test_not_allowed(client_for, outsider, police) -> None:
    assert client_for(outsider).get(URL).status_code == 403
    assert client_for(police).get(URL).status_code == 403
