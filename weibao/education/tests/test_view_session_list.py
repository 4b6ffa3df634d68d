"""The session list: scoped, filtered, constant queries, and who may not."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

URL = reverse("education:session_list")


def test_school_sees_its_own(client_for, liaison_a, make_session, school_b) -> None:
    make_session(grades="三年级")
    make_session(school=school_b, grades="八年级", speaker_kind="teacher")
    response = client_for(liaison_a).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "鳌溪镇中心小学" in body and "三年级" in body
    assert "八年级" not in body


def test_filters_and_overdue(client_for, bureau, make_session, term) -> None:
    make_session(status="planned", attendance=0, date=timezone.localdate() - timedelta(days=3),
                 grades="逾期年级")  # fmt: skip
    make_session(grades="已开展年级")
    response = client_for(bureau).get(URL, {"status": "overdue", "term": term.pk})
    body = response.content.decode()
    assert "逾期年级" in body and "已开展年级" not in body and "overdue" in body


def test_bad_filter_lists_nothing(client_for, bureau, make_session) -> None:
    make_session(grades="三年级")
    response = client_for(bureau).get(URL, {"term": "999999"})
    assert "三年级" not in response.content.decode()


def test_htmx_partial(client_for, bureau, make_session) -> None:
    response = client_for(bureau).get(URL, HTTP_HX_REQUEST="true")
    assert b"<h1>" not in response.content


def test_not_allowed(client_for, sysadmin, auditor, client) -> None:
    assert client_for(sysadmin).get(URL).status_code == 403
    assert client_for(auditor).get(URL).status_code == 403
    assert client.get(URL).status_code == 302


def test_query_count(client_for, bureau, make_session, django_assert_max_num_queries) -> None:
    c = client_for(bureau)
    make_session()
    c.get(URL)
    with django_assert_max_num_queries(20) as first:
        c.get(URL)
    for _ in range(8):
        make_session()
    with django_assert_max_num_queries(len(first.captured_queries)):
        c.get(URL)
