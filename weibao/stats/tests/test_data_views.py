"""The data pages: populations, targets and the trace, and who may not open them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from weibao.accounts.models import User
from weibao.stats import services
from weibao.stats.models import Population, Target
from weibao.testing import County

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Client]


def test_coordinator_enters_a_population(
    county: County, coordinator: User, client_for: Clients
) -> None:
    client = client_for(coordinator)
    assert client.get(reverse("stats:data_population_set")).status_code == 200
    response = client.post(
        reverse("stats:data_population_set"),
        {"division": county.township_a.pk, "year": 2025, "minors": 3200},
    )
    assert response.status_code == 302
    assert Population.objects.get(division=county.township_a, year=2025).minors == 3200
    page = client.get(reverse("stats:data_populations"))
    assert page.status_code == 200 and b"3200" in page.content


def test_bad_population_refused(county: County, coordinator: User, client_for: Clients) -> None:
    response = client_for(coordinator).post(
        reverse("stats:data_population_set"),
        {"division": county.village_a.pk, "year": 1800, "minors": 0},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"division", "year", "minors"}
    assert not Population.objects.exists()


def test_population_service_guard(county: County, edu_reader: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.population_set(actor=edu_reader, division=county.county, year=2025, minors=9)
    with pytest.raises(PermissionDenied):
        services.target_set(actor=edu_reader, key="x", year=2025, comparison="zero")


@pytest.mark.parametrize("name", ["stats:data_population_set", "stats:data_target_set"])
def test_only_the_coordinator_writes(
    county: County, edu_reader: User, prosecutor: User, client_for: Clients, name: str
) -> None:
    for user in (edu_reader, prosecutor):
        assert client_for(user).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["stats:data_populations", "stats:data_targets"])
def test_lists_not_for_schools_sysadmin_auditor(
    county: County,
    liaison_a: User,
    sysadmin: User,
    auditor: User,
    client_for: Clients,
    name: str,
) -> None:
    for user in (liaison_a, sysadmin, auditor):
        assert client_for(user).get(reverse(name)).status_code == 403


def test_targets_list_and_set(county: County, coordinator: User, client_for: Clients) -> None:
    client = client_for(coordinator)
    key = "stats.drowning_rate"
    response = client.post(
        reverse("stats:data_target_set"), {"key": key, "year": 2026, "comparison": "at_most"}
    )
    assert response.status_code == 200 and "value" in response.context["form"].errors
    response = client.post(
        reverse("stats:data_target_set"), {"key": key, "year": 2026, "comparison": "zero"}
    )
    assert response.status_code == 302
    assert Target.objects.get(key=key, year=2026).comparison == "zero"
    page = client.get(reverse("stats:data_targets"))
    assert page.status_code == 200 and b'data-state="not_yet_known"' in page.content


def test_trace_for_leads_only(
    county: County,
    coordinator: User,
    edu_reader: User,
    township_worker: User,
    client_for: Clients,
) -> None:
    from weibao.stats import definitions

    measures = [k for k, d in definitions.definitions().items() if d.measure is not None]
    if not measures:
        pytest.skip("no Measure installed")
    url = reverse("stats:data_trace", args=[measures[0], "2026"])
    assert client_for(coordinator).get(url).status_code == 200
    for user in (edu_reader, township_worker):
        assert client_for(user).get(url).status_code == 403
    assert (
        client_for(coordinator)
        .get(reverse("stats:data_trace", args=[measures[0], "20x"]))
        .status_code
        == 404
    )
