"""A number too large for the database, in a filter or a path, is a 400 (or 404), never a 500."""

from __future__ import annotations

import pytest

from weibao.api.tests.conftest import token_client

HUGE = "9" * 30


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/education/sessions/?topics={HUGE}",
        f"/api/v1/education/cases/?topics={HUGE}",
        f"/api/v1/education/sessions/?school={HUGE}",
        f"/api/v1/people/?school={HUGE}",
    ],
)
def test_a_huge_filter_value_is_refused_with_a_message(coordinator, path: str) -> None:
    response = token_client(coordinator).get(path)
    assert response.status_code == 400, response.content
    assert response.json()


def test_a_huge_key_in_the_path_is_not_found(coordinator) -> None:
    assert token_client(coordinator).get(f"/api/v1/people/{HUGE}/").status_code == 404
