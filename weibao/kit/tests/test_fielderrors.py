"""Collected field errors: a model's own checks never overwrite the service's, and a choice is
found by its value or its label in either language."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from weibao.accounts.models import Organisation
from weibao.kit.fielderrors import Errors, clean, error, labels, merge
from weibao.kit.guards import raise_if


def test_merge_keeps_the_service_error_and_skips() -> None:
    errors: Errors = {}
    error(errors, "name", "service says")
    merge(
        errors,
        ValidationError({"name": ["model says"], "kind": ["bad"], "code": ["x"]}),
        skip=["code"],
    )
    assert [e.message for e in errors["name"]] == ["service says"]
    assert [e.messages for e in errors["kind"]] == [["bad"]]
    assert "code" not in errors
    with pytest.raises(ValidationError) as raised:
        raise_if(errors)
    assert set(raised.value.error_dict) == {"name", "kind"}
    raise_if({})


def test_clean_runs_the_model_checks() -> None:
    errors: Errors = {}
    clean(Organisation(name="", kind="nonsense"), errors, exclude=["division", "parent"])
    assert {"name", "kind"} <= set(errors)


def test_labels_by_value_and_both_languages() -> None:
    found = labels(Organisation.Kind)
    primary = Organisation.Kind.SCHOOL_PRIMARY
    with translation.override("zh-hans"):
        chinese = str(primary.label)
    with translation.override("en"):
        english = str(primary.label).lower()
    assert chinese != english
    assert found[chinese] == found[english] == found[str(primary.value).lower()] == primary
