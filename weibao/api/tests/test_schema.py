"""The OpenAPI schema validates, and the docs page loads with local static files only."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from weibao.accounts.models import User


def test_schema_generates_without_errors_or_warnings(tmp_path: Path, db: None) -> None:
    out = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=StringIO()
    )
    text = out.read_text()
    for path in ("/api/v1/token/", "/api/v1/units/", "/api/v1/users/", "/api/v1/audit-events/"):
        assert path in text


def test_schema_endpoint_is_for_members(liaison_a: User, client_for) -> None:
    assert Client().get("/api/v1/schema/").status_code in (401, 403)
    response = client_for(liaison_a).get("/api/v1/schema/?format=json")
    assert response.status_code == 200 and "openapi" in response.json()


def test_docs_page_uses_local_static_only(liaison_a: User, client_for) -> None:
    client = client_for(liaison_a)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html  # the CSP allows no inline script
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls
    for url in urls:
        assert not re.match(r"^(https?:)?//", url), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
        else:
            script = client.get(url.replace("&amp;", "&"))
            assert script.status_code == 200 and "javascript" in script["Content-Type"]
            assert "/api/v1/schema/" in script.content.decode()


def test_docs_page_needs_login(db: None) -> None:
    assert Client().get("/api/v1/docs/")["Location"].startswith("/accounts/login/")
