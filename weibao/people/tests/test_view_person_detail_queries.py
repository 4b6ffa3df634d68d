"""The person's page makes a fixed number of queries, whatever the guardians and wards."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weibao.people.models import Guardianship, LeftBehindStatus
from weibao.people.tests.conftest import make_person

# Session, user and its devices and unit, the unit subtree (scope), the person with school,
# unit and divisions, the audit event (its chain's head, insert, head update), the left-behind
# status, one query for each app's section of the child's page (at-risk files, reports,
# referrals, named responsibility, staff records), the permissions (2, once a request), the
# unread count, guardians, wards, the carer choices. It was 23 with no sections: the scope was
# asked again twice, the left-behind status read twice, the residence division once more, and
# the single-lock audit chain took five. Measured, not a budget to grow into. PostgreSQL writes
# the audit event and moves its chain's head in one statement (weibao.audit.chain): one fewer.
# The family network's menu asks once a request whether the user leads a volunteer team (one
# indexed EXISTS, kept on the user object for the rest of the request): one more.
PERSON_PAGE_QUERIES = {"sqlite": 24, "postgresql": 23}


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
    assert few == many == PERSON_PAGE_QUERIES[connection.vendor]
