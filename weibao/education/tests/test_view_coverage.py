"""The coverage page, its chart and its Excel export agree with each other and with the
database; the export is audited with its purpose; who may not."""

from __future__ import annotations

import io

from django.db.models import Count, Q
from django.urls import reverse
from openpyxl import load_workbook

from weibao.audit.models import AuditEvent
from weibao.education.models import Session
from weibao.schools.models import School

URL = reverse("education:coverage")
EXPORT = reverse("education:coverage_export")


def _db_met(term) -> set[int]:
    """Schools that met the default rule, counted straight from the tables."""
    held = Q(
        law_sessions__status=Session.Status.HELD,
        law_sessions__date__gte=term.start,
        law_sessions__date__lte=term.end,
    )
    pupils = held & Q(law_sessions__pupils_attending__gt=0)
    parents = held & Q(law_sessions__parents_attending__gt=0)
    schools = School.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=term.end)).annotate(
        pupils=Count("law_sessions", filter=pupils),
        parents=Count("law_sessions", filter=parents),
    )
    return {
        s.pk for s in schools
        if s.parents >= 1 and (s.pupils >= 1 or s.kind == School.Kind.KINDERGARTEN)
    }  # fmt: skip


def _scenario(make_session, make_school, school_b, kindergarten, county) -> None:
    make_session(audience="pupils")
    make_session(audience="parents", attendance=300)
    make_session(school=school_b, audience="pupils", speaker_kind="teacher", attendance=50)
    make_session(school=kindergarten, audience="parents", attendance=80)
    for n in range(3):
        school = make_school(f"公溪村小学{n}", village=county.village_b)
        if n:
            make_session(school=school, audience="mixed", pupils_attending=20, parents_attending=10)


def test_page_chart_excel_and_database_agree(
    client_for, coordinator, term, make_session, make_school, school_b, kindergarten, county
) -> None:
    _scenario(make_session, make_school, school_b, kindergarten, county)
    c = client_for(coordinator)
    response = c.get(URL, {"term": term.pk})
    assert response.status_code == 200
    report, option = response.context["report"], response.context["option"]
    page_met = {row.school.pk for row in report.schools if row.met}
    db_met = _db_met(term)
    assert page_met == db_met and len(db_met) == 4
    body = response.content.decode()
    assert f"{len(db_met)} of {report.total.required} schools met the rule" in body
    # The chart: per township, met and not met.
    met_series, not_met_series = option["series"]
    assert sum(met_series["data"]) == len(db_met)
    assert sum(not_met_series["data"]) == report.total.required - len(db_met)
    assert option["xAxis"]["data"] == [row.name for row in report.townships]
    assert 'id="coverage-option"' in body
    # The Excel export.
    exported = c.post(f"{EXPORT}?term={term.pk}", {"purpose": "向县委报告"})
    assert exported.status_code == 200
    book = load_workbook(io.BytesIO(exported.content))
    schools = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(schools) == len(report.schools)
    assert sum(1 for row in schools if row[9] == "yes") == len(db_met)
    township_rows = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert township_rows[-1][:4] == ("County", report.total.required, len(db_met),
                                     report.total.required - len(db_met))  # fmt: skip
    figures = dict(book.worksheets[2].iter_rows(values_only=True))
    db_held = Session.objects.filter(status="held", date__range=(term.start, term.end)).count()
    assert figures["Sessions held"] == db_held == report.figures.sessions_held
    assert figures["People reached in all"] == 120 + 300 + 50 + 80 + 60
    event = AuditEvent.objects.get(action="export", target_type="education.term")
    assert event.detail["purpose"] == "向县委报告"


def test_filters_carry_to_the_export(
    client_for, bureau, term, make_session, school_b, county
) -> None:
    make_session(audience="mixed")
    make_session(school=school_b, audience="mixed", speaker_kind="teacher")
    c = client_for(bureau)
    query = {"term": term.pk, "township": county.township_b.pk}
    report = c.get(URL, query).context["report"]
    assert [row.school for row in report.schools] == [school_b]
    exported = c.post(f"{EXPORT}?term={term.pk}&township={county.township_b.pk}",
                      {"purpose": "乡镇统计"})  # fmt: skip
    rows = list(load_workbook(io.BytesIO(exported.content)).worksheets[0].iter_rows(
        min_row=2, values_only=True))  # fmt: skip
    assert [row[1] for row in rows] == ["公溪镇中学"]
    event = AuditEvent.objects.get(action="export")
    assert event.detail["township"] == county.township_b.code


def test_export_needs_a_purpose(client_for, coordinator, term) -> None:
    c = client_for(coordinator)
    assert c.get(EXPORT).status_code == 200
    response = c.post(EXPORT, {"purpose": "x"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()


def test_no_term_yet(client_for, coordinator) -> None:
    response = client_for(coordinator).get(URL)
    assert response.status_code == 200
    assert "No term has been set up yet." in response.content.decode()


def test_not_allowed(client_for, liaison_a, police, outsider, sysadmin, term) -> None:
    for user in (liaison_a, police, outsider, sysadmin):
        c = client_for(user)
        assert c.get(URL).status_code == 403, user.username
        assert c.post(EXPORT, {"purpose": "想看看全县"}).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_query_count(
    client_for, coordinator, term, make_school, make_session, django_assert_max_num_queries
) -> None:
    c = client_for(coordinator)
    make_session(audience="mixed")
    c.get(URL)
    with django_assert_max_num_queries(40) as first:
        c.get(URL)
    for n in range(6):
        make_session(school=make_school(f"新小学{n}"), audience="mixed")
    with django_assert_max_num_queries(len(first.captured_queries)):
        c.get(URL)
