"""The compliance counts, against direct counts in the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import time_machine
from django.utils import timezone

from weibao.accounts.models import User
from weibao.staffchecks import services
from weibao.staffchecks.models import CheckBatch, CheckItem, OffenderRecord, StaffMember
from weibao.testing import County, id_for


@time_machine.travel("2026-01-10 09:00 +0800")
def test_counts_match_the_database(
    county: County,
    admin_a: User,
    coordinator: User,
    edu_user: User,
    roster_a: list[StaffMember],
    add_record: Callable[..., OffenderRecord],
) -> None:
    today = timezone.localdate()
    barred = roster_a[0]
    add_record("x", barred.person.id_number, barred.person.birth_date)
    services.batches_run(
        actor=admin_a,
        batch_ids=[
            services.batch_create(
                actor=admin_a,
                unit=county.school_a,
                kind=CheckBatch.Kind.NEW_HIRE,
                consent_confirmed=True,
                staff=roster_a[:2],
            ).pk
        ],
    )
    # A new hire who started last month with no check at all.
    services.staff_add(
        actor=admin_a,
        unit=county.school_a,
        data={
            "name": "新人",
            "id_number": id_for(date(1999, 9, 9), 9),
            "role": "security",
            "start_date": today - timedelta(days=30),
        },
    )
    data = services.compliance(user=coordinator)
    rows = {r.unit.pk: r for r in data.units}
    a = rows[county.school_a.pk]
    active = StaffMember.objects.active().filter(unit=county.school_a)
    year_ago = today - timedelta(days=365)
    assert a.staff == active.count() == 4
    assert a.not_checked == active.exclude(last_checked_on__gte=year_ago).count() == 2
    assert a.hires_before_clear == 1
    assert a.barred_no_action == CheckItem.objects.barred_without_action().count() == 1
    assert a.has_roster and not rows[county.school_b.pk].has_roster
    assert data.totals["no_roster"] == 1
    assert sum(g["staff"] for g in data.by_township) == data.totals["staff"]
    # The education bureau sees the schools; a school sees no compliance at all.
    assert {r.unit.pk for r in services.compliance(user=edu_user).units} == {
        county.school_a.pk,
        county.school_b.pk,
    }
    assert services.compliance(user=admin_a).units == []
