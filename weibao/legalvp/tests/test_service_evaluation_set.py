"""evaluation_set: one evaluation per appointment, school and year."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from weibao.legalvp import services
from weibao.legalvp.models import Evaluation

pytestmark = pytest.mark.usefixtures("midyear")


def test_set_twice_changes_the_one_evaluation(admin_a, appointment, school_a) -> None:
    year = timezone.localdate().year
    services.evaluation_set(
        actor=admin_a, appointment=appointment, school=school_a, year=year, grade="competent"
    )
    services.evaluation_set(
        actor=admin_a,
        appointment=appointment,
        school=school_a,
        year=year,
        grade="excellent",
        comments="认真负责",
    )
    evaluation = Evaluation.objects.get()
    assert (evaluation.grade, evaluation.comments) == ("excellent", "认真负责")


def test_database_refuses_a_second_row(admin_a, appointment, school_a) -> None:
    year = timezone.localdate().year
    services.evaluation_set(
        actor=admin_a, appointment=appointment, school=school_a, year=year, grade="competent"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            appointment=appointment, school=school_a, year=year, grade="excellent"
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [({"grade": "great"}, "grade"), ({"year": 1999}, "year"), ({"year": 2999}, "year")],
)
def test_bad_input(admin_a, appointment, school_a, change, field) -> None:
    data = {"year": timezone.localdate().year, "grade": "competent", **change}
    with pytest.raises(ValidationError) as caught:
        services.evaluation_set(actor=admin_a, appointment=appointment, school=school_a, **data)
    assert field in caught.value.message_dict
    assert not Evaluation.objects.exists()


def test_school_must_be_served(bureau, appointment, school_b) -> None:
    # The bureau: a school's own staff are refused before (they evaluate for their school only).
    with pytest.raises(ValidationError) as caught:
        services.evaluation_set(
            actor=bureau,
            appointment=appointment,
            school=school_b,
            year=timezone.localdate().year,
            grade="competent",
        )
    assert "school" in caught.value.message_dict
