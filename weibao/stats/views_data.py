"""The statistics' data pages: the minors' populations (the denominators), the targets, and the
rows behind a figure (the trace, for the lead agencies)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from weibao.accounts.http import AuthedRequest
from weibao.accounts.models import Division
from weibao.kit.forms import apply_errors
from weibao.kit.pages import paginate
from weibao.stats import definitions as defs
from weibao.stats import engine, services
from weibao.stats.forms import PopulationForm, TargetForm
from weibao.stats.models import Population, Target
from weibao.stats.periods import parse


@login_required
@permission_required("stats.view_populations", raise_exception=True)
def population_list(request: AuthedRequest) -> HttpResponse:
    rows = Population.objects.for_user(request.user).select_related("division")
    return render(
        request,
        "stats/data_populations.html",
        {
            "page": paginate(request, rows.order_by("-year", "division__code")),
            "can_manage": request.user.has_perm("stats.manage_populations"),
        },
    )


@login_required
@permission_required("stats.manage_populations", raise_exception=True)
def population_set(request: AuthedRequest) -> HttpResponse:
    form = PopulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.population_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("stats:data_populations")
    return render(request, "stats/data_form.html", {"form": form, "kind": "population"})


@login_required
@permission_required("stats.view_targets", raise_exception=True)
def target_list(request: AuthedRequest) -> HttpResponse:
    installed = defs.definitions()
    page = paginate(request, Target.objects.for_user(request.user).order_by("-year", "key"))
    for target in page:
        definition = installed.get(target.key)
        target.label = definition.label if definition else target.key
        target.state = services.target_state(target.key, target.year)
    return render(
        request,
        "stats/data_targets.html",
        {"page": page, "can_manage": request.user.has_perm("stats.manage_targets")},
    )


@login_required
@permission_required("stats.manage_targets", raise_exception=True)
def target_set(request: AuthedRequest) -> HttpResponse:
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("stats:data_targets")
    return render(request, "stats/data_form.html", {"form": form, "kind": "target"})


@login_required
@permission_required("stats.trace_figures", raise_exception=True)
def trace(request: AuthedRequest, key: str, period: str) -> HttpResponse:
    """The rows a figure counts (?division=<code> for a township), those the user may see."""
    try:
        stat_period = parse(period)
    except ValueError:
        raise Http404 from None
    code = request.GET.get("division", "")
    division = Division.objects.filter(code=code).first() if code else None
    if code and division is None:
        raise Http404
    rows = engine.trace(key, stat_period, division=division, viewer=request.user)
    if rows is None:
        raise PermissionDenied
    definition = defs.get(key)
    return render(
        request,
        "stats/data_trace.html",
        {
            "definition": definition,
            "period": stat_period,
            "division": division,
            "page": paginate(request, rows.order_by("-pk")),
        },
    )
