"""Dates read and typed as 2026-12-02 in both languages, whatever the browser's locale."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from weibao.kit.forms import DATE_INPUT, DATETIME_INPUT


class _Form(forms.Form):
    day = forms.DateField(widget=DATE_INPUT)
    at = forms.DateTimeField(widget=DATETIME_INPUT, required=False)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_date_box_is_text_with_the_iso_form(language: str) -> None:
    with translation.override(language):
        html = str(_Form(initial={"day": date(2026, 12, 2), "at": datetime(2026, 12, 2, 9, 5)}))
    assert 'type="text"' in html and 'type="date"' not in html and "datetime-local" not in html
    assert 'value="2026-12-02"' in html and 'value="2026-12-02 09:05"' in html
    assert 'placeholder="2026-12-02"' in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "typed", ["2026-12-02", "2026/12/2", "2026.12.02", "2026年12月2日", "20261202"]
)
def test_the_ways_people_type_a_date_are_read(language: str, typed: str) -> None:
    with translation.override(language):
        form = _Form(data={"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2026, 12, 2)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_month_first_date_is_not_a_date(language: str) -> None:
    with translation.override(language):
        form = _Form(data={"day": "12/02/2026"})
        assert not form.is_valid()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dates_are_shown_the_same_way(language: str) -> None:
    with translation.override(language):
        text = Template("{{ d|date }} {{ t|date:'DATETIME_FORMAT' }}").render(
            Context({"d": date(2026, 12, 2), "t": datetime(2026, 12, 2, 9, 5)})
        )
    assert text == "2026-12-02 2026-12-02 09:05"
