"""The statistics' data pages: the minors' populations (the denominators), the targets, and the
rows behind a figure (the trace, for the lead agencies)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from weibao.accounts.http import AuthedRequest
from weibao.accounts.models import Division
from weibao.core.imports import ImportForm, import_errors, import_page
from weibao.kit.forms import apply_errors
from weibao.kit.pages import download, paginate
from weibao.kit.spreadsheets import XLSX_CONTENT_TYPE
from weibao.stats import definitions as defs
from weibao.stats import engine, services, sheets
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


IMPORT_ERRORS_SESSION_KEY = "stats_populations_import_errors"


@login_required
@permission_required("stats.manage_populations", raise_exception=True)
def population_import(request: AuthedRequest) -> HttpResponse:
    """Upload the populations sheet; on errors show them all (nothing is written)."""
    return import_page(
        request,
        ImportForm(request.POST or None, request.FILES or None),
        run=lambda data: sheets.populations_import(actor=request.user, upload=data["file"]),
        done=lambda report: _("The population figures were imported."),
        template="stats/data_population_import.html",
        errors_key=IMPORT_ERRORS_SESSION_KEY,
    )


@login_required
@permission_required("stats.manage_populations", raise_exception=True)
def population_template(request: AuthedRequest) -> HttpResponse:
    return download(sheets.populations_template(), "populations-template.xlsx", XLSX_CONTENT_TYPE)


@login_required
@permission_required("stats.manage_populations", raise_exception=True)
def population_import_errors(request: AuthedRequest) -> HttpResponse:
    return import_errors(
        request,
        errors_key=IMPORT_ERRORS_SESSION_KEY,
        filename="populations-import-errors.xlsx",
        back="stats:data_population_import",
    )


@login_required
@permission_required("stats.view_populations", raise_exception=True)
def population_export(request: AuthedRequest) -> HttpResponse:
    rows = Population.objects.for_user(request.user).order_by("-year", "division__code")
    content = sheets.populations_export(actor=request.user, among=rows)
    return download(content, "populations.xlsx", XLSX_CONTENT_TYPE)


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
