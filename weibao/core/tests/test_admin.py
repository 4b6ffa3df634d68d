"""The admin pages for core's records: readable, never writable."""

from __future__ import annotations

from typing import Any

import pytest

from weibao.accounts.models import Role, User
from weibao.core.models import Job, Notification, ScheduledRun
from weibao.testing import County, make_user


@pytest.fixture
def superuser(county: County) -> User:
    return make_user("root", county.procuratorate, Role.SYSADMIN, is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "model", ["notification", "webhookdelivery", "attachment", "job", "scheduledrun"]
)
def test_lists_open_and_adding_is_refused(superuser: User, client_for: Any, model: str) -> None:
    client = client_for(superuser)

    assert client.get(f"/django-admin/core/{model}/").status_code == 200
    assert client.get(f"/django-admin/core/{model}/add/").status_code == 403


def test_records_cannot_be_changed(superuser: User, liaison_a: User, client_for: Any) -> None:
    notification = Notification.objects.create(recipient=liaison_a, title="t")
    job = Job.objects.create(kind="k", title="t", started_by=liaison_a)
    ScheduledRun.objects.create(name="x")
    client = client_for(superuser)

    response = client.post(
        f"/django-admin/core/notification/{notification.pk}/change/", {"title": "changed"}
    )
    assert response.status_code == 403
    notification.refresh_from_db()
    assert notification.title == "t"
    assert (
        client.get(f"/django-admin/core/job/{job.pk}/change/").status_code == 200
    )  # read-only view
    assert client.post(f"/django-admin/core/job/{job.pk}/delete/").status_code == 403


def test_ordinary_users_are_kept_out(liaison_a: User, client_for: Any) -> None:
    response = client_for(liaison_a).get("/django-admin/core/job/")

    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]
