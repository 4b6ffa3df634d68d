"""Check requests: consent, the background job, police confirmation, the unit's action, the
result letter and results from the national platform."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from docx import Document

from weibao.accounts.models import User
from weibao.core.models import Job, Notification
from weibao.staffchecks import services
from weibao.staffchecks.models import CheckBatch, CheckItem, OffenderRecord, StaffMember
from weibao.testing import County, id_for


@pytest.fixture
def planted(
    roster_a: list[StaffMember], add_record: Callable[..., OffenderRecord]
) -> list[StaffMember]:
    """The first of school A's staff is on the register; the second looks like someone who is."""
    barred, lookalike, _clear = roster_a
    add_record("张伟", barred.person.id_number, barred.person.birth_date, "sexual")
    add_record(
        "王芳", id_for(lookalike.person.birth_date, 999), lookalike.person.birth_date, "abuse"
    )
    return roster_a


def test_consent_is_required(county: County, admin_a: User, roster_a: list[StaffMember]) -> None:
    with pytest.raises(ValidationError) as info:
        services.batch_create(
            actor=admin_a,
            unit=county.school_a,
            kind=CheckBatch.Kind.NEW_HIRE,
            consent_confirmed=False,
            staff=roster_a,
        )
    assert "consent_confirmed" in info.value.message_dict
    assert not CheckBatch.objects.exists()


def test_annual_check_runs_as_a_job(
    county: County,
    admin_a: User,
    planted: list[StaffMember],
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    batch = services.batch_create(
        actor=admin_a,
        unit=county.school_a,
        kind=CheckBatch.Kind.ANNUAL,
        consent_confirmed=True,
        consent_note="signed forms in the office",
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.batches_run_start(actor=admin_a, batches=[batch])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert (job.done, job.total) == (3, 3)
    batch.refresh_from_db()
    assert batch.status == CheckBatch.Status.DONE
    assert (batch.total, batch.clear_count, batch.barred_count, batch.pending_count) == (3, 1, 1, 1)
    barred = batch.items.get(result=CheckItem.Result.BARRED)
    assert barred.staff == planted[0] and barred.action_due is not None
    planted[2].refresh_from_db()
    assert planted[2].last_checked_on is not None and planted[2].first_cleared_on is not None
    planted[1].refresh_from_db()
    assert planted[1].last_checked_on is None  # pending: not checked until the police decide
    # Nothing about the offence reaches the unit's inbox.
    for note in Notification.objects.all():
        assert "sexual" not in note.title + note.body and "张伟" not in note.title + note.body
    # Running again does nothing: the request is done.
    with pytest.raises(ValidationError):
        services.batches_run_start(actor=admin_a, batches=[batch])


def _run(county: County, actor: User, staff: list[StaffMember]) -> CheckBatch:
    batch = services.batch_create(
        actor=actor,
        unit=county.school_a,
        kind=CheckBatch.Kind.NEW_HIRE,
        consent_confirmed=True,
        staff=staff,
    )
    services.batches_run(actor=actor, batch_ids=[batch.pk])
    batch.refresh_from_db()
    return batch


def test_a_failed_run_leaves_the_unfinished_requests_open(
    county: County, admin_a: User, planted: list[StaffMember], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = (
        services.batch_create(
            actor=admin_a,
            unit=county.school_a,
            kind=CheckBatch.Kind.NEW_HIRE,
            consent_confirmed=True,
            staff=[staff],
        )
        for staff in planted[:2]
    )
    real = services.batches.matching.match_batch

    def failing(batch_id: int) -> Any:
        if batch_id == second.pk:
            raise RuntimeError("the database went away")
        return real(batch_id)

    monkeypatch.setattr(services.batches.matching, "match_batch", failing)
    with pytest.raises(RuntimeError):
        services.batches_run(actor=admin_a, batch_ids=[first.pk, second.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (CheckBatch.Status.DONE, CheckBatch.Status.OPEN)
    assert second.items.get().unit_result == "pending"  # never read as clear
    monkeypatch.setattr(services.batches.matching, "match_batch", real)
    services.batches_run(actor=admin_a, batch_ids=[second.pk])
    second.refresh_from_db()
    assert second.status == CheckBatch.Status.DONE
    assert second.items.get().result == CheckItem.Result.POSSIBLE


def test_police_confirm_a_possible_match(
    county: County, admin_a: User, police: User, planted: list[StaffMember]
) -> None:
    batch = _run(county, admin_a, planted)
    item = CheckItem.objects.possible_for_police(police).get()
    assert item.unit_result == "pending"
    with pytest.raises(PermissionDenied):
        services.item_confirm(actor=admin_a, item=item, barred=True)
    services.item_confirm(actor=police, item=item, barred=True, note="same person")
    item.refresh_from_db()
    batch.refresh_from_db()
    assert item.result == CheckItem.Result.BARRED and item.confirmed_by == police
    assert (batch.barred_count, batch.pending_count) == (2, 0)
    with pytest.raises(ValidationError):
        services.item_confirm(actor=police, item=item, barred=False)


def test_unit_records_dismissal(county: County, admin_a: User, planted: list[StaffMember]) -> None:
    batch = _run(county, admin_a, planted)
    item = batch.items.get(result=CheckItem.Result.BARRED)
    with pytest.raises(ValidationError) as info:
        services.item_record_action(actor=admin_a, item=item, action="promoted")
    assert "action" in info.value.message_dict
    services.item_record_action(actor=admin_a, item=item, action=CheckItem.Action.DISMISSED)
    planted[0].refresh_from_db()
    assert planted[0].status == StaffMember.Status.LEFT
    clear = batch.items.cleared().get()
    with pytest.raises(ValidationError):
        services.item_record_action(actor=admin_a, item=clear, action="dismissed")


def test_letter_has_no_offence_details(
    county: County, admin_a: User, planted: list[StaffMember]
) -> None:
    batch = _run(county, admin_a, planted)
    content = services.batch_letter(actor=admin_a, batch=batch)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "张伟" in text and "not to be employed" in text
    assert county.school_a.name in text
    assert "王芳" not in text  # pending people are counted, not named
    for word in ("sexual", "abuse", "trafficking", "violen", "性侵", "虐待", "category"):
        assert word not in text.lower()
    assert planted[0].person.id_number not in text  # masked


def test_applicants_file_and_national_results(
    county: County, admin_a: User, make_xlsx: Callable[..., Any]
) -> None:
    first, second = id_for(date(1995, 1, 1), 1), id_for(date(1996, 1, 1), 2)
    file = make_xlsx(["Name", "ID number"], [["甲", first], ["乙", second]])
    batch = services.batch_create(
        actor=admin_a,
        unit=county.school_a,
        kind=CheckBatch.Kind.APPLICANTS,
        consent_confirmed=True,
        applicants=file,
    )
    assert batch.items.count() == 2
    bad = make_xlsx(
        ["ID number", "Result"], [[first, "maybe"], [id_for(date(1990, 1, 1)), "clear"]]
    )
    with pytest.raises(services.RegisterFileError) as info:
        services.national_results_enter(actor=admin_a, batch=batch, upload=bad)
    assert {(e.row, e.column) for e in info.value.row_errors} == {(2, "Result"), (3, "ID number")}
    assert not batch.items.exclude(result=CheckItem.Result.QUEUED).exists()
    good = make_xlsx(["ID number", "Result"], [[first, "clear"], [second.lower(), "hit"]])
    assert services.national_results_enter(actor=admin_a, batch=batch, upload=good) == 2
    batch.refresh_from_db()
    assert (batch.clear_count, batch.barred_count, batch.status) == (1, 1, "done")


@time_machine.travel("2026-12-31 23:30 +0800")
def test_yearly_task_opens_once_per_unit(county: County, liaison_a: User) -> None:
    call_command("run_job", "staffchecks_annual_open")
    call_command("run_job", "staffchecks_annual_open")
    annual = CheckBatch.objects.filter(kind=CheckBatch.Kind.ANNUAL)
    assert set(annual.values_list("unit_id", flat=True)) == {county.school_a.pk, county.school_b.pk}
    assert Notification.objects.filter(recipient=liaison_a).count() == 1
    assert date.today().year == annual.first().year  # type: ignore[union-attr]
