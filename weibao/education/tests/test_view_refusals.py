"""Every law-education page refuses the wrong user (403, or 404 for a record of another school)
and writes nothing; the lists that have none yet get a query-count test."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model
from django.urls import reverse

from weibao.audit.models import AuditEvent
from weibao.education.models import CoverageRule, Session, TeachingCase, Term, Topic


@pytest.fixture
def world(make_session, make_case, term, liaison_a) -> dict[str, Any]:
    """School A's session (recorded by the bureau) and a case school A proposed."""
    return {
        "session": make_session(),
        "case": make_case(publish=False, actor=liaison_a),
        "term": term,
        "topic": Topic.objects.first(),
    }


# url name, the object its pk comes from (None: no argument), the wrong user, method.
PAGES: list[tuple[str, str | None, str, str]] = [
    ("session_list", None, "sysadmin", "get"),
    ("session_create", None, "outsider", "post"),
    ("session_detail", "session", "liaison_b", "get"),
    ("session_edit", "session", "liaison_b", "post"),
    ("session_delete", "session", "liaison_b", "post"),
    ("session_attach", "session", "liaison_b", "post"),
    ("session_import", None, "outsider", "post"),
    ("session_import_errors", None, "outsider", "get"),
    ("session_template", None, "auditor", "get"),
    ("coverage", None, "liaison_a", "get"),
    ("coverage_export", None, "liaison_a", "post"),
    ("term_list", None, "liaison_a", "post"),
    ("term_edit", "term", "liaison_a", "post"),
    ("rule_set", "term", "liaison_a", "post"),
    ("topic_list", None, "sysadmin", "get"),
    ("topic_edit", "topic", "liaison_a", "post"),
    ("case_list", None, "anonymous", "get"),
    ("case_create", None, "outsider", "post"),
    ("case_detail", "case", "liaison_b", "get"),
    ("case_edit", "case", "liaison_b", "post"),
    ("case_decide", "case", "liaison_a", "post"),
    ("case_attach", "case", "liaison_b", "post"),
]

HIDDEN = {"liaison_b"}  # school A's session and proposed case are not theirs to see: a 404

MODELS: tuple[type[Model], ...] = (Session, TeachingCase, Term, CoverageRule, Topic, AuditEvent)


def _state() -> list[list[dict[str, Any]]]:
    return [list(m._default_manager.order_by("pk").values()) for m in MODELS]


def test_every_page_is_listed() -> None:
    from weibao.education import urls

    assert {name for name, *_rest in PAGES} == {p.name for p in urls.urlpatterns}


@pytest.mark.parametrize(("name", "obj", "user", "method"), PAGES)
def test_wrong_user_is_refused(
    request, client, client_for, world, name: str, obj: str | None, user: str, method: str
) -> None:
    args = [world[obj].pk] if obj else []
    url = reverse(f"education:{name}", args=args)
    browser = client if user == "anonymous" else client_for(request.getfixturevalue(user))
    before = _state()  # after signing in, which the audit log records
    response = getattr(browser, method)(url, {"publish": "on", "name": "x", "title": "x"})
    if user == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == (404 if obj and user in HIDDEN else 403), name
    assert _state() == before


def test_terms_and_topics_query_count(client_for, coordinator, django_assert_max_num_queries):
    client = client_for(coordinator)
    urls = [reverse("education:term_list"), reverse("education:topic_list")]
    counts = []
    for add in range(2):
        for n in range(1 + 2 * add):  # one of each, then three more
            term = Term.objects.create(name=f"学期{add}{n}", start=f"20{10 + n + 3 * add}-02-01",
                                       end=f"20{10 + n + 3 * add}-06-30")  # fmt: skip
            CoverageRule.objects.create(term=term, set_by=coordinator)
            Topic.objects.create(name=f"主题{add}{n}", position=50 + n)
        with django_assert_max_num_queries(60) as captured:
            for url in urls:
                assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
