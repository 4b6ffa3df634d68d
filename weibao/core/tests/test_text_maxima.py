"""Every text field has a maximum, and a form says so instead of failing on a huge text."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from weibao.notices.forms import NoticeForm


def test_every_text_field_has_a_max_length() -> None:
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label not in ("drowning",) and model.__module__.startswith("weibao.")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and not field.max_length
    ]
    assert not missing


def test_notice_body_over_its_maximum_is_a_form_error(english: None, db: None) -> None:
    form = NoticeForm({"title": "通知", "body": "字" * 20_001})
    assert not form.is_valid()
    assert "at most 20000 characters" in form.errors["body"][0]
