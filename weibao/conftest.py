"""Fixtures shared by every app's tests: a small county and a user for each kind of reader."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from weibao.accounts.models import Role, User
from weibao.testing import County, logged_in, make_county, make_user


@pytest.fixture(autouse=True)
def file_root(settings: Any, tmp_path: Path) -> Path:
    """Every test stores files in its own temporary folder, never in var/files; and uses a fast
    password hasher (users are made in most tests; the real hasher's slowness buys nothing)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    root = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    # The audit chains' checkpoints and the backups, likewise (weibao.audit.checkpoints).
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    settings.BACKUP_DIR = tmp_path / "backups"
    return root


@pytest.fixture
def english(settings: Any) -> Iterator[None]:
    """Messages in English (the message ids), for tests that assert on message text; the
    Chinese catalogue can then change without breaking them."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Tasks run inline when enqueued, instead of waiting for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def county(db: None) -> County:
    return make_county()


@pytest.fixture
def coordinator(county: County) -> User:
    return make_user("coordinator", county.procuratorate, Role.COUNTY_COORDINATOR)


@pytest.fixture
def liaison_a(county: County) -> User:
    return make_user("liaison_a", county.school_a, Role.CAMPUS_LIAISON)


@pytest.fixture
def liaison_b(county: County) -> User:
    return make_user("liaison_b", county.school_b, Role.CAMPUS_LIAISON)


@pytest.fixture
def admin_a(county: County) -> User:
    return make_user("admin_a", county.school_a, Role.UNIT_ADMIN)


@pytest.fixture
def police(county: County) -> User:
    return make_user("police_a", county.police_a, Role.CASE_WORKER)


@pytest.fixture
def township_worker(county: County) -> User:
    return make_user("township_a", county.township_gov_a, Role.CASE_WORKER)


@pytest.fixture
def outsider(county: County) -> User:
    return make_user("hotel_clerk", county.hotel, Role.READ_ONLY)


@pytest.fixture
def sysadmin(county: County) -> User:
    return make_user("sysadmin", county.procuratorate, Role.SYSADMIN)


@pytest.fixture
def auditor(county: County) -> User:
    return make_user("auditor", county.procuratorate, Role.AUDITOR)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """client_for(user) -> a signed-in test client."""
    return logged_in
