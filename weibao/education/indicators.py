"""The figures law education offers the statistics app (weibao.core.contract.Indicator).

Each counts records of one period within one division (by the division code's prefix; the whole
county for None), directly, not through any user's scope: statistics are aggregates. Both are
declared Measures. A session is placed by its school's unit, or, outside schools, by its village
or community (a session has exactly one of the two: a database constraint).
"""

from __future__ import annotations

from django.db.models import Count

from weibao.core.contract import Measure
from weibao.education.models import Session

# Law-education sessions held in the period, at schools or villages in the division.
SESSIONS_HELD = Measure(
    rows=lambda: Session.objects.held(),
    on="date",
    where=("school__organisation__division", "division"),
    school="school",
)

# Schools in the division that held at least one law-education session in the period (the
# school's unit's division; a session at a school has no village of its own). Distinct schools:
# a school in two months is one school in the year.
SCHOOLS_REACHED = Measure(
    rows=lambda: Session.objects.held().filter(school__isnull=False),
    on="date",
    where="school__organisation__division",
    value=lambda: Count("school", distinct=True),
    additive=False,
    school="school",
)
