"""The pages: who may open each (a not-allowed test for every page), the rule and assessment
forms with bad input, the dry-run button, the menu, and a bounded query count per list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.retention import services
from weibao.retention.models import ImpactAssessment, RetentionRule, RetentionRun
from weibao.retention.tests.conftest import assessment_data

pytestmark = pytest.mark.django_db

OTHERS = ["sysadmin", "liaison_a", "police", "outsider"]


@pytest.fixture
def world(now, coordinator):
    assessment = services.assessment_create(actor=coordinator, data=assessment_data())
    run = services.retention_preview(actor=coordinator)
    return {"assessment": assessment, "run": run, "kind": "cases"}


READ_PAGES = [
    ("rule_list", None),
    ("run_list", None),
    ("run_detail", "run"),
    ("pia_list", None),
    ("pia_detail", "assessment"),
]
WRITE_PAGES = [
    ("rule_change", "kind", "get"),
    ("pia_create", None, "get"),
    ("pia_edit", "assessment", "get"),
    ("run_preview", None, "post"),
    ("pia_delete", "assessment", "post"),
]


def _url(world, name, arg):
    if arg is None:
        return reverse(f"retention:{name}")
    value = world[arg]
    return reverse(f"retention:{name}", args=[value if isinstance(value, str) else value.pk])


@pytest.mark.parametrize(("name", "arg"), READ_PAGES)
def test_read_pages(request, client_for, world, name, arg) -> None:
    url = _url(world, name, arg)
    for user in ("coordinator", "auditor"):
        response = client_for(request.getfixturevalue(user)).get(url)
        assert response.status_code == 200, (user, response.content[:300])
    for user in OTHERS:
        assert client_for(request.getfixturevalue(user)).get(url).status_code in (403, 404), user


@pytest.mark.parametrize(("name", "arg", "method"), WRITE_PAGES)
def test_write_pages(request, client_for, world, name, arg, method) -> None:
    url = _url(world, name, arg)
    for user in ("auditor", *OTHERS):
        client = client_for(request.getfixturevalue(user))
        assert getattr(client, method)(url).status_code in (403, 404), user
    response = getattr(client_for(request.getfixturevalue("coordinator")), method)(url)
    assert response.status_code in (200, 302)


def test_unknown_kind_is_404(client_for, coordinator) -> None:
    url = reverse("retention:rule_change", args=["people"])
    assert client_for(coordinator).get(url).status_code == 404


def test_rule_form_refuses_under_minimum(now, client_for, coordinator) -> None:
    url = reverse("retention:rule_change", args=["audit_events"])
    client = client_for(coordinator)
    page = client.get(url).content.decode()
    assert 'value="erase"' not in page  # audit events are only reported
    response = client.post(url, {"keep_days": "30", "action": "report"})
    assert response.status_code == 400
    assert "Cybersecurity Law requires network logs" in response.content.decode()
    assert RetentionRule.objects.filter(kind="audit_events").count() == 1


def test_rule_form_refuses_negative_days(now, client_for, coordinator) -> None:
    url = reverse("retention:rule_change", args=["cases"])
    response = client_for(coordinator).post(url, {"keep_days": "-3", "action": "archive"})
    assert response.status_code == 400
    assert RetentionRule.objects.filter(kind="cases").count() == 1


def test_rule_form_saves_new_rule(now, client_for, coordinator) -> None:
    url = reverse("retention:rule_change", args=["cases"])
    response = client_for(coordinator).post(
        url, {"keep_days": "4000", "action": "erase", "reason": "县里决定"}
    )
    assert response.status_code == 302
    assert RetentionRule.objects.current().get(kind="cases").keep_days == 4000
    page = client_for(coordinator).get(reverse("retention:rule_list")).content.decode()
    assert "Earlier rules" in page and "4000" in page


def test_preview_button_makes_dry_run(now, client_for, coordinator) -> None:
    response = client_for(coordinator).post(reverse("retention:run_preview"))
    run = RetentionRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert run.dry_run
    page = client_for(coordinator).get(response.url).content.decode()
    assert "dry run: nothing was changed" in page


def test_pia_form(now, client_for, coordinator) -> None:
    client = client_for(coordinator)
    data = {
        **assessment_data(),
        "assessed_on": "2030-05-20",
        "next_review": "2030-05-01",
    }
    response = client.post(reverse("retention:pia_create"), data)
    assert response.status_code == 400
    assert "must come after the assessment" in response.content.decode()
    assert not ImpactAssessment.objects.exists()
    response = client.post(reverse("retention:pia_create"), {**data, "next_review": "2031-05-20"})
    assert response.status_code == 302
    assert ImpactAssessment.objects.get().next_review.isoformat() == "2031-05-20"


def test_pia_delete_refused_within_three_years(world, client_for, coordinator) -> None:
    url = reverse("retention:pia_delete", args=[world["assessment"].pk])
    response = client_for(coordinator).post(url, follow=True)
    assert "at least three years" in response.content.decode()
    assert ImpactAssessment.objects.exists()


def test_menu(client_for, coordinator, auditor, liaison_a) -> None:
    for user in (coordinator, auditor):
        page = client_for(user).get(reverse("retention:pia_list")).content.decode()
        assert reverse("retention:rule_list") in page
    page = client_for(liaison_a).get("/").content.decode()
    assert reverse("retention:rule_list") not in page


@pytest.mark.parametrize("name", ["rule_list", "run_list", "pia_list"])
def test_list_query_count(
    now, client_for, coordinator, name, django_assert_max_num_queries
) -> None:
    client = client_for(coordinator)
    url = reverse(f"retention:{name}")
    services.retention_preview(actor=coordinator)
    services.assessment_create(actor=coordinator, data=assessment_data())
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(5):
        services.retention_preview(actor=coordinator)
        services.assessment_create(actor=coordinator, data=assessment_data(purpose=f"目的{n}"))
        services.rule_change(
            actor=coordinator, kind="cases", data={"keep_days": 2000 + n, "action": "archive"}
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
