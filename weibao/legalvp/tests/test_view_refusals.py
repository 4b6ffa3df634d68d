"""Every legal vice-principal page refuses the wrong user (403, or 404 for a record they may not
see) and writes nothing; the lists that have none yet get a query-count test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model
from django.urls import reverse

from weibao.audit.models import AuditEvent
from weibao.legalvp import services
from weibao.legalvp.models import Appointment, AppointmentSchool, DutyRecord, Evaluation


@pytest.fixture
def world(appointment, bureau, school_a) -> dict[str, Any]:
    """School A's appointment and one of its duty records."""
    duty = services.duty_record_add(
        actor=bureau,
        appointment=appointment,
        data={"school": school_a, "kind": "FD1", "hours": Decimal(1),
              "date": appointment.term_start},
    )  # fmt: skip
    return {"appointment": appointment, "duty": duty}


# url name, the object its pk comes from (None: no argument), the wrong user, method.
PAGES: list[tuple[str, str | None, str, str]] = [
    ("list", None, "sysadmin", "get"),
    ("create", None, "liaison_a", "post"),
    ("coverage", None, "liaison_a", "get"),
    ("summary", None, "prosecutor", "get"),
    ("summary_export", None, "liaison_a", "post"),
    ("detail", "appointment", "liaison_b", "get"),
    ("renew", "appointment", "liaison_a", "post"),
    ("end", "appointment", "prosecutor", "post"),
    ("letter", "appointment", "liaison_b", "get"),
    ("letter_print", "appointment", "police", "get"),
    ("duty_add", "appointment", "liaison_b", "post"),
    ("evaluate", "appointment", "liaison_b", "post"),
    ("duty_edit", "duty", "liaison_b", "post"),
    ("duty_delete", "duty", "liaison_b", "post"),
]
HIDDEN = {"liaison_b", "police"}  # they cannot see school A's appointment at all: a 404

MODELS: tuple[type[Model], ...] = (
    Appointment,
    AppointmentSchool,
    DutyRecord,
    Evaluation,
    AuditEvent,
)


def _state() -> list[list[dict[str, Any]]]:
    return [list(m._default_manager.order_by("pk").values()) for m in MODELS]


def test_every_page_is_listed() -> None:
    from weibao.legalvp import urls

    assert {name for name, *_rest in PAGES} == {p.name for p in urls.urlpatterns}


@pytest.mark.parametrize(("name", "obj", "user", "method"), PAGES)
def test_wrong_user_is_refused(
    request, client_for, world, name: str, obj: str | None, user: str, method: str
) -> None:
    args = [world[obj].pk] if obj else []
    url = reverse(f"legalvp:{name}", args=args)
    browser = client_for(request.getfixturevalue(user))
    data = {"purpose": "年度统计报送", "reason": "调离", "hours": "1", "grade": "excellent"}
    before = _state()
    response = getattr(browser, method)(url, data)
    assert response.status_code == (404 if obj and user in HIDDEN else 403), name
    assert _state() == before


def test_summary_and_coverage_query_count(
    client_for, bureau, make_appointment, make_school, django_assert_max_num_queries
) -> None:
    client = client_for(bureau)
    urls = [reverse("legalvp:summary"), reverse("legalvp:coverage")]
    counts = []
    for round_ in range(2):
        for n in range(3 * round_):
            school = make_school(f"新建小学{n}")
            make_school(f"未覆盖小学{n}")
            make_appointment([school], seq=10 + n, name=f"李{n}", term_start=date(2024, 9, 1))
        with django_assert_max_num_queries(60) as captured:
            for url in urls:
                assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
