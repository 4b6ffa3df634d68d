"""The assessment pages: who sees what, the forms, the report, and the lists' query counts."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from weibao.accounts.models import Organisation, Role, User
from weibao.mechanisms.models import LeadingGroup, Result, Scheme, Score
from weibao.mechanisms.services import assessment as services
from weibao.mechanisms.tests.test_assessment_rules import make_scheme
from weibao.testing import County, make_user


@pytest.fixture
def scheme(group: LeadingGroup) -> Scheme:
    scheme = make_scheme()
    services.scores_compute(scheme=scheme)
    return scheme


def _result(scheme: Scheme, unit: Organisation) -> Result:
    return Result.objects.get(scheme=scheme, unit=unit)


def test_lead_sees_every_unit_a_school_its_own_line(
    county: County,
    scheme: Scheme,
    lead: User,
    liaison_a: User,
    client_for: Callable[[User], Client],
) -> None:
    url = reverse("mechanisms:scheme", args=[scheme.pk])
    page = client_for(lead).get(url).content.decode()
    assert county.police_a.name in page and county.school_b.name in page
    page = client_for(liaison_a).get(url).content.decode()
    assert county.school_a.name in page and county.school_b.name not in page


def test_a_unit_sees_only_its_own_result(
    county: County, scheme: Scheme, liaison_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(liaison_a)
    assert (
        client.get(
            reverse("mechanisms:result", args=[_result(scheme, county.school_a).pk])
        ).status_code
        == 200
    )
    other = _result(scheme, county.school_b)
    assert client.get(reverse("mechanisms:result", args=[other.pk])).status_code == 404
    score = Score.objects.get(item__scheme=scheme, item__number=3, unit=county.school_b)
    assert client.get(reverse("mechanisms:score_self", args=[score.pk])).status_code == 404
    response = client.post(
        reverse("mechanisms:score_self", args=[score.pk]), {"points": "5", "note": "x"}
    )
    assert response.status_code == 404
    assert Score.objects.get(pk=score.pk).self_points is None


def test_self_assess_and_review_by_form(
    county: County,
    scheme: Scheme,
    lead: User,
    liaison_a: User,
    client_for: Callable[[User], Client],
) -> None:
    score = Score.objects.get(item__scheme=scheme, item__number=3, unit=county.school_a)
    client = client_for(liaison_a)
    url = reverse("mechanisms:score_self", args=[score.pk])
    response = client.post(url, {"points": "40", "note": "x"})
    assert response.status_code == 400 and "points" in response.content.decode()
    assert client.post(url, {"points": "25", "note": "台账"}).status_code == 302
    review = reverse("mechanisms:score_review", args=[score.pk])
    assert client.get(review).status_code == 403
    response = client_for(lead).post(review, {"points": "20", "reason": ""})
    assert response.status_code == 400
    assert client_for(lead).post(review, {"points": "20", "reason": "缺少台账"}).status_code == 302
    assert Score.objects.get(pk=score.pk).points == Decimal(20)


def test_publish_and_change_pages(
    county: County,
    scheme: Scheme,
    lead: User,
    coordinator: User,
    client_for: Callable[[User], Client],
) -> None:
    url = reverse("mechanisms:scheme_publish", args=[scheme.pk])
    assert client_for(lead).post(url).status_code == 403
    assert client_for(coordinator).post(url).status_code == 302
    assert Scheme.objects.get(pk=scheme.pk).state == Scheme.State.PUBLISHED
    score = Score.objects.get(item__scheme=scheme, item__number=4, unit=county.school_a)
    change = reverse("mechanisms:score_change", args=[score.pk])
    assert client_for(coordinator).post(change, {"points": "5", "reason": ""}).status_code == 400
    assert (
        client_for(coordinator).post(change, {"points": "5", "reason": "获省级表彰"}).status_code
        == 302
    )
    assert score.changes.count() == 1


def test_report_docx_and_xlsx_hold_the_totals(
    county: County,
    scheme: Scheme,
    lead: User,
    coordinator: User,
    client_for: Callable[[User], Client],
) -> None:
    services.scheme_publish(actor=coordinator, scheme=scheme)
    total = str(_result(scheme, county.police_a).total)
    client = client_for(lead)
    response = client.get(reverse("mechanisms:scheme_report_docx", args=[scheme.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert county.police_a.name in text and total in text
    response = client.get(reverse("mechanisms:scheme_report_xlsx", args=[scheme.pk]))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert any(
        r[1] == county.police_a.name and str(r[2]) in (total, total.rstrip("0").rstrip("."))
        for r in rows
    )
    assert len(list(book.worksheets[1].iter_rows())) == 1 + 5 * 6


def test_pages_refused_for_wrong_users(
    county: County,
    scheme: Scheme,
    liaison_a: User,
    outsider: User,
    sysadmin: User,
    client_for: Callable[[User], Client],
) -> None:
    result = _result(scheme, county.school_a)
    score = Score.objects.get(item__scheme=scheme, item__number=3, unit=county.school_a)
    gets = [
        reverse("mechanisms:scheme_list"),
        reverse("mechanisms:scheme", args=[scheme.pk]),
        reverse("mechanisms:result", args=[result.pk]),
        reverse("mechanisms:score_self", args=[score.pk]),
    ]
    lead_only = [
        reverse("mechanisms:scheme_create"),
        reverse("mechanisms:scheme_edit", args=[scheme.pk]),
        reverse("mechanisms:item_add", args=[scheme.pk]),
        reverse("mechanisms:item_edit", args=[scheme.pk, 1]),
        reverse("mechanisms:score_review", args=[score.pk]),
        reverse("mechanisms:score_change", args=[score.pk]),
        reverse("mechanisms:scheme_report_docx", args=[scheme.pk]),
        reverse("mechanisms:scheme_report_xlsx", args=[scheme.pk]),
    ]
    posts = [
        reverse("mechanisms:item_remove", args=[scheme.pk, 1]),
        reverse("mechanisms:scheme_compute", args=[scheme.pk]),
        reverse("mechanisms:scheme_publish", args=[scheme.pk]),
    ]
    page = client_for(outsider).get(gets[1]).content.decode()  # a hotel: no unit's line
    assert county.school_a.name not in page and county.police_a.name not in page
    for user in (outsider, sysadmin):
        client = client_for(user)
        for url in (gets if user is sysadmin else gets[2:]) + lead_only:
            assert client.get(url).status_code in (403, 404), (user, url)
        for url in [*posts, reverse("mechanisms:result_submit", args=[result.pk])]:
            assert client.post(url).status_code in (403, 404), (user, url)
    client = client_for(liaison_a)  # a member unit: its own pages only
    for url in lead_only:
        assert client.get(url).status_code in (403, 404), url
    for url in posts:
        assert client.post(url).status_code == 403, url
    other = make_user("school_b_clerk", county.school_b, Role.CASE_WORKER)
    response = client_for(other).post(reverse("mechanisms:result_submit", args=[result.pk]))
    assert response.status_code == 404
    assert _result(scheme, county.school_a).self_submitted_at is None
    assert scheme.items.filter(number=1).exists()


def test_lists_do_not_grow_in_queries(
    county: County,
    scheme: Scheme,
    lead: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: object,
) -> None:
    client = client_for(lead)
    for year in range(2010, 2016):
        make_scheme(year=year)
    result = _result(scheme, county.police_a)
    for url in (
        reverse("mechanisms:scheme_list"),
        reverse("mechanisms:scheme", args=[scheme.pk]),
        reverse("mechanisms:result", args=[result.pk]),
    ):
        client.get(url)
        with django_assert_max_num_queries(20):  # type: ignore[operator]
            assert client.get(url).status_code == 200
