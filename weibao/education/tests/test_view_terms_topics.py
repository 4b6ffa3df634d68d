"""Terms, the coverage rule and topics through the pages; who may not."""

from __future__ import annotations

from django.urls import reverse

from weibao.education.models import CoverageRule, Term, Topic

TERMS = reverse("education:term_list")
TOPICS = reverse("education:topic_list")


def test_term_list_and_add(client_for, coordinator) -> None:
    c = client_for(coordinator)
    assert c.get(TERMS).status_code == 200
    response = c.post(TERMS, {"name": "2026-2027学年第一学期", "start": "2026-09-01",
                              "end": "2027-01-20"})  # fmt: skip
    assert response.status_code == 302 and Term.objects.count() == 1


def test_term_bad_input(client_for, coordinator) -> None:
    response = client_for(coordinator).post(
        TERMS, {"name": "坏学期", "start": "2026-09-01", "end": "2026-08-01"}
    )
    assert response.status_code == 400
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not Term.objects.exists()


def test_rule_set(client_for, bureau, term) -> None:
    c = client_for(bureau)
    assert c.get(reverse("education:term_edit", args=[term.pk])).status_code == 200
    url = reverse("education:rule_set", args=[term.pk])
    response = c.post(url, {"min_pupil_sessions": 2, "min_parent_sessions": 1,
                            "kindergarten_parent_sessions": 1})  # fmt: skip
    assert response.status_code == 302
    assert CoverageRule.objects.get().min_pupil_sessions == 2


def test_terms_not_allowed(client_for, liaison_a, outsider, term) -> None:
    assert client_for(liaison_a).get(TERMS).status_code == 403
    assert client_for(outsider).get(TERMS).status_code == 403
    url = reverse("education:rule_set", args=[term.pk])
    assert client_for(liaison_a).post(url, {"min_pupil_sessions": 0}).status_code == 403
    assert not CoverageRule.objects.exists()


def test_read_only_bureau_sees_terms_but_may_not_add(client_for, county, term) -> None:
    from weibao.accounts.models import Role
    from weibao.testing import make_user

    reader = make_user("bureau_reader", county.education, Role.READ_ONLY)
    c = client_for(reader)
    assert c.get(TERMS).status_code == 200
    assert (
        c.post(TERMS, {"name": "x", "start": "2030-01-01", "end": "2030-02-01"}).status_code == 403
    )


def test_topics(client_for, coordinator, liaison_a, topics) -> None:
    assert client_for(liaison_a).get(TOPICS).status_code == 200
    assert client_for(liaison_a).post(TOPICS, {"name": "宪法"}).status_code == 403
    c = client_for(coordinator)
    assert c.post(TOPICS, {"name": "宪法", "is_active": "on"}).status_code == 302
    topic = Topic.objects.get(name="宪法")
    url = reverse("education:topic_edit", args=[topic.pk])
    assert client_for(liaison_a).get(url).status_code == 403
    response = c.post(url, {"name": "宪法教育", "position": 3})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.name == "宪法教育" and not topic.is_active
