from __future__ import annotations

from django.urls import reverse

from weibao.notices import services
from weibao.notices.tests.conftest import past_deadline

URL = reverse("notices:list")


def test_requires_login(client, county) -> None:
    response = client.get(URL)
    assert response.status_code == 302


def test_shows_counts(client_for, education, sent_notice, liaison_b) -> None:
    services.notice_mark_read(actor=liaison_b, notice=sent_notice)
    past_deadline(sent_notice)
    response = client_for(education).get(URL)
    assert response.status_code == 200
    row = response.context["page"][0]
    assert (row.recipient_count, row.read_count, row.replied_count, row.overdue_count) == (
        3,
        1,
        0,
        3,
    )
    assert sent_notice.title in response.content.decode()


def test_other_units_do_not_list_it(client_for, coordinator, sent_notice) -> None:
    # A coordinator sends their own notices; the education bureau's are its own.
    response = client_for(coordinator).get(URL)
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_not_allowed(client_for, liaison_a, police, outsider, sysadmin, auditor, county) -> None:
    for user in (liaison_a, police, outsider, sysadmin, auditor):
        assert client_for(user).get(URL).status_code == 403


def test_query_count_does_not_grow(
    client_for, education, make_notice, liaisons, django_assert_max_num_queries
) -> None:
    client = client_for(education)
    make_notice()
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for _ in range(6):
        services.notice_send(actor=education, notice=make_notice())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page"]) == 7
