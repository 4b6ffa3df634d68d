from __future__ import annotations

import pytest
from django.urls import reverse


def _url(school) -> str:
    return reverse("schools:close", args=[school.pk])


def test_bureau_closes(client_for, education, record_a, appointed_a) -> None:
    response = client_for(education).post(_url(record_a))
    assert response.status_code == 302
    record_a.refresh_from_db()
    assert record_a.closed_on is not None


def test_get_is_refused(client_for, education, record_a) -> None:
    assert client_for(education).get(_url(record_a)).status_code == 405


@pytest.mark.parametrize("name", ["admin_a", "liaison_a", "outsider"])
def test_not_allowed(request, client_for, record_a, name) -> None:
    assert client_for(request.getfixturevalue(name)).post(_url(record_a)).status_code == 403
    record_a.refresh_from_db()
    assert record_a.closed_on is None
