"""The error answers every API operation can give, documented once for all of them.

A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]): each
operation gets the statuses below unless its own `extend_schema` already documents them, with
the shape `weibao.api.errors` gives them (`{"detail": ...}` or a map of field to messages).
Found by schemathesis (weibao/api/tests/test_fuzz.py): the schema promised only the 2xx answers.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi

ERROR = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "What was wrong: `detail`, or a message list for each field at fault.",
    "properties": {
        "detail": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    },
    "additionalProperties": {},
}

# status: (description, applies to operations that need a sign-in only)
STATUSES: dict[str, tuple[str, bool]] = {
    "400": ("A parameter or a field is invalid: the body names each one.", False),
    "401": ("Not signed in, or the API token is unknown or has expired.", True),
    "403": ("Signed in, but not allowed to do this (or a security step is due).", True),
    "404": ("No such record among those this user may see, or no such page.", False),
    "413": ("The request body or an uploaded file is too large.", False),
    "414": ("The address with its query is too long (the web server's limit).", False),
    "429": ("Too many requests: see the Retry-After header.", False),
}
# Answered by the web server (gunicorn, nginx) before the request reaches the platform: a page.
WEB_SERVER = frozenset({"414"})
PAGE = {"text/html": {"schema": {"type": "string"}}}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR, ERROR_SCHEMA)
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR}"}}}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            # An operation without a sign-in (the token endpoint) has no `security`, or [{}].
            open_to_all = not any(operation.get("security", result.get("security", [])))
            responses = operation.setdefault("responses", {})
            for status, (description, signed_in_only) in STATUSES.items():
                if signed_in_only and open_to_all:
                    continue
                answer = responses.setdefault(status, {"description": description})
                answer.setdefault("content", PAGE if status in WEB_SERVER else content)
    return result


def optional_withheld(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Fields a serializer leaves out for some readers (`weibao.core.api.withheld`) are not
    required in its answers. Found by the live-server fuzz: a police reader's report lacked the
    investigation notes the schema promised."""
    from weibao.core.api import WITHHELD

    schemas = result.get("components", {}).get("schemas", {})
    for name, fields in WITHHELD.items():
        schema = schemas.get(name)
        if schema is None or "required" not in schema:
            continue
        schema["required"] = [field for field in schema["required"] if field not in fields]
        if not schema["required"]:
            del schema["required"]
    return result


class AutoSchema(openapi.AutoSchema):
    """Writes answer with the resource as it reads: a viewset's `read_serializer_class`
    documents the answer of its creates, updates and actions (`decide`, `accept`), whatever
    their request takes; an operation's own `extend_schema(responses=...)` still wins. Found by
    the live-server fuzz: a filed report came back as a report, the schema promised the form."""

    def get_response_serializers(self) -> Any:
        read = getattr(self.view, "read_serializer_class", None)
        if read is None or self.method not in ("POST", "PUT", "PATCH"):
            return super().get_response_serializers()
        if getattr(self.view, "action", None) == "create":
            return {200: read, 201: read}  # 200: the first record, for a repeated idempotency key
        return read
