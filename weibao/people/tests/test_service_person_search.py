from __future__ import annotations

import pytest

from weibao.audit.models import AuditEvent
from weibao.people.models import Person
from weibao.people.services import person_search


@pytest.mark.parametrize("q", ["张三", "三", "zs", "ZS", "zhangsan", "zhang san", "sAn", "  张 "])
def test_name_pinyin_and_initials_find_the_person(coordinator, pupil_a, pupil_b, q) -> None:
    found = person_search(Person.objects.all(), q, actor=coordinator)
    assert list(found) == [pupil_a]


def test_initials_match_from_the_start_only(coordinator, pupil_a, pupil_b) -> None:
    assert list(person_search(Person.objects.all(), "lx", actor=coordinator)) == [pupil_b]
    assert not person_search(Person.objects.all(), "xm", actor=coordinator)


def test_exact_id_number_is_found_by_hash_and_audited(coordinator, pupil_a, pupil_b) -> None:
    found = person_search(Person.objects.all(), pupil_b.id_number.lower(), actor=coordinator)
    assert list(found) == [pupil_b]
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH)
    assert event.actor == coordinator
    assert event.detail["id_number"] == pupil_b.masked_id_number


def test_part_of_an_id_number_finds_nothing(coordinator, pupil_a) -> None:
    assert not person_search(Person.objects.all(), pupil_a.id_number[:10], actor=coordinator)
    assert not AuditEvent.objects.exists()


def test_search_stays_within_the_given_queryset(liaison_a, pupil_a, pupil_b) -> None:
    visible = Person.objects.for_user(liaison_a)
    assert not person_search(visible, "李小梅", actor=liaison_a)
    assert not person_search(visible, "lxm", actor=liaison_a)
    assert not person_search(visible, pupil_b.id_number, actor=liaison_a)


def test_empty_search_returns_everything(coordinator, pupil_a, pupil_b) -> None:
    assert person_search(Person.objects.all(), "  ", actor=coordinator).count() == 2
