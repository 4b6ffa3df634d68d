"""Statistics fixtures: the county frozen in time, the statistics policy loaded, and viewers by
role (the education bureau's reader, a township government's clerk, a school's liaison)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine

import weibao.stats.policy  # noqa: F401  (registers the statistics permissions)
from weibao.accounts.models import Role, User
from weibao.testing import County, make_user

NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)  # 10:00 in the county


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def edu_reader(county: County) -> User:
    """The education bureau's leader: figures with small cells suppressed."""
    return make_user("edu_leader", county.education, Role.READ_ONLY)


@pytest.fixture
def prosecutor(county: County) -> User:
    return make_user("prosecutor", county.procuratorate, Role.CASE_WORKER)
