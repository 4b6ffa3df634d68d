"""The pages no other test requested: open a watch file, resolve a warning, end a risk factor,
share an event, seal and unseal a measure; each also refuses the wrong user."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from weibao.accounts.models import Role
from weibao.atrisk import services
from weibao.atrisk.models import (
    AtRiskFile,
    Measure,
    RiskFactor,
    RiskWarning,
    SealedQueryApplication,
)
from weibao.atrisk.tests.conftest import make_person, report, years_ago
from weibao.testing import make_user

NOW = datetime(2026, 3, 18, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def file_a(liaison_a, pupil_a):
    report(liaison_a, [pupil_a], "BL02")
    return AtRiskFile.objects.get(person=pupil_a)


@pytest.fixture
def viewer_a(county):
    return make_user("viewer_a", county.school_a, Role.READ_ONLY)


# Open a watch file -----------------------------------------------------------------------


def test_open_a_watch_file(client_for, liaison_a, county):
    child = make_person(
        "留守生", county.school_a, birth_date=years_ago(11), seq=61, school=county.school_a
    )
    client = client_for(liaison_a)
    assert client.get(reverse("atrisk:create")).status_code == 200
    r = client.post(reverse("atrisk:create"), {"person": child.pk, "factors": ["hardship"]})
    file = AtRiskFile.objects.get(person=child)
    assert r.status_code == 302 and r["Location"] == file.get_absolute_url()
    assert file.risk_factors.filter(kind="hardship").exists() and file.worker == liaison_a


def test_open_a_watch_file_for_another_schools_pupil_is_refused(client_for, liaison_b, pupil_a):
    r = client_for(liaison_b).post(
        reverse("atrisk:create"), {"person": pupil_a.pk, "factors": ["hardship"]}
    )
    assert r.status_code == 400 and "person" in r.context["form"].errors
    assert not AtRiskFile.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "viewer_a", "sysadmin"])
def test_open_a_watch_file_needs_a_writer(request, client_for, pupil_a, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(reverse("atrisk:create")).status_code == 403
    r = client_for(user).post(reverse("atrisk:create"), {"person": pupil_a.pk, "factors": ["x"]})
    assert r.status_code == 403 and not AtRiskFile.objects.exists()


# Resolve a warning -----------------------------------------------------------------------


@pytest.fixture
def warning(file_a):
    return RiskWarning.objects.create(file=file_a, kind=RiskWarning.Kind.RETURNED, key="t")


def test_resolve_a_warning(client_for, liaison_a, warning, file_a):
    r = client_for(liaison_a).post(reverse("atrisk:warning_resolve", args=[warning.pk]))
    assert r.status_code == 302 and r["Location"] == file_a.get_absolute_url()
    warning.refresh_from_db()
    assert warning.resolved_by == liaison_a
    # Resolved: it is no longer there to resolve.
    again = client_for(liaison_a).post(reverse("atrisk:warning_resolve", args=[warning.pk]))
    assert again.status_code == 404


@pytest.mark.parametrize(("who", "status"), [("liaison_b", 404), ("viewer_a", 403)])
def test_resolve_a_warning_refused(request, client_for, warning, who, status):
    user = request.getfixturevalue(who)
    r = client_for(user).post(reverse("atrisk:warning_resolve", args=[warning.pk]))
    assert r.status_code == status
    warning.refresh_from_db()
    assert warning.resolved_at is None


# End a risk factor -----------------------------------------------------------------------


@pytest.fixture
def factor(liaison_a, file_a):
    return services.risk_factor_add(actor=liaison_a, file=file_a, kind="hardship")


def test_end_a_risk_factor(client_for, liaison_a, file_a, factor):
    url = reverse("atrisk:factor_end", args=[file_a.pk, factor.pk])
    r = client_for(liaison_a).post(url)
    assert r.status_code == 302
    factor.refresh_from_db()
    assert factor.ended_on == date(2026, 3, 18)
    assert client_for(liaison_a).post(url).status_code == 404  # already ended


@pytest.mark.parametrize(("who", "status"), [("liaison_b", 404), ("viewer_a", 403)])
def test_end_a_risk_factor_refused(request, client_for, file_a, factor, who, status):
    user = request.getfixturevalue(who)
    r = client_for(user).post(reverse("atrisk:factor_end", args=[file_a.pk, factor.pk]))
    assert r.status_code == status
    assert RiskFactor.objects.get(pk=factor.pk).ended_on is None


def test_a_factor_of_another_file_is_404(client_for, liaison_a, file_a, pupil_a, county):
    other = make_person(
        "另一生", county.school_a, birth_date=years_ago(12), seq=62, school=county.school_a
    )
    other_file = services.file_open(actor=liaison_a, person=other, factors=["hardship"])
    foreign = other_file.risk_factors.get()
    r = client_for(liaison_a).post(reverse("atrisk:factor_end", args=[file_a.pk, foreign.pk]))
    assert r.status_code == 404


# Share an event --------------------------------------------------------------------------


def test_share_an_event(client_for, liaison_a, police, file_a, county):
    event = file_a.events.get()
    r = client_for(liaison_a).post(
        reverse("atrisk:event_share", args=[event.pk]), {"unit": county.police_a.pk}
    )
    assert r.status_code == 302 and r["Location"] == file_a.get_absolute_url()
    assert event.shared_with.filter(pk=county.police_a.pk).exists()
    # Now the police see it.
    assert client_for(police).get(file_a.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(("who", "status"), [("liaison_b", 404), ("viewer_a", 403)])
def test_share_an_event_refused(request, client_for, file_a, county, who, status):
    event = file_a.events.get()
    user = request.getfixturevalue(who)
    r = client_for(user).post(
        reverse("atrisk:event_share", args=[event.pk]), {"unit": county.police_a.pk}
    )
    assert r.status_code == status and not event.shared_with.exists()


# Seal and unseal a measure ---------------------------------------------------------------


@pytest.fixture
def measure(liaison_a, file_a):
    return services.measure_record(
        actor=liaison_a, file=file_a, data={"kind": "SM01", "decided_on": date(2026, 3, 17)}
    )


def test_seal_a_measure_then_a_coordinator_unseals_it(client_for, liaison_a, coordinator, measure):
    r = client_for(liaison_a).post(
        reverse("atrisk:measure_seal", args=[measure.pk]), {"reason": "依法封存记录"}
    )
    assert r.status_code == 302 and Measure.objects.get(pk=measure.pk).sealed
    # The sealing unit no longer reaches it, not even to unseal it.
    r = client_for(liaison_a).post(
        reverse("atrisk:measure_unseal", args=[measure.pk]), {"reason": "新罪合并执行"}
    )
    assert r.status_code == 404
    SealedQueryApplication.objects.create(
        file=measure.file,
        applicant=coordinator,
        legal_basis="刑事诉讼法第286条",
        purpose="办案需要",
        decision=SealedQueryApplication.Decision.APPROVED,
        expires_on=date(2026, 3, 18) + timedelta(days=5),
    )
    r = client_for(coordinator).post(
        reverse("atrisk:measure_unseal", args=[measure.pk]), {"reason": "发现漏罪，合并执行"}
    )
    assert r.status_code == 302 and not Measure.objects.get(pk=measure.pk).sealed


@pytest.mark.parametrize(
    ("who", "status"), [("liaison_b", 404), ("viewer_a", 403), ("police", 404)]
)
def test_seal_a_measure_refused(request, client_for, measure, who, status):
    user = request.getfixturevalue(who)
    r = client_for(user).post(
        reverse("atrisk:measure_seal", args=[measure.pk]), {"reason": "依法封存记录"}
    )
    assert r.status_code == status and not Measure.objects.get(pk=measure.pk).sealed


def test_another_unit_that_sees_the_measure_may_not_seal_it(client_for, liaison_a, county, measure):
    # The education bureau sees its schools' files, but did not issue the measure.
    bureau = make_user("bureau", county.education, Role.CASE_WORKER)
    r = client_for(bureau).post(
        reverse("atrisk:measure_seal", args=[measure.pk]), {"reason": "依法封存记录"}
    )
    assert r.status_code == 403 and not Measure.objects.get(pk=measure.pk).sealed
