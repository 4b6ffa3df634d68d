"""Every page and its policy: schools see only their own roster and results, never the register
or possible-match details; the bureau sees results, not the register; the police the register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.staffchecks import services
from weibao.staffchecks.models import (
    CheckBatch,
    CheckItem,
    OffenderRecord,
    RosterUpload,
    StaffMember,
)
from weibao.staffchecks.tests.conftest import ROSTER_HEADER
from weibao.testing import County, id_for

ClientFor = Callable[[User], Client]


@pytest.fixture
def done_batch(
    county: County,
    admin_a: User,
    roster_a: list[StaffMember],
    add_record: Callable[..., OffenderRecord],
) -> CheckBatch:
    barred, lookalike, _clear = roster_a
    add_record("张伟", barred.person.id_number, barred.person.birth_date, "sexual")
    add_record("王芳", "", lookalike.person.birth_date, "abuse")
    batch = services.batch_create(
        actor=admin_a,
        unit=county.school_a,
        kind=CheckBatch.Kind.NEW_HIRE,
        consent_confirmed=True,
        staff=roster_a,
    )
    services.batches_run(actor=admin_a, batch_ids=[batch.pk])
    batch.refresh_from_db()
    return batch


def test_school_sees_own_roster_not_others(
    county: County, client_for: ClientFor, liaison_a: User, liaison_b: User, roster_a: Any
) -> None:
    url = reverse("staffchecks:roster", args=[county.school_a.pk])
    assert client_for(liaison_a).get(url).status_code == 200
    assert client_for(liaison_b).get(url).status_code == 404
    assert client_for(liaison_b).get(reverse("staffchecks:home"))["Location"] == reverse(
        "staffchecks:roster", args=[county.school_b.pk]
    )


def test_outsiders_are_refused_everywhere(
    county: County,
    client_for: ClientFor,
    outsider: User,
    sysadmin: User,
    auditor: User,
    township_worker: User,
    done_batch: CheckBatch,
) -> None:
    item = done_batch.items.first()
    assert item is not None
    get_urls = [
        reverse("staffchecks:home"),
        reverse("staffchecks:roster", args=[county.school_a.pk]),
        reverse("staffchecks:batch_list"),
        reverse("staffchecks:batch_detail", args=[done_batch.pk]),
        reverse("staffchecks:batch_letter", args=[done_batch.pk]),
        reverse("staffchecks:register"),
        reverse("staffchecks:matches"),
        reverse("staffchecks:compliance"),
    ]
    for user in (outsider, sysadmin, auditor, township_worker):
        client = client_for(user)
        for url in get_urls:
            assert client.get(url).status_code in (403, 404), (user, url)
        post = client.post(reverse("staffchecks:match_confirm", args=[item.pk]))
        assert post.status_code in (403, 404)


def test_school_b_cannot_see_or_touch_school_a_results(
    client_for: ClientFor, liaison_b: User, done_batch: CheckBatch
) -> None:
    client = client_for(liaison_b)
    item = done_batch.items.get(result=CheckItem.Result.BARRED)
    assert client.get(reverse("staffchecks:batch_detail", args=[done_batch.pk])).status_code == 404
    assert client.get(reverse("staffchecks:batch_letter", args=[done_batch.pk])).status_code == 404
    assert client.post(reverse("staffchecks:batch_run", args=[done_batch.pk])).status_code == 404
    response = client.post(
        reverse("staffchecks:item_action", args=[item.pk]), {"action": "dismissed"}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.action == ""
    assert done_batch.pk not in [
        b.pk for b in client.get(reverse("staffchecks:batch_list")).context["page"]
    ]


def test_school_sees_pending_never_match_details(
    client_for: ClientFor, admin_a: User, done_batch: CheckBatch
) -> None:
    client = client_for(admin_a)
    response = client.get(reverse("staffchecks:batch_detail", args=[done_batch.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "not to be employed" in html and "pending" in html
    for word in ("possible match", "sexual", "abuse", "register record", "王芳"):
        assert word not in html
    assert AuditEvent.objects.filter(
        action="view", target_type="staffchecks.checkbatch", target_id=str(done_batch.pk)
    ).exists()
    assert client.get(reverse("staffchecks:register")).status_code == 403
    assert client.get(reverse("staffchecks:matches")).status_code == 403


def test_bureau_sees_results_not_register(
    client_for: ClientFor, edu_user: User, done_batch: CheckBatch
) -> None:
    client = client_for(edu_user)
    assert client.get(reverse("staffchecks:batch_detail", args=[done_batch.pk])).status_code == 200
    assert client.get(reverse("staffchecks:compliance")).status_code == 200
    assert client.get(reverse("staffchecks:register")).status_code == 403
    assert client.get(reverse("staffchecks:matches")).status_code == 403


def test_police_confirm_through_the_page(
    client_for: ClientFor, police: User, done_batch: CheckBatch
) -> None:
    client = client_for(police)
    page = client.get(reverse("staffchecks:matches"))
    assert page.status_code == 200 and "王芳" in page.content.decode()
    item = done_batch.items.get(result=CheckItem.Result.POSSIBLE)
    response = client.post(
        reverse("staffchecks:match_confirm", args=[item.pk]), {"decision": "clear", "note": "no"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.result == CheckItem.Result.CLEAR
    # The police see no school's results page.
    assert client.get(reverse("staffchecks:batch_detail", args=[done_batch.pk])).status_code == 403


def test_unit_records_action_through_the_page(
    client_for: ClientFor, admin_a: User, liaison_a: User, done_batch: CheckBatch
) -> None:
    item = done_batch.items.get(result=CheckItem.Result.BARRED)
    url = reverse("staffchecks:item_action", args=[item.pk])
    assert client_for(admin_a).post(url, {"action": "suspended"}).status_code == 302
    item.refresh_from_db()
    assert item.action == "suspended"


def test_upload_then_import_through_the_pages(
    county: County, client_for: ClientFor, admin_a: User, liaison_b: User, make_xlsx: Any
) -> None:
    file = make_xlsx(
        ROSTER_HEADER,
        [
            ["张伟", id_for(date(1985, 3, 15), 11), "teacher", "2020-09-01", ""],
            ["x", "1", "", "", ""],
        ],
    )
    client = client_for(admin_a)
    response = client.post(
        reverse("staffchecks:roster_upload", args=[county.school_a.pk]), {"file": file}
    )
    upload = RosterUpload.objects.get()
    assert response["Location"] == upload.get_absolute_url()
    assert not StaffMember.objects.exists()
    detail = client.get(upload.get_absolute_url()).content.decode()
    assert "Import the 1 good row" in detail and "ID number" in detail
    other = client_for(liaison_b)
    assert other.get(upload.get_absolute_url()).status_code == 404
    assert other.post(reverse("staffchecks:upload_import", args=[upload.pk])).status_code == 404
    errors = client.get(reverse("staffchecks:upload_errors", args=[upload.pk]))
    assert errors.status_code == 200
    client.post(reverse("staffchecks:upload_import", args=[upload.pk]))
    assert StaffMember.objects.count() == 1


def test_a_clean_file_is_imported_on_upload(
    county: County, client_for: ClientFor, admin_a: User, english: None, make_xlsx: Any
) -> None:
    file = make_xlsx(
        ROSTER_HEADER, [["张伟", id_for(date(1985, 3, 15), 11), "teacher", "2020-09-01", ""]]
    )
    client = client_for(admin_a)
    response = client.post(
        reverse("staffchecks:roster_upload", args=[county.school_a.pk]), {"file": file}
    )
    upload = RosterUpload.objects.get()
    assert response["Location"] == upload.get_absolute_url()
    assert StaffMember.objects.filter(unit=county.school_a).count() == 1
    detail = client.get(upload.get_absolute_url()).content.decode()
    assert "1 rows were imported" in detail and "Import the" not in detail


def test_liaison_b_cannot_upload_to_school_a(
    county: County, client_for: ClientFor, liaison_b: User, make_xlsx: Any
) -> None:
    file = make_xlsx(ROSTER_HEADER, [])
    url = reverse("staffchecks:roster_upload", args=[county.school_a.pk])
    assert client_for(liaison_b).post(url, {"file": file}).status_code == 404
    assert not RosterUpload.objects.exists()


def test_compliance_export_needs_a_purpose_and_is_audited(
    client_for: ClientFor, coordinator: User
) -> None:
    client = client_for(coordinator)
    url = reverse("staffchecks:compliance_export")
    assert client.post(url, {"purpose": "x"}).status_code == 400
    response = client.post(url, {"purpose": "yearly report to the county"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")
    assert AuditEvent.objects.filter(action="export").exists()


def test_annual_one_click_for_the_bureau(
    county: County,
    client_for: ClientFor,
    edu_user: User,
    liaison_a: User,
    roster_a: Any,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert client_for(liaison_a).post(reverse("staffchecks:annual_run_all")).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(edu_user).post(reverse("staffchecks:annual_run_all"))
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    annual = CheckBatch.objects.filter(kind=CheckBatch.Kind.ANNUAL)
    assert annual.count() == 2 and set(annual.values_list("status", flat=True)) == {"done"}
    assert CheckItem.objects.cleared().count() == 3


def test_list_query_counts_do_not_grow(
    county: County,
    client_for: ClientFor,
    coordinator: User,
    admin_a: User,
    done_batch: CheckBatch,
    roster_a: list[StaffMember],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(coordinator)
    urls = [
        reverse("staffchecks:batch_list"),
        reverse("staffchecks:roster", args=[county.school_a.pk]),
        reverse("staffchecks:batch_detail", args=[done_batch.pk]),
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            client.get(url)  # warm caches (session, permissions)
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            found.append(len(context))
        return found

    before = counts()
    # More rows everywhere: requests, roster entries and checked people.
    from datetime import date

    from weibao.testing import id_for

    more = [
        services.staff_add(
            actor=admin_a,
            unit=county.school_a,
            data={
                "name": f"教师{i}",
                "id_number": id_for(date(1990, 1, 1 + i), 500 + i),
                "role": "teacher",
                "start_date": "2020-09-01",
            },
        )
        for i in range(5)
    ]
    for _ in range(3):
        services.batch_create(
            actor=admin_a,
            unit=county.school_a,
            kind=CheckBatch.Kind.NEW_HIRE,
            consent_confirmed=True,
            staff=more,
        )
    done_batch.items.bulk_create([services._item_for_staff(done_batch, s) for s in more])
    assert counts() == before
