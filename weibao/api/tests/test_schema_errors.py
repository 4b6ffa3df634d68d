"""Every operation of the schema documents its error answers (weibao.api.schema)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.generators import SchemaGenerator

ERRORS = {"400", "401", "403", "404", "413", "429"}


def _operations() -> dict[str, dict[str, Any]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        f"{method.upper()} {path}": operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


def test_every_operation_documents_the_error_statuses() -> None:
    operations = _operations()
    assert len(operations) > 50
    for label, operation in operations.items():
        if label == "POST /api/v1/token/":
            continue
        missing = ERRORS - set(operation["responses"])
        assert not missing, (label, missing)
        body = operation["responses"]["404"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/Error"}, label


def test_the_token_endpoint_keeps_its_own_answers_and_needs_no_sign_in() -> None:
    responses = _operations()["POST /api/v1/token/"]["responses"]
    assert "401" not in responses  # no credentials are asked for
    assert responses["400"]["description"].startswith("Wrong username")  # its own, kept
    assert responses["429"]["description"].startswith("Locked")
    assert {"404", "413"} <= set(responses)
