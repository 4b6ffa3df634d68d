"""The figures legal vice-principals offer the statistics app (weibao.core.contract.Indicator).

Both are declared Measures: records of one period within one division (by the division code's
prefix; the whole county without one), read directly, not through any user's scope: statistics
are aggregates. An appointment or a duty is placed by the school it serves.
"""

from __future__ import annotations

from django.db.models import Count

from weibao.core.contract import Measure
from weibao.legalvp.models import Appointment, DutyRecord

# Letters of appointment (聘书) issued in the period, first terms and renewals, for legal
# vice-principals serving a school in the division: an appointment serving two schools of the
# division counts once.
APPOINTMENTS_ISSUED = Measure(
    rows=lambda: Appointment.objects.all(),
    on="issued_on",
    where="school_links__school__organisation__division",
    value=lambda: Count("pk", distinct=True),
    school="school_links__school",
    # Through a many-valued join: a row in two townships counts in each, once in the county,
    # so the county is not the sum of its townships: counted by a group of its own.
    additive=False,
)

# Law-education duties (FD1) legal vice-principals performed in the period at schools in the
# division, each record one class or lecture.
LAW_CLASSES = Measure(
    rows=lambda: DutyRecord.objects.filter(kind=DutyRecord.Kind.LAW_EDUCATION),
    on="date",
    where="school__organisation__division",
    school="school",
)
