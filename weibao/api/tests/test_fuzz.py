"""Schemathesis against the API's own OpenAPI schema, in-process, as two roles.

Every operation of `/api/v1/schema/` gets a few generated requests (valid ones and invalid ones),
sent through the Django WSGI app with the API token of a school liaison and of the county
coordinator. Each must answer without a server error, with a status code the schema documents,
and with a body that matches the schema. Bounded: a fixed, derandomized number of examples per
operation, no shrinking; each operation and role is its own test, so its writes roll back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from weibao.accounts.models import User
from weibao.testing import County

SCHEMA_URL = "/api/v1/schema/?format=json"
# Per operation, per generation mode, per role; WEIBAO_FUZZ_EXAMPLES=100 for a deeper run by hand.
EXAMPLES = int(os.environ.get("WEIBAO_FUZZ_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
ROLES = ["liaison_a", "coordinator"]
# Operations left out, each with its reason (none now).
EXCLUDED: dict[str, str] = {}


def _labels() -> list[str]:
    """The operations, read from the schema generator at collection time (no database needed),
    so that each is a test of its own; `test_every_operation_is_fuzzed` checks the served schema
    has the same ones."""
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    methods = ("get", "post", "put", "patch", "delete")
    return [f"{m.upper()} {path}" for path, item in paths.items() for m in item if m in methods]


LABELS = _labels()
_loaded: dict[str, Any] = {}


def _schema(user: User) -> Any:
    """The schema as the API serves it, loaded once per process through the WSGI app."""
    if "schema" not in _loaded:
        app = WSGIHandler()
        _loaded["schema"] = schemathesis.openapi.from_wsgi(SCHEMA_URL, app, headers=_auth(user))
    return _loaded["schema"]


def _auth(user: User) -> dict[str, str]:
    token, _ = Token.objects.get_or_create(user=user)
    return {"Authorization": f"Token {token.key}"}


@pytest.fixture(autouse=True)
def keep_the_connection() -> Iterator[None]:
    """The WSGI app's request signals would close the database connection inside the test's
    transaction (PostgreSQL: "the connection is closed"); Django's test client unhooks them the
    same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def frozen() -> Iterator[None]:
    """A fixed day (a term day, mid-season): generated dates meet the same rules on every run."""
    with time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=UTC), tick=False):
        yield


def _has_inputs(operation: Any) -> bool:
    """Whether the operation takes anything but the credentials (which the test sends)."""
    locations = (operation.path_parameters, operation.query, operation.headers)
    return bool(len(operation.body)) or any(
        "x-original-security-type" not in parameter.definition
        for parameters in locations
        for parameter in parameters
    )


def test_every_operation_is_fuzzed(coordinator: User) -> None:
    schema = _schema(coordinator)
    served = {result.ok().label for result in schema.get_all_operations()}
    assert served == set(LABELS)
    assert len(served) > 50


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", [label for label in LABELS if label not in EXCLUDED])
def test_operation_answers_as_documented(
    label: str, role: str, request: pytest.FixtureRequest, db: None, english: None, frozen: None
) -> None:
    user: User = request.getfixturevalue(role)
    headers = _auth(user)
    operation = _schema(user).find_operation_by_label(label)
    assert operation is not None, label

    strategies = [
        operation.as_strategy(generation_mode=mode)
        for mode in MODES
        # Nothing to make invalid: hypothesis would find no case at all.
        if mode == schemathesis.GenerationMode.POSITIVE or _has_inputs(operation)
    ]
    if "id" in operation.path_parameters:
        # Random keys are all 404s: also ask for records that exist (the fixtures' division,
        # units and users: the kinds of the platform's own endpoints), with the rest generated.
        county: County = request.getfixturevalue("county")
        keys = {user.pk, user.organisation_id, county.county.pk, county.school_a.pk}
        strategies.append(
            st.sampled_from(sorted(keys)).flatmap(
                lambda key: operation.as_strategy(path_parameters={"id": key})
            )
        )

    for strategy in strategies:

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
