"""Statistics pages: the leaders' dashboard (tiles, charts, the township map, each chart's
data as Excel), the indicator browser and the year's report."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.http import AuthedRequest
from weibao.drowning.services import township_map
from weibao.kit.documents import DOCX_CONTENT_TYPE
from weibao.kit.forms import apply_errors
from weibao.kit.pages import download
from weibao.kit.spreadsheets import XLSX_CONTENT_TYPE
from weibao.stats import browser, dashboard, engine, report
from weibao.stats.exports import figures_export


def _map_choice(request: AuthedRequest) -> tuple[str, int | None]:
    key = request.GET.get("map", "")[:100]
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year is not None and not browser.FIRST <= year <= browser.LAST:
        year = None
    return key, year


@login_required
@permission_required("stats.view_dashboard", raise_exception=True)
@engine.batched
def home(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    key, year = _map_choice(request)
    context = {
        "tiles": dashboard.double_decrease(request.user, today),
        "panels": [build(request.user, today) for build in dashboard.PANELS.values()],
        "map": dashboard.map_panel(request.user, today, key, year),
        "years": list(range(today.year, dashboard.FIRST_YEAR - 1, -1)),
        "small_cell": dashboard.small_cell(),
    }
    return render(request, "stats/dashboard.html", context)


@login_required
@permission_required("stats.view_dashboard", raise_exception=True)
@engine.batched
def panel_export(request: AuthedRequest, slug: str) -> HttpResponse:
    """A dashboard chart's numbers as Excel: the same table the chart draws."""
    today = timezone.localdate()
    if slug == "tiles":
        title, table = (
            _("Double decrease"),
            dashboard.tiles_table(dashboard.double_decrease(request.user, today)),
        )
    elif slug == "map":
        key, year = _map_choice(request)
        panel = dashboard.map_panel(request.user, today, key, year).panel
        title, table = panel.title, panel.table
    elif slug in dashboard.PANELS:
        panel = dashboard.PANELS[slug](request.user, today)
        title, table = panel.title, panel.table
    else:
        raise Http404
    content = figures_export(
        actor=request.user, perm="stats.view_dashboard", title=title, table=table, panel=slug
    )
    return download(content, f"{title}.xlsx".replace("/", " "), XLSX_CONTENT_TYPE)


@login_required
@permission_required("stats.view_dashboard", raise_exception=True)
@engine.batched
def map_points(request: AuthedRequest) -> JsonResponse:
    """The township map's points: each township's figure at its boundary's centre."""
    key, year = _map_choice(request)
    chosen = dashboard.map_panel(request.user, timezone.localdate(), key, year)
    centres = dashboard.centres(json.loads(township_map()))
    points = [
        {
            "name": point["name"],
            "value": [*centres[point["name"]], point["value"]],
            "tip": f"{point['name']}: {point['shown']}",
        }
        for point in chosen.points
        if point["name"] in centres
    ]
    return JsonResponse({"label": chosen.panel.title, "points": points})


@login_required
@permission_required("stats.view_dashboard", raise_exception=True)
def map_townships(request: AuthedRequest) -> HttpResponse:
    """The county's township boundaries (GeoJSON), shared with drowning prevention."""
    return HttpResponse(township_map(), content_type="application/geo+json")


def _browse(request: AuthedRequest) -> tuple[browser.BrowseForm, browser.Result | None]:
    today = timezone.localdate()
    form = browser.BrowseForm(request.GET or None, initial=browser.initial(today))
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            result = browser.browse(
                viewer=request.user,
                keys=data["keys"],
                kind=data["kind"],
                first=data["first_year"],
                last=data["last_year"],
                level=data["level"],
            )
        except ValidationError as error:
            apply_errors(form, error)
    return form, result


@login_required
@permission_required("stats.browse_figures", raise_exception=True)
@engine.batched
def browse(request: AuthedRequest) -> HttpResponse:
    form, result = _browse(request)
    context: dict[str, Any] = {"form": form, "result": result, "query": request.GET.urlencode()}
    if result is not None:
        table = browser.table(result)
        context["lines"] = zip(table.rows, browser.trace_links(result, request.user), strict=True)
        context["table"] = table
        context["can_trace"] = request.user.has_perm("stats.trace_figures")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "stats/browse.html", context, status=status)


@login_required
@permission_required("stats.browse_figures", raise_exception=True)
@engine.batched
def browse_export(request: AuthedRequest) -> HttpResponse:
    """Exactly the browser's table as Excel."""
    form, result = _browse(request)
    if result is None:
        context = {"form": form, "result": None, "query": ""}
        return render(request, "stats/browse.html", context, status=400)
    title = _("Figures")
    content = figures_export(
        actor=request.user,
        perm="stats.browse_figures",
        title=title,
        table=browser.table(result),
        keys=result.keys,
        level=result.level,
    )
    return download(content, f"{title}.xlsx", XLSX_CONTENT_TYPE)


@login_required
@permission_required("stats.download_report", raise_exception=True)
@engine.batched
def year_report(request: AuthedRequest) -> HttpResponse:
    """The form to pick a year; with a year, the report as a Word file."""
    today = timezone.localdate()
    form = report.YearForm(request.GET or None, initial={"year": today.year - 1})
    if form.is_bound and form.is_valid():
        name, content = report.report_download(
            actor=request.user, year=form.cleaned_data["year"], today=today
        )
        return download(content, name, DOCX_CONTENT_TYPE)
    status = 400 if form.is_bound else 200
    return render(request, "stats/report.html", {"form": form}, status=status)
