from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from weibao.notices import services

URL = reverse("notices:inbox")


def test_lists_own_notices_unread_first_then_deadline(
    client_for, make_notice, education, liaisons, liaison_a
) -> None:
    now = timezone.now()
    late = make_notice(title="later", deadline=now + timedelta(days=9))
    soon = make_notice(title="sooner", deadline=now + timedelta(days=2))
    opened = make_notice(title="opened", deadline=now + timedelta(days=1))
    for notice in (late, soon, opened):
        services.notice_send(actor=education, notice=notice)
    services.notice_mark_read(actor=liaison_a, notice=opened)
    response = client_for(liaison_a).get(URL)
    assert [r.notice.title for r in response.context["page"]] == ["sooner", "later", "opened"]


def test_other_liaisons_notices_are_not_listed(
    client_for, make_notice, education, liaisons, liaison_b, county
) -> None:
    notice = make_notice(townships=[county.township_a])
    services.notice_send(actor=education, notice=notice)
    assert list(client_for(liaison_b).get(URL).context["page"]) == []


def test_not_allowed(client_for, outsider, education, police) -> None:
    for user in (outsider, education, police):
        assert client_for(user).get(URL).status_code == 403


def test_query_count_does_not_grow(
    client_for, make_notice, education, liaisons, liaison_a, django_assert_max_num_queries
) -> None:
    client = client_for(liaison_a)
    services.notice_send(actor=education, notice=make_notice())
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for _ in range(6):
        services.notice_send(actor=education, notice=make_notice())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page"]) == 7
