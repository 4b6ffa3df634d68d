"""Forms of the statistics' data pages: a population figure and a target."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.accounts.models import Division
from weibao.stats import definitions as defs
from weibao.stats.models import FIRST_YEAR, LAST_YEAR, Target


class PopulationForm(forms.Form):
    # The county and its townships: a few dozen at most, never every village.
    division = forms.ModelChoiceField(
        label=_("division"),
        queryset=Division.objects.filter(
            level__in=[Division.Level.COUNTY, Division.Level.TOWNSHIP]
        ).order_by("code"),
    )
    year = forms.IntegerField(label=_("year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    minors = forms.IntegerField(label=_("minors"), min_value=1, max_value=10_000_000)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class TargetForm(forms.Form):
    key = forms.ChoiceField(label=_("figure"))
    year = forms.IntegerField(label=_("year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    comparison = forms.ChoiceField(label=_("target"), choices=Target.Comparison.choices)
    value = forms.DecimalField(label=_("value"), max_digits=14, decimal_places=2, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["key"].choices = [  # type: ignore[attr-defined]
            (key, str(d.label)) for key, d in defs.definitions().items()
        ]
