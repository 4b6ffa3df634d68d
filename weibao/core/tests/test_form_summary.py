"""A form with errors lists them at the top, each linked to its field, as well as under it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation


class _Form(forms.Form):
    name = forms.CharField(label="姓名")
    age = forms.IntegerField(label="年龄")
    note = forms.CharField(label="备注", required=False)

    def clean(self) -> dict:
        raise ValidationError("整张表有误")


def test_the_summary_names_each_field_in_error_and_links_to_it() -> None:
    form = _Form(data={"name": "", "age": "x"})
    assert not form.is_valid()
    with translation.override("zh-hans"):
        html = render_to_string("includes/form.html", {"form": form})
    summary = html.split("</div>", 1)[0]
    assert "error-summary" in summary and "整张表有误" in summary
    assert '<a href="#id_name">姓名</a>' in summary and '<a href="#id_age">年龄</a>' in summary
    assert "备注" not in summary
    assert "2" in summary  # "请更正以下 2 项"
    assert html.count('class="error"') == 2  # and under each field


def test_a_valid_or_unbound_form_has_no_summary() -> None:
    html = render_to_string("includes/form.html", {"form": _Form()})
    assert "error-summary" not in html
