"""The job page: a progress bar that polls while the job runs; the starter's only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from weibao.accounts.models import User
from weibao.core.models import Job
from weibao.core.services import attachment_store_bytes


@pytest.fixture
def running_job(liaison_a: User) -> Job:
    return Job.objects.create(
        kind="export",
        title="Export pupils",
        started_by=liaison_a,
        status=Job.Status.RUNNING,
        done=30,
        total=120,
    )


def test_full_page_shows_the_bar_and_polls(
    liaison_a: User, running_job: Job, client_for: Any
) -> None:
    response = client_for(liaison_a).get(running_job.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert '<progress max="100" value="25"' in html
    assert f'hx-get="/jobs/{running_job.pk}/"' in html
    assert 'hx-trigger="every 1s"' in html


def test_htmx_gets_only_the_bar(liaison_a: User, running_job: Job, client_for: Any) -> None:
    response = client_for(liaison_a).get(running_job.get_absolute_url(), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith(f'<div class="job job-running" id="job-{running_job.pk}"')
    assert "30" in html and "120" in html


def test_finished_job_stops_polling_and_offers_the_file(
    liaison_a: User, running_job: Job, client_for: Any, file_root: Path
) -> None:
    result = attachment_store_bytes(
        actor=liaison_a,
        name="pupils.xlsx",
        content=b"PK",
        content_type="application/zip",
        owner=running_job,
    )
    running_job.status = Job.Status.DONE
    running_job.result = result
    running_job.save()

    html = (
        client_for(liaison_a)
        .get(running_job.get_absolute_url(), HTTP_HX_REQUEST="true")
        .content.decode()
    )

    assert "hx-get" not in html
    assert 'value="100"' in html
    assert f'href="/files/{result.pk}/"' in html


def test_failed_job_shows_why(liaison_a: User, running_job: Job, client_for: Any) -> None:
    running_job.status = Job.Status.FAILED
    running_job.message = "Row 3: the ID number is not valid."
    running_job.save()

    html = client_for(liaison_a).get(running_job.get_absolute_url()).content.decode()

    assert "Row 3: the ID number is not valid." in html
    assert "hx-get" not in html


@pytest.mark.parametrize("who", ["liaison_b", "admin_a", "coordinator", "outsider"])
def test_other_users_get_404(who: str, running_job: Job, client_for: Any, request: Any) -> None:
    user = request.getfixturevalue(who)

    assert client_for(user).get(running_job.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_log_in(running_job: Job, client: Any) -> None:
    response = client.get(running_job.get_absolute_url())

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
