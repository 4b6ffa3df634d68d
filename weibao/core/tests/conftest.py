"""Fixtures for core's tests: a private file store, inline tasks, and a fake group robot."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from weibao.accounts.models import Organisation
from weibao.testing import County


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@dataclass
class Robot:
    """A local HTTP server standing in for a WeCom/DingTalk group robot.

    `answers` is a queue of (HTTP status, JSON body) it gives, one per request; when it runs out
    it repeats the last one.
    """

    answers: list[tuple[int, dict[str, Any]]] = field(
        default_factory=lambda: [(200, {"errcode": 0})]
    )
    received: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/cgi-bin/webhook/send?key=test-key"

    def answer(self) -> tuple[int, dict[str, Any]]:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


@pytest.fixture
def robot() -> Iterator[Robot]:
    state = Robot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            state.received.append(json.loads(self.rfile.read(length)))
            status, body = state.answer()
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def school_a_robot(county: County, robot: Robot) -> Organisation:
    """School A, with its group robot at the local fake."""
    county.school_a.webhook_url = robot.url
    county.school_a.save(update_fields=["webhook_url"])
    return county.school_a
