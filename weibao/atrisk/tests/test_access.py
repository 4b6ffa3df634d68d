"""Who sees which files, events and measures: enforced in the for_user QuerySets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from weibao.accounts.models import Organisation, Role
from weibao.atrisk import services
from weibao.atrisk.models import AtRiskFile, Measure, MisconductEvent, SealedQueryApplication
from weibao.atrisk.tests.conftest import report
from weibao.testing import make_user


@pytest.fixture
def file_a(liaison_a, pupil_a):
    report(liaison_a, [pupil_a], "BL01", "BL02")
    return AtRiskFile.objects.get(person=pupil_a)


@pytest.fixture
def file_b(liaison_b, pupil_b):
    report(liaison_b, [pupil_b], "BL04")
    return AtRiskFile.objects.get(person=pupil_b)


def visible(user):
    return set(AtRiskFile.objects.for_user(user))


def test_school_sees_only_its_pupils(liaison_a, liaison_b, admin_a, file_a, file_b):
    assert visible(liaison_a) == {file_a}
    assert visible(admin_a) == {file_a}
    assert visible(liaison_b) == {file_b}


def test_county_coordinator_sees_the_county(coordinator, file_a, file_b):
    assert visible(coordinator) == {file_a, file_b}


def test_everyone_else_sees_nothing(sysadmin, auditor, outsider, county, file_a, file_b):
    hospital = Organisation.objects.create(
        name="县医院", kind=Organisation.Kind.HOSPITAL, division=county.county
    )
    nurse = make_user("nurse", hospital, Role.CASE_WORKER)
    for user in (sysadmin, auditor, outsider, nurse):
        assert visible(user) == set()
        assert not MisconductEvent.objects.for_user(user).exists()
        assert not Measure.objects.for_user(user).exists()


def test_township_sees_its_residents(township_worker, file_a, file_b):
    assert visible(township_worker) == {file_a}


def test_police_see_only_what_they_recorded_or_were_referred(
    police, liaison_b, file_a, file_b, pupil_a
):
    assert visible(police) == set()  # in their township, but nothing recorded or referred
    services.file_refer(actor=liaison_b, file=file_b, unit=police.organisation)
    assert visible(police) == {file_b}
    report(police, [pupil_a], "SB04")
    assert visible(police) == {file_a, file_b}


def test_school_sees_only_events_it_reported_or_was_shared(
    liaison_a, police, pupil_a, file_a, county
):
    theft = report(police, [pupil_a], "SB04")
    own = MisconductEvent.objects.get(involved__file=file_a, reporting_unit=county.school_a)
    assert set(MisconductEvent.objects.for_user(liaison_a)) == {own}
    services.event_share(actor=police, event=theft, unit=county.school_a)
    assert set(MisconductEvent.objects.for_user(liaison_a)) == {own, theft}


def test_school_never_sees_police_or_court_measures(
    liaison_a, police, coordinator, pupil_a, file_a
):
    report(police, [pupil_a], "SB04")
    day = timezone.localdate()
    school = services.measure_record(
        actor=liaison_a, file=file_a, data={"kind": "SM01", "decided_on": day}
    )
    police_m = services.measure_record(
        actor=police, file=file_a, data={"kind": "PM01", "decided_on": day}
    )
    order = services.measure_record(
        actor=police, file=file_a, data={"kind": "admonition", "decided_on": day}
    )
    assert set(Measure.objects.for_user(liaison_a)) == {school}
    assert set(Measure.objects.for_user(police)) == {school, police_m, order}


def test_group_event_does_not_open_the_other_school_file(
    liaison_a, liaison_b, coordinator, pupil_a, pupil_b
):
    event = report(coordinator, [pupil_a, pupil_b], "SB01")
    assert event.is_group
    assert {f.person for f in visible(liaison_a)} == {pupil_a}
    assert {f.person for f in visible(liaison_b)} == {pupil_b}
    assert not MisconductEvent.objects.for_user(liaison_a).filter(pk=event.pk).exists()


def test_sealed_hidden_from_coordinator_until_approved_and_after_expiry(
    coordinator, police, pupil_a, county
):
    event = report(police, [pupil_a], "SB04", sealed=True)
    file = AtRiskFile.objects.get(person=pupil_a)
    other = make_user("coordinator2", county.procuratorate, Role.COUNTY_COORDINATOR)
    assert not MisconductEvent.objects.for_user(coordinator).filter(pk=event.pk).exists()
    assert not MisconductEvent.objects.for_user(police).filter(pk=event.pk).exists()
    application = services.sealed_query_apply(
        actor=coordinator, file=file, legal_basis="刑事诉讼法第286条，办案需要", purpose="审查起诉"
    )
    assert not MisconductEvent.objects.for_user(coordinator).filter(pk=event.pk).exists()
    services.sealed_query_decide(
        actor=other,
        application=application,
        approve=True,
        expires_on=timezone.localdate() + timedelta(days=7),
    )
    assert MisconductEvent.objects.for_user(coordinator).filter(pk=event.pk).exists()
    assert not MisconductEvent.objects.for_user(other).filter(pk=event.pk).exists()
    SealedQueryApplication.objects.filter(pk=application.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    assert not MisconductEvent.objects.for_user(coordinator).filter(pk=event.pk).exists()


def test_sealed_records_do_not_shape_the_grade_others_see(police, pupil_a, coordinator):
    report(police, [pupil_a], "BL01")
    file = AtRiskFile.objects.get(person=pupil_a)
    services.measure_record(
        actor=police,
        file=file,
        data={"kind": "criminal_case", "decided_on": timezone.localdate()},
    )
    file.refresh_from_db()
    assert Measure.objects.get(file=file).sealed  # sealed by law
    assert file.grade == "T1"  # what everyone sees
    assert file.sealed_grade == "T4"  # only for holders of an approved application


def test_file_follows_the_minor_to_a_new_school(liaison_a, liaison_b, file_a, pupil_a, county):
    Person = type(pupil_a)
    Person.objects.filter(pk=pupil_a.pk).update(school=county.school_b, division=county.village_b)
    services.scores_recompute_all()
    file_a.refresh_from_db()
    assert (file_a.school, file_a.township) == (county.school_b, county.township_b)
    assert visible(liaison_b) >= {file_a}
    assert file_a not in visible(liaison_a) or file_a.worker == liaison_a


def test_cannot_share_or_refer_to_a_hotel(liaison_a, file_a, county):
    from django.core.exceptions import ValidationError

    event = MisconductEvent.objects.get(involved__file=file_a)
    with pytest.raises(ValidationError):
        services.event_share(actor=liaison_a, event=event, unit=county.hotel)
    with pytest.raises(ValidationError):
        services.file_refer(actor=liaison_a, file=file_a, unit=county.hotel)
