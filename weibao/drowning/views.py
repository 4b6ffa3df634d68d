"""Drowning-prevention pages: the registry of waters (list, detail, forms, Excel), custodians,
the phone-sized patrol form, rectifications, incidents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.drowning import services
from weibao.drowning.access import (
    access_custodian,
    access_incident,
    access_rectification,
    access_water,
)
from weibao.drowning.forms import (
    CloseForm,
    CustodianForm,
    ImportForm,
    IncidentForm,
    MapFilterForm,
    MapUploadForm,
    OverdueFilterForm,
    PatrolForm,
    PatrolPlanForm,
    RectificationFilterForm,
    WaterFilterForm,
    WaterForm,
)
from weibao.drowning.models import (
    EQUIPMENT_FIELDS,
    Custodian,
    HazardousWater,
    Incident,
    Patrol,
    PatrolPlan,
    Rectification,
    TownshipMap,
)
from weibao.kit import spreadsheets
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import download, paginate, render_list
from weibao.schools.models import School

IMPORT_ERRORS_SESSION_KEY = "drowning_import_errors"


@login_required
@permission_required("drowning.view_drowning", raise_exception=True)
def home(request: AuthedRequest) -> HttpResponse:
    if request.user.has_perm("drowning.view_waters"):
        return redirect("drowning:water_list")
    return redirect("drowning:incident_list")


# Waters -----------------------------------------------------------------------------------------


def _listed_waters(request: AuthedRequest) -> tuple[WaterFilterForm, object]:
    form = WaterFilterForm(request.GET or None)
    waters = form.filter(HazardousWater.objects.for_user(request.user))
    waters = (
        waters.select_related("village__parent", "nearest_school__organisation")
        .annotate(custodian_count=Count("custodians", distinct=True))
        .order_by("village__code", "name", "pk")
    )
    return form, waters


@login_required
@permission_required("drowning.view_waters", raise_exception=True)
def water_list(request: AuthedRequest) -> HttpResponse:
    form, waters = _listed_waters(request)
    context = {
        "form": form,
        "page": paginate(request, waters),  # type: ignore[arg-type]
        "can_manage": request.user.has_perm("drowning.manage_waters"),
    }
    return render_list(request, "drowning/water_list.html", "drowning/_water_table.html", context)


@login_required
@permission_required("drowning.view_waters", raise_exception=True)
def water_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    water = access_water(request.user, pk)
    context = {
        "water": water,
        "custodians": Custodian.objects.for_user(request.user).filter(waters=water),
        "patrols": Patrol.objects.filter(water=water).select_related("recorded_by")[:10],
        "rectifications": Rectification.objects.filter(water=water).open(),
        "can_change": request.user.has_perm("drowning.change_water", water),
        "can_patrol": request.user.has_perm("drowning.record_patrol", water),
    }
    return render(request, "drowning/water_detail.html", context)


@login_required
@permission_required("drowning.manage_waters", raise_exception=True)
def water_create(request: AuthedRequest) -> HttpResponse:
    form = WaterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            water = services.water_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The water was registered."))
            return redirect(water)
    status = 400 if form.errors else 200
    return render(request, "drowning/water_form.html", {"form": form}, status=status)


@login_required
@permission_required("drowning.manage_waters", raise_exception=True)
def water_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    water = access_water(request.user, pk)
    require_perm(request.user, "drowning.change_water", water)
    form = WaterForm(request.POST or None, user=request.user, water=water)
    if request.method == "POST" and form.is_valid():
        try:
            services.water_update(actor=request.user, water=water, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The water's record was saved."))
            return redirect(water)
    status = 400 if form.errors else 200
    context = {"form": form, "water": water}
    return render(request, "drowning/water_form.html", context, status=status)


@login_required
@permission_required("drowning.view_waters", raise_exception=True)
def water_export(request: AuthedRequest) -> HttpResponse:
    """The listed waters (with the list's filters) as Excel, in the import's columns."""
    _form, waters = _listed_waters(request)
    content = services.waters_export(actor=request.user, among=waters)  # type: ignore[arg-type]
    return download(
        content,
        f"hazardous-waters-{timezone.localdate():%Y%m%d}.xlsx",
        spreadsheets.XLSX_CONTENT_TYPE,
    )


@login_required
@permission_required("drowning.manage_waters", raise_exception=True)
def water_template(request: AuthedRequest) -> HttpResponse:
    return download(
        services.waters_template(), "hazardous-waters-template.xlsx", spreadsheets.XLSX_CONTENT_TYPE
    )


@login_required
@permission_required("drowning.manage_waters", raise_exception=True)
def water_import(request: AuthedRequest) -> HttpResponse:
    """Upload the list; on errors show them all (nothing is written), else the counts."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.waters_import(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if report.clean:
                request.session.pop(IMPORT_ERRORS_SESSION_KEY, None)
                messages.success(request, _("The waters were imported."))
            else:
                request.session[IMPORT_ERRORS_SESSION_KEY] = [
                    [error.row, error.column, error.message] for error in report.errors
                ]
    failed = bool(form.errors) or (report is not None and not report.clean)
    context = {"form": form, "report": report}
    return render(request, "drowning/water_import.html", context, status=400 if failed else 200)


@login_required
@permission_required("drowning.manage_waters", raise_exception=True)
def water_import_errors(request: AuthedRequest) -> HttpResponse:
    rows = request.session.get(IMPORT_ERRORS_SESSION_KEY)
    if not rows:
        messages.info(request, _("There are no import errors to download."))
        return redirect("drowning:water_import")
    errors = [spreadsheets.RowError(row, column, message) for row, column, message in rows]
    return download(
        spreadsheets.errors_bytes(errors),
        "hazardous-waters-import-errors.xlsx",
        spreadsheets.XLSX_CONTENT_TYPE,
    )


# Custodians -------------------------------------------------------------------------------------


@login_required
@permission_required("drowning.view_waters", raise_exception=True)
def custodian_list(request: AuthedRequest) -> HttpResponse:
    custodians = (
        Custodian.objects.for_user(request.user)
        .select_related("township")
        .prefetch_related(Prefetch("waters", queryset=HazardousWater.objects.only("pk", "name")))
    )
    context = {"page": paginate(request, custodians)}
    return render_list(
        request, "drowning/custodian_list.html", "drowning/_custodian_table.html", context
    )


@login_required
@permission_required("drowning.manage_waters", raise_exception=True)
def custodian_create(request: AuthedRequest, water_pk: int) -> HttpResponse:
    """A custodian for a water (and other waters of its township)."""
    water = access_water(request.user, water_pk)
    require_perm(request.user, "drowning.change_water", water)
    township = services.township_of(water)
    initial = {"waters": [water.pk], "after_school": True, "weekends": True, "holidays": True,
               "summer": True}  # fmt: skip
    form = CustodianForm(
        request.POST or None, user=request.user, township=township, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.custodian_create(
                actor=request.user, data={**form.cleaned_data, "township": township}
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The custodian was added."))
            return redirect(water)
    status = 400 if form.errors else 200
    context = {"form": form, "water": water, "township": township}
    return render(request, "drowning/custodian_form.html", context, status=status)


@login_required
@permission_required("drowning.manage_waters", raise_exception=True)
def custodian_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    custodian = access_custodian(request.user, pk)
    require_perm(request.user, "drowning.change_custodian", custodian)
    form = CustodianForm(
        request.POST or None, user=request.user, township=custodian.township, custodian=custodian
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.custodian_update(
                actor=request.user, custodian=custodian, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The custodian was saved."))
            return redirect("drowning:custodian_list")
    status = 400 if form.errors else 200
    context = {"form": form, "custodian": custodian, "township": custodian.township}
    return render(request, "drowning/custodian_form.html", context, status=status)


# Patrols and rectifications -----------------------------------------------------------------------


@login_required
@permission_required("drowning.patrol", raise_exception=True)
def patrol_create(request: AuthedRequest, water_pk: int) -> HttpResponse:
    water = access_water(request.user, water_pk)
    require_perm(request.user, "drowning.record_patrol", water)
    form = PatrolForm(request.POST or None, user=request.user, water=water)
    if request.method == "POST" and form.is_valid():
        try:
            services.patrol_record(actor=request.user, water=water, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The patrol was recorded."))
            return redirect(water)
    status = 400 if form.errors else 200
    return render(
        request, "drowning/patrol_form.html", {"form": form, "water": water}, status=status
    )


@login_required
@permission_required("drowning.view_waters", raise_exception=True)
def rectification_list(request: AuthedRequest) -> HttpResponse:
    form = RectificationFilterForm(request.GET or None)
    items = Rectification.objects.for_user(request.user).select_related(
        "water__village", "township"
    )
    if form.is_valid() and form.cleaned_data["overdue"]:
        items = items.overdue()
    elif not (form.is_valid() and form.cleaned_data["closed"]):
        items = items.open()
    context = {
        "form": form,
        "page": paginate(request, items),
        "can_close": request.user.has_perm("drowning.manage_waters"),
        "close_form": CloseForm(),
        "today": timezone.localdate(),
    }
    return render_list(
        request, "drowning/rectification_list.html", "drowning/_rectification_table.html", context
    )


@login_required
@require_POST
@permission_required("drowning.manage_waters", raise_exception=True)
def rectification_close(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access_rectification(request.user, pk)
    require_perm(request.user, "drowning.close_rectification", item)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_close(
                actor=request.user, rectification=item, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The rectification was closed."))
    else:
        messages.error(request, _("Say what was done."))
    return redirect("drowning:rectification_list")


# The patrol plan and the waters overdue for a patrol ---------------------------------------------

PLAN_HISTORY = 10


@login_required
@permission_required("drowning.view_waters", raise_exception=True)
def patrol_plan(request: AuthedRequest) -> HttpResponse:
    """The plan in force and its history; the water-resources bureau sets a new one here."""
    plan = PatrolPlan.current()
    can_set = request.user.has_perm("drowning.set_patrol_plan")
    form = None
    if can_set:
        initial = {name: getattr(plan, name) for name in PatrolPlanForm.base_fields}
        form = PatrolPlanForm(request.POST or None, initial=initial)
    elif request.method == "POST":
        require_perm(request.user, "drowning.set_patrol_plan")
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.patrol_plan_set(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The patrol plan was saved."))
            return redirect("drowning:patrol_plan")
    today = timezone.localdate()
    context = {
        "plan": plan,
        "form": form,
        "history": PatrolPlan.objects.select_related("set_by")[:PLAN_HISTORY],
        "peak": services.plans.is_peak(today, plan),
        "required": services.required_days(plan, today),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "drowning/patrol_plan.html", context, status=status)


@login_required
@permission_required("drowning.patrol", raise_exception=True)
def patrols_overdue(request: AuthedRequest) -> HttpResponse:
    """The waters in the user's area overdue for a patrol under the plan, longest first."""
    form = OverdueFilterForm(request.GET or None, user=request.user)
    waters = form.filter(HazardousWater.objects.for_user(request.user))
    plan = PatrolPlan.current()
    overdue = services.overdue_for_patrol(waters, plan=plan).select_related("village__parent")
    context = {
        "form": form,
        "page": paginate(request, overdue),
        "now": timezone.now(),
        "peak": services.plans.is_peak(timezone.localdate(), plan),
    }
    return render_list(
        request, "drowning/patrols_overdue.html", "drowning/_overdue_table.html", context
    )


# Incidents --------------------------------------------------------------------------------------


@login_required
@permission_required("drowning.view_incidents", raise_exception=True)
def incident_list(request: AuthedRequest) -> HttpResponse:
    incidents = Incident.objects.for_user(request.user).select_related(
        "person", "water", "division"
    )
    context = {"page": paginate(request, incidents)}
    return render_list(
        request, "drowning/incident_list.html", "drowning/_incident_table.html", context
    )


@login_required
@permission_required("drowning.add_incident", raise_exception=True)
def incident_create(request: AuthedRequest) -> HttpResponse:
    form = IncidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_record(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The incident was recorded."))
            return redirect(incident)
    status = 400 if form.errors else 200
    return render(request, "drowning/incident_form.html", {"form": form}, status=status)


@login_required
@permission_required("drowning.view_incidents", raise_exception=True)
def incident_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    incident = access_incident(request.user, pk)
    review = (
        getattr(incident, "review", None) if incident.outcome == Incident.Outcome.DIED else None
    )
    return render(
        request, "drowning/incident_detail.html", {"incident": incident, "review": review}
    )


# The map -----------------------------------------------------------------------------------------

SUMMER = (7, 8)


@login_required
@permission_required("drowning.view_waters", raise_exception=True)
def water_map(request: AuthedRequest) -> HttpResponse:
    """Waters coloured by risk or by equipment gaps, schools and incidents over the townships'
    boundaries (ECharts, drawn by drowning/map.js from map_data and map_townships)."""
    form = MapFilterForm(request.GET or None, user=request.user)
    colour = "risk"
    if form.is_bound and form.is_valid():
        colour = form.cleaned_data["colour"] or "risk"
    context = {
        "form": form,
        "colour": colour,
        "query": request.GET.urlencode(),
        "stored": TownshipMap.objects.only("townships", "uploaded_at").first(),
        "can_upload": request.user.has_perm("drowning.upload_map"),
    }
    return render(request, "drowning/map.html", context)


def _gap_count(row: dict[str, object]) -> int:
    return sum(1 for name in EQUIPMENT_FIELDS.values() if row[name] != "ok")


@login_required
@permission_required("drowning.view_waters", raise_exception=True)
def map_data(request: AuthedRequest) -> HttpResponse:
    """The map's points as JSON, scoped like the lists: the waters the user reads, the open
    schools, and (for who reads incidents) incidents with no detail of the child. Filters:
    township (its pk), season (summer / other: the incidents' months)."""
    form = MapFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    township = data.get("township")
    season = data.get("season") or ""
    waters = HazardousWater.objects.for_user(request.user)
    schools = (
        School.objects.for_user(request.user)
        .open()
        .filter(latitude__isnull=False, longitude__isnull=False)
    )
    incidents = Incident.objects.for_user(request.user)
    if township is not None:
        waters = waters.in_township(township)
        schools = schools.filter(organisation__division__code__startswith=township.prefix)
        incidents = incidents.filter(division__code__startswith=township.prefix)
    if season == "summer":
        incidents = incidents.filter(occurred_at__month__in=SUMMER)
    elif season == "other":
        incidents = incidents.exclude(occurred_at__month__in=SUMMER)
    risks = dict(HazardousWater.Risk.choices)
    outcomes = dict(Incident.Outcome.choices)
    water_rows = waters.values(
        "pk", "name", "risk", "latitude", "longitude", *EQUIPMENT_FIELDS.values()
    ).order_by("pk")
    incident_rows = incidents.values(
        "pk", "occurred_at", "outcome", "latitude", "longitude", "water__latitude",
        "water__longitude",
    ).order_by("pk")  # fmt: skip
    payload = {
        "waters": [
            {
                "id": row["pk"],
                "name": row["name"],
                "risk": row["risk"],
                "risk_label": str(risks.get(row["risk"], row["risk"])),
                "gaps": _gap_count(row),
                "value": [float(row["longitude"]), float(row["latitude"])],
            }
            for row in water_rows
        ],
        "schools": [
            {"id": pk, "name": name, "value": [float(lng or 0), float(lat or 0)]}
            for pk, name, lat, lng in schools.values_list(
                "pk", "organisation__name", "latitude", "longitude"
            ).order_by("pk")
        ],
        "incidents": [
            {
                "id": row["pk"],
                "date": f"{timezone.localtime(row['occurred_at']):%Y-%m-%d}",
                "outcome": row["outcome"],
                "outcome_label": str(outcomes.get(row["outcome"], row["outcome"])),
                "value": [float(lng), float(lat)],
            }
            for row in incident_rows
            for lat, lng in [
                (
                    row["latitude"] or row["water__latitude"],
                    row["longitude"] or row["water__longitude"],
                )
            ]
            if lat is not None and lng is not None
        ],
        "labels": {
            "high": str(risks[HazardousWater.Risk.HIGH]),
            "medium": str(risks[HazardousWater.Risk.MEDIUM]),
            "low": str(risks[HazardousWater.Risk.LOW]),
            "gaps": _("Waters with equipment missing or damaged"),
            "complete": _("Waters with all four ones"),
            "schools": _("Schools"),
            "incidents": _("Drowning incidents"),
            "gap_count": _("gaps"),
        },
        "water_url": reverse("drowning:water_detail", args=[0]),
        "incident_url": reverse("drowning:incident_detail", args=[0])
        if request.user.has_perm("drowning.view_incidents")
        else "",
    }
    return JsonResponse(payload)


@login_required
@permission_required("drowning.view_waters", raise_exception=True)
def map_townships(request: AuthedRequest) -> HttpResponse:
    """The stored township boundaries (GeoJSON; an empty collection before any upload)."""
    return HttpResponse(services.township_map(), content_type="application/geo+json")


@login_required
@permission_required("drowning.upload_map", raise_exception=True)
def map_upload(request: AuthedRequest) -> HttpResponse:
    form = MapUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = services.township_map_upload(
                actor=request.user, upload=upload, name=upload.name or ""
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The township map was saved: %(n)d townships.") % {"n": stored.townships},
            )
            unknown = services.unknown_townships(stored)
            if unknown:
                messages.warning(
                    request,
                    _("These names are no township of the county: %(names)s.")
                    % {"names": "、".join(unknown)},
                )
            return redirect("drowning:map")
    status = 400 if form.errors else 200
    context = {"form": form, "stored": TownshipMap.objects.first()}
    return render(request, "drowning/map_upload.html", context, status=status)
