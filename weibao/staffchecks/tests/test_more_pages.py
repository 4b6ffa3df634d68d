"""The pages no other test requests: each works for its user and refuses the wrong one; the
matches list's query count does not grow; the app's waiting lines and indicators."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weibao.accounts.models import User
from weibao.core.contract import Period, figure
from weibao.staffchecks import services
from weibao.staffchecks.models import CheckBatch, CheckItem, OffenderRecord, StaffMember
from weibao.staffchecks.tests.test_views import done_batch  # noqa: F401  (fixture)
from weibao.staffchecks.waiting import waiting
from weibao.testing import County, id_for, xlsx_upload

ClientFor = Callable[[User], Client]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_roster_template_and_staff_pages(
    county: County, client_for: ClientFor, admin_a: User, liaison_b: User, roster_a: Any
) -> None:
    school_a = county.school_a.pk
    own, other = client_for(admin_a), client_for(liaison_b)
    template = reverse("staffchecks:roster_template", args=[school_a])
    assert own.get(template)["Content-Type"] == XLSX
    assert other.get(template).status_code == 404
    add = reverse("staffchecks:staff_add", args=[school_a])
    assert own.get(add).status_code == 200
    data = {"name": "钱七", "id_number": id_for(date(1987, 5, 3), 41), "role": "teacher",
            "start_date": "2021-09-01"}  # fmt: skip
    assert other.post(add, data).status_code == 404
    assert own.post(add, data).status_code == 302
    assert StaffMember.objects.filter(unit_id=school_a).count() == 4
    left = reverse("staffchecks:staff_left", args=[roster_a[0].pk])
    assert other.post(left).status_code == 404
    assert own.post(left).status_code == 302
    roster_a[0].refresh_from_db()
    assert roster_a[0].status == StaffMember.Status.LEFT


def test_batch_form_letters_print_and_national_results(
    county: County,
    client_for: ClientFor,
    admin_a: User,
    liaison_b: User,
    roster_a: list[StaffMember],
    done_batch: CheckBatch,  # noqa: F811
) -> None:
    own, other = client_for(admin_a), client_for(liaison_b)
    create = reverse("staffchecks:batch_create", args=[county.school_a.pk])
    assert own.get(create).status_code == 200
    assert other.get(create).status_code == 404
    item = done_batch.items.get(result=CheckItem.Result.BARRED)
    for url in (
        reverse("staffchecks:item_letter", args=[item.pk]),
        reverse("staffchecks:batch_letter", args=[done_batch.pk]),
    ):
        assert own.get(url)["Content-Type"] == DOCX
        assert other.get(url).status_code == 404
    printed = reverse("staffchecks:batch_print", args=[done_batch.pk])
    assert own.get(printed).status_code == 200 and "张伟" in own.get(printed).content.decode()
    assert other.get(printed).status_code == 404
    batch = services.batch_create(
        actor=admin_a,
        unit=county.school_a,
        kind=CheckBatch.Kind.NEW_HIRE,
        consent_confirmed=True,
        staff=roster_a[2:],
    )
    national = reverse("staffchecks:batch_national", args=[batch.pk])
    file = xlsx_upload(["ID number", "Result"], [[roster_a[2].person.id_number, "clear"]])
    assert other.post(national, {"file": file}).status_code == 404
    file.seek(0)
    assert own.post(national, {"file": file}).status_code == 302
    batch.refresh_from_db()
    assert batch.status == CheckBatch.Status.DONE and batch.clear_count == 1


def test_register_template_and_import_page(
    client_for: ClientFor, police: User, admin_a: User
) -> None:
    url = reverse("staffchecks:register_template")
    assert client_for(police).get(url)["Content-Type"] == XLSX
    assert client_for(admin_a).get(url).status_code == 403
    header = [str(column.header) for column in services.REGISTER_COLUMNS]
    file = xlsx_upload(header, [["孙三", id_for(date(1970, 1, 1), 1), "", "sexual"]])
    assert (
        client_for(admin_a).post(reverse("staffchecks:register"), {"file": file}).status_code == 403
    )
    file.seek(0)
    response = client_for(police).post(reverse("staffchecks:register"), {"file": file})
    assert response.status_code == 302 and OffenderRecord.objects.count() == 1


def test_matches_query_count_does_not_grow(
    county: County,
    client_for: ClientFor,
    admin_a: User,
    police: User,
    done_batch: CheckBatch,  # noqa: F811
) -> None:
    client, url = client_for(police), reverse("staffchecks:matches")

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    before = count()
    record = done_batch.items.get(result=CheckItem.Result.POSSIBLE).matched_record
    more = [
        services._item_for_staff(done_batch, s)
        for s in StaffMember.objects.filter(unit=county.school_a).select_related("person")
    ]
    for extra in more:
        extra.result, extra.matched_record = CheckItem.Result.POSSIBLE, record
    CheckItem.objects.bulk_create(more)
    assert count() == before


def test_waiting_marks_overdue_actions(
    admin_a: User,
    police: User,
    done_batch: CheckBatch,  # noqa: F811
) -> None:
    item = done_batch.items.get(result=CheckItem.Result.BARRED)
    assert item.action_due is not None
    labels = {w.label: w for w in waiting(admin_a)}
    assert labels["Staff check results needing action"].count == 1
    assert not labels["Staff check results needing action"].overdue
    with time_machine.travel(item.action_due + timedelta(days=1)):
        late = {w.label: w for w in waiting(admin_a)}
    assert late["Staff check results needing action"].overdue
    assert {w.label: w.count for w in waiting(police)}["Possible matches to confirm"] == 1


@pytest.mark.parametrize("key", ["people_checked", "barred_found"])
def test_indicators_count_completed_checks_by_division_and_year(
    county: County,
    admin_a: User,
    roster_a: list[StaffMember],
    add_record: Callable[..., OffenderRecord],
    key: str,
) -> None:
    add_record("张伟", roster_a[0].person.id_number, roster_a[0].person.birth_date)
    with time_machine.travel("2025-03-01 10:00 +0800"):
        batch = services.batch_create(
            actor=admin_a,
            unit=county.school_a,
            kind=CheckBatch.Kind.NEW_HIRE,
            consent_confirmed=True,
            staff=roster_a,
        )
        services.batches_run(actor=admin_a, batch_ids=[batch.pk])
    expected = {"people_checked": 3, "barred_found": 1}[key]
    full = f"staffchecks.{key}"
    assert figure(full, division=None, period=Period.year(2025)) == expected
    assert figure(full, division=county.township_a, period=Period.year(2025)) == expected
    assert figure(full, division=county.township_b, period=Period.year(2025)) == 0
    assert figure(full, division=None, period=Period.year(2024)) == 0
