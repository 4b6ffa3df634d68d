"""The person's page makes a fixed number of queries, whatever the guardians and wards."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weibao.people.models import Guardianship, LeftBehindStatus
from weibao.people.tests.conftest import make_person

# Session, user and its devices and unit, the unit subtree (scope), the person with school,
# unit and divisions, the audit event (savepoint, chain head, insert, update, release), the
# left-behind status, the permissions, the unread count, guardians, wards, the carer choices.
# It was 23: the scope was asked again twice (change and reveal), the left-behind status read
# twice, the residence division once more. Measured, not a budget to grow into.
PERSON_PAGE_QUERIES = 19


def _count(client, person) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_person_page_queries_do_not_grow_with_guardians(client_for, liaison_a, county, pupil_a):
    client = client_for(liaison_a)
    client.get(reverse("people:detail", args=[pupil_a.pk]))  # warm the session and caches
    few = _count(client, pupil_a)
    for n in range(3):
        guardian = make_person(f"王{n}", county.school_a, birth_date=date(1980, 1, 1 + n))
        Guardianship.objects.create(child=pupil_a, guardian=guardian, relationship="relative")
    LeftBehindStatus.objects.create(child=pupil_a, parents_away="both")
    many = _count(client, pupil_a)
    assert few == many == PERSON_PAGE_QUERIES
