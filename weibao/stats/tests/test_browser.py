"""The indicator browser: a table and a chart of the figures asked for, the same table as
Excel, bad input refused with a clear message, and who may browse."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from weibao.accounts.models import User
from weibao.testing import County

NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


def query(**extra: Any) -> dict[str, Any]:
    return {
        "keys": ["drowning.deaths", "stats.drowning_rate"],
        "kind": "year",
        "first_year": 2024,
        "last_year": 2026,
        "level": "county",
        **extra,
    }


def test_the_form_alone(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    response = client_for(coordinator).get("/stats/browse/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="drowning.deaths"' in html and 'value="stats.crime_rate"' in html
    assert response.context["result"] is None


def test_county_table_rows_are_periods_with_counts_beside_rates(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    response = client_for(coordinator).get("/stats/browse/", query())
    assert response.status_code == 200
    table = response.context["table"]
    assert [row[0] for row in table.rows] == ["2024", "2025", "2026"]
    assert "Minors' drowning death rate: numerator" in table.headers
    assert table.headers[-1] == "Computed at"
    assert 'id="browse-chart"' in response.content.decode()


def test_township_level_lists_the_county_and_each_township(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    response = client_for(coordinator).get(
        "/stats/browse/", query(level="township", first_year=2026)
    )
    divisions = [row[1] for row in response.context["table"].rows]
    assert set(divisions) == {"乐安县", "鳌溪镇", "公溪镇"}


def test_a_territorial_unit_sees_the_county_and_its_own_township(
    police: User, county: County, client_for: Callable[[User], Client]
) -> None:
    response = client_for(police).get("/stats/browse/", query(level="township", first_year=2026))
    assert response.status_code == 200
    divisions = {row[1] for row in response.context["table"].rows}
    assert divisions == {"乐安县", "鳌溪镇"}


def test_excel_is_exactly_the_table(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    client = client_for(coordinator)
    table = client.get("/stats/browse/", query()).context["table"]
    response = client.get("/stats/browse/export/", query())
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == table.headers
    plain = [[float(v) if hasattr(v, "as_tuple") else v for v in row] for row in table.rows]
    assert rows[1:] == plain


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"keys": ["nope.nothing"]}, "keys", "Unknown indicator: nope.nothing."),
        ({"first_year": 1999}, "first_year", "Give a year from 2000 to 2099."),
        ({"last_year": 2100}, "last_year", "Give a year from 2000 to 2099."),
        (
            {"first_year": 2026, "last_year": 2020},
            "last_year",
            "The last year is before the first.",
        ),
        ({"kind": "decade"}, "kind", "Unknown kind of period: decade."),
        ({"level": "village"}, "level", "Unknown level: village."),
        ({"keys": []}, "keys", "Choose at least one indicator."),
    ],
)
def test_bad_input_is_refused_clearly(
    extra: dict[str, Any],
    field: str,
    message: str,
    coordinator: User,
    county: County,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(coordinator)
    response = client.get("/stats/browse/", query(**extra))
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert client.get("/stats/browse/export/", query(**extra)).status_code == 400


def test_too_many_figures_are_refused(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    response = client_for(coordinator).get(
        "/stats/browse/", query(kind="month", first_year=2000, last_year=2099, level="township")
    )
    assert response.status_code == 400
    assert "too many figures" in str(response.context["form"].non_field_errors())


@pytest.mark.parametrize("who", ["liaison_a", "outsider", "sysadmin", "auditor"])
@pytest.mark.parametrize("url", ["/stats/browse/", "/stats/browse/export/"])
def test_others_are_refused(
    who: str, url: str, request: pytest.FixtureRequest, client_for: Callable[[User], Client]
) -> None:
    user = request.getfixturevalue(who)
    assert client_for(user).get(url, query()).status_code == 403


def test_the_lead_gets_a_link_to_the_rows_behind_each_count(
    coordinator: User, edu_reader: User, county: County, client_for: Callable[[User], Client]
) -> None:
    wanted = query(keys=["drowning.deaths"], level="township")
    page = client_for(coordinator).get("/stats/browse/", wanted)
    assert page.status_code == 200
    html = page.content.decode()
    county_rows = reverse("stats:data_trace", args=["drowning.deaths", "2026"])
    assert f'href="{county_rows}"' in html
    assert f'href="{county_rows}?division={county.township_a.code}"' in html
    other = client_for(edu_reader).get("/stats/browse/", wanted)
    assert other.status_code == 200 and county_rows not in other.content.decode()


def test_school_level_lists_each_school_under_the_county(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    from weibao.schools.models import School

    School.objects.create(organisation=county.school_a, kind=School.Kind.PRIMARY)
    School.objects.create(organisation=county.school_b, kind=School.Kind.JUNIOR)
    wanted = query(keys=["legalvp.law_classes", "drowning.deaths"], level="school")
    response = client_for(coordinator).get("/stats/browse/", {**wanted, "first_year": 2026})
    assert response.status_code == 200
    divisions = [row[1] for row in response.context["table"].rows]
    assert divisions == ["乐安县", county.school_a.name, county.school_b.name]
    html = response.content.decode()
    assert "Not given by school:" in html
    assert response.context["result"].not_by_school == [str(response.context["result"].labels[1])]
    exported = client_for(coordinator).get("/stats/browse/export/", {**wanted, "first_year": 2026})
    assert exported.status_code == 200
