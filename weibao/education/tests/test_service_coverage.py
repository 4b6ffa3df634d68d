"""The coverage rule: term boundaries, kindergartens, mixed audiences, closed schools, filters."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.audit.models import AuditEvent
from weibao.education import services
from weibao.education.coverage import CoverageFilters, coverage_report
from weibao.education.models import CoverageRule, Session, Term
from weibao.schools.models import School

pytestmark = pytest.mark.usefixtures("midyear")


@pytest.fixture
def past_term(db) -> Term:
    """A term that is over: 1 March to 30 June of last year."""
    year = timezone.localdate().year - 1
    return Term.objects.create(
        name="上学期", start=datetime(year, 3, 1).date(),
        end=datetime(year, 6, 30).date(),
    )  # fmt: skip


def _row(report, school: School):
    return next(row for row in report.schools if row.school.pk == school.pk)


def test_default_rule(term, school_a, school_b, make_session) -> None:
    make_session(audience="pupils")
    make_session(audience="parents")
    make_session(school=school_b, audience="pupils", speaker_kind="teacher")  # no parents'
    report = coverage_report(term)
    a, b = _row(report, school_a), _row(report, school_b)
    assert a.met and a.missing == []
    assert not b.met and b.missing == ["parents: 1 more"]
    assert report.total.required == 2 and report.total.met == 1 and report.total.share == 50
    assert report.total.missing_parents == 1 and report.total.missing_pupils == 0


def test_term_boundaries_are_inclusive(past_term, school_a, make_session) -> None:
    make_session(date=past_term.start, audience="pupils")
    make_session(date=past_term.end, audience="parents")
    make_session(date=past_term.start - timedelta(days=1), audience="parents")
    make_session(date=past_term.end + timedelta(days=1), audience="pupils")
    row = _row(coverage_report(past_term), school_a)
    assert (row.pupil_sessions, row.parent_sessions) == (1, 1)
    assert row.met
    assert coverage_report(past_term).figures.sessions_held == 2


def test_planned_and_cancelled_do_not_count(term, school_a, make_session) -> None:
    make_session(status="planned", attendance=0, audience="pupils")
    make_session(status="cancelled", attendance=0, audience="parents")
    row = _row(coverage_report(term), school_a)
    assert (row.pupil_sessions, row.parent_sessions) == (0, 0) and not row.met


def test_mixed_counts_for_both_teachers_for_neither(term, school_a, make_session) -> None:
    make_session(audience="teachers")
    assert not _row(coverage_report(term), school_a).met
    make_session(audience="mixed")
    row = _row(coverage_report(term), school_a)
    assert (row.pupil_sessions, row.parent_sessions) == (1, 1) and row.met


def test_kindergarten_needs_parents_only(term, kindergarten, make_session) -> None:
    row = _row(coverage_report(term), kindergarten)
    assert row.need_pupils == 0 and row.need_parents == 1 and not row.met
    make_session(school=kindergarten, audience="parents")
    row = _row(coverage_report(term), kindergarten)
    assert row.met and row.missing == []


def test_school_closed_mid_term_not_required(term, make_school, make_session) -> None:
    closed = make_school("鳌溪村小学", closed_on=term.start + timedelta(days=10))
    gone = make_school("已撤并小学", closed_on=term.start - timedelta(days=1))
    on_last_day = make_school("末日关闭小学", closed_on=term.end)
    make_session(school=closed, audience="pupils", date=term.start + timedelta(days=5))
    report = coverage_report(term)
    listed = {row.school.pk for row in report.schools}
    assert gone.pk not in listed
    row = _row(report, closed)
    assert not row.required and not row.met and row.missing == []
    assert row.pupil_sessions == 1  # its sessions still count in the figures
    assert not _row(report, on_last_day).required
    assert report.total.required == 1  # school A (of the fixtures) only
    assert report.figures.sessions_held == 1


def test_rule_change_keeps_history(coordinator, term, school_a, make_session) -> None:
    make_session(audience="pupils")
    make_session(audience="parents")
    assert _row(coverage_report(term), school_a).met
    services.coverage_rule_set(actor=coordinator, term=term, data={"min_pupil_sessions": 2})
    term = Term.objects.get(pk=term.pk)
    row = _row(coverage_report(term), school_a)
    assert not row.met and row.missing == ["pupils: 1 more"]
    services.coverage_rule_set(actor=coordinator, term=term, data={"min_pupil_sessions": 1})
    assert CoverageRule.objects.filter(term=term).count() == 2
    assert _row(coverage_report(Term.objects.get(pk=term.pk)), school_a).met
    assert AuditEvent.objects.filter(target_type="education.term", action="update").count() == 2


def test_rule_bad_input(coordinator, liaison_a, term) -> None:
    with pytest.raises(ValidationError) as exc:
        services.coverage_rule_set(actor=coordinator, term=term, data={"min_parent_sessions": "x"})
    assert exc.value.message_dict["min_parent_sessions"] == ["Enter a whole number."]
    assert not CoverageRule.objects.exists()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.coverage_rule_set(actor=liaison_a, term=term, data={})


def test_figures(term, school_a, make_session, county, topics) -> None:
    make_session(audience="pupils", attendance=100, hours=1, topics=topics[:2])
    make_session(audience="parents", attendance=40, hours=2, topics=topics[1:2])
    make_session(
        school=None, division=county.village_b, audience="parents", attendance=30,
        topics=topics[3:4],
    )  # fmt: skip
    make_session(status="planned", attendance=0, date=timezone.localdate() - timedelta(days=2))
    figures = coverage_report(term).figures
    assert figures.sessions_held == 3
    assert (figures.sessions_in_schools, figures.sessions_outside) == (2, 1)
    assert figures.reached == {"pupils": 100, "parents": 70}
    assert figures.reached_total == 170 and figures.hours == 4
    assert dict((t.name, n) for t, n in figures.topics) == {
        topics[0].name: 1, topics[1].name: 2, topics[3].name: 1,
    }  # fmt: skip
    assert figures.planned == 1 and figures.overdue == 1


def test_filters(term, school_a, school_b, kindergarten, make_session, county, topics) -> None:
    make_session(audience="mixed", topics=topics[:1], speaker_unit=county.police_a)
    make_session(school=school_b, audience="mixed", topics=topics[1:2], speaker_kind="teacher")
    by_township = coverage_report(term, CoverageFilters(township=county.township_b))
    assert [row.school for row in by_township.schools] == [school_b]
    assert by_township.figures.sessions_held == 1
    by_kind = coverage_report(term, CoverageFilters(school_kind=School.Kind.KINDERGARTEN))
    assert [row.school for row in by_kind.schools] == [kindergarten]
    assert by_kind.figures.sessions_held == 0
    by_topic = coverage_report(term, CoverageFilters(topic=topics[1]))
    assert {r.school.pk for r in by_topic.schools if r.met} == {school_b.pk}
    by_unit = coverage_report(term, CoverageFilters(speaker_unit=county.police_a))
    assert {r.school.pk for r in by_unit.schools if r.met} == {school_a.pk}
    assert by_unit.figures.sessions_held == 1


def test_query_count_does_not_grow(term, make_school, make_session, django_assert_max_num_queries):
    for n in range(6):
        school = make_school(f"测试小学{n}")
        make_session(school=school, audience="mixed")
    with django_assert_max_num_queries(12):
        report = coverage_report(term)
        assert report.total.met == 6
    assert Session.objects.count() == 6


def test_each_group_is_counted_apart(term, school_a, make_session) -> None:
    """One session may reach pupils, teachers and parents: each is counted, the audience
    follows who came, and the session counts for the pupils' and the parents' minimum."""
    session = make_session(
        audience="pupils", pupils_attending=100, teachers_attending=5, parents_attending=30
    )
    assert session.audience == Session.Audience.MIXED and session.attendance == 135
    row = _row(coverage_report(term), school_a)
    assert (row.pupil_sessions, row.parent_sessions) == (1, 1) and row.met
    figures = coverage_report(term).figures
    assert dict(figures.reached_rows) == {"pupils": 100, "teachers": 5, "parents": 30}


def test_pupils_and_teachers_do_not_count_for_parents(term, school_a, make_session) -> None:
    session = make_session(audience="mixed", pupils_attending=80, teachers_attending=4)
    assert session.audience == Session.Audience.MIXED
    row = _row(coverage_report(term), school_a)
    assert (row.pupil_sessions, row.parent_sessions) == (1, 0) and not row.met


@pytest.mark.parametrize(
    "counts",
    [
        {"pupils_attending": -1},
        {"pupils_attending": 0, "teachers_attending": 0, "parents_attending": 0},
        {"audience": "mixed", "attendance": 50},  # a mixed total cannot be split
    ],
)
def test_bad_counts_are_refused(session_data, bureau, counts) -> None:
    with pytest.raises(ValidationError):
        services.session_create(actor=bureau, data=session_data(**counts))
    assert not Session.objects.exists()
