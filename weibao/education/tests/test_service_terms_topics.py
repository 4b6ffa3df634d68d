"""Terms and topics: the county edits them; checks and audit."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.audit.models import AuditEvent
from weibao.education import services
from weibao.education.models import Term, Topic


def test_seeded_topics(topics) -> None:
    assert [t.name for t in topics][:3] == ["预防校园欺凌", "预防性侵害", "防溺水"]
    assert len(topics) == 10


def test_term_create_and_overlap(coordinator) -> None:
    data = {"name": "2026-2027学年第一学期", "start": date(2026, 9, 1), "end": date(2027, 1, 20)}
    term = services.term_create(actor=coordinator, data=data)
    assert term.rule.min_pupil_sessions == 1 and term.rule.pk is None  # the default
    with pytest.raises(ValidationError) as exc:
        services.term_create(
            actor=coordinator,
            data={"name": "重叠", "start": date(2027, 1, 20), "end": date(2027, 6, 30)},
        )
    assert exc.value.message_dict["start"] == ["The term overlaps 2026-2027学年第一学期."]
    with pytest.raises(ValidationError) as exc:
        services.term_update(actor=coordinator, term=term, data={"end": date(2026, 8, 1)})
    assert exc.value.message_dict["end"] == ["The last day cannot be before the first day."]
    term.refresh_from_db()
    assert term.end == date(2027, 1, 20)
    assert AuditEvent.objects.filter(target_type="education.term", action="create").count() == 1


def test_only_the_county_manages(liaison_a, bureau) -> None:
    data = {"name": "学期", "start": date(2026, 9, 1), "end": date(2027, 1, 20)}
    with pytest.raises(PermissionDenied):
        services.term_create(actor=liaison_a, data=data)
    with pytest.raises(PermissionDenied):
        services.topic_create(actor=liaison_a, data={"name": "宪法"})
    assert services.term_create(actor=bureau, data=data).pk


def test_topic_create_update(coordinator, topics) -> None:
    topic = services.topic_create(actor=coordinator, data={"name": " 宪法 教育 "})
    assert topic.name == "宪法 教育" and topic.position == 11
    with pytest.raises(ValidationError) as exc:
        services.topic_create(actor=coordinator, data={"name": "防溺水"})
    assert exc.value.message_dict["name"] == ["This topic is already on the list."]
    services.topic_update(actor=coordinator, topic=topic, data={"is_active": False})
    assert not Topic.objects.active().filter(pk=topic.pk).exists()


def test_current_term(db) -> None:
    old = Term.objects.create(name="旧", start=date(2020, 3, 1), end=date(2020, 6, 30))
    assert Term.objects.current(date(2021, 1, 1)) == old
    new = Term.objects.create(name="新", start=date(2021, 3, 1), end=date(2021, 6, 30))
    assert Term.objects.current(date(2021, 6, 30)) == new
    assert Term.objects.current(date(2021, 2, 1)) == old
