from __future__ import annotations

import pytest
from django.urls import reverse


def _url(school) -> str:
    return reverse("schools:detail", args=[school.pk])


def test_requires_login(client, record_a) -> None:
    assert client.get(_url(record_a)).status_code == 302


def test_shows_record_and_liaisons(client_for, education, record_a, appointed_a) -> None:
    response = client_for(education).get(_url(record_a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "鳌溪镇中心小学" in body and "王校长" in body
    assert response.context["main"] == appointed_a
    assert list(response.context["history"]) == [appointed_a]
    assert reverse("schools:liaison_appoint", args=[record_a.pk]) in body
    assert reverse("schools:edit", args=[record_a.pk]) in body


@pytest.mark.parametrize("name", ["liaison_b", "outsider", "police"])
def test_readers_get_no_write_links(request, client_for, record_a, appointed_a, name) -> None:
    response = client_for(request.getfixturevalue(name)).get(_url(record_a))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("schools:edit", args=[record_a.pk]) not in body
    assert reverse("schools:liaison_appoint", args=[record_a.pk]) not in body
    assert reverse("schools:liaison_end", args=[appointed_a.pk]) not in body


def test_missing_school_is_404(client_for, coordinator, county) -> None:
    assert client_for(coordinator).get(reverse("schools:detail", args=[999])).status_code == 404
