"""Drowning-prevention pages: the registry of waters (list, detail, forms, Excel), custodians,
the phone-sized patrol form (with photos), rectifications, incidents, the map, the letters to
parents with their receipts and coverage, and named responsibility."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.core.contract import percent
from weibao.core.imports import import_errors, import_page
from weibao.core.models import Attachment
from weibao.core.views import export_response
from weibao.drowning import services
from weibao.drowning.access import (
    access_assignment,
    access_custodian,
    access_incident,
    access_letter,
    access_rectification,
    access_sign_inspection,
    access_water,
)
from weibao.drowning.forms import (
    AssignmentFilterForm,
    AssignmentForm,
    CloseForm,
    ContactForm,
    CustodianForm,
    ImportForm,
    IncidentForm,
    LetterForm,
    MapFilterForm,
    MapUploadForm,
    OverdueFilterForm,
    PatrolForm,
    PatrolPlanForm,
    ReceiptImportForm,
    ReceiptListForm,
    ReceiptsForm,
    RectificationFilterForm,
    SeasonFilterForm,
    SignCoverageFilterForm,
    SignInspectionForm,
    WaterFilterForm,
    WaterForm,
)
from weibao.drowning.models import (
    CONTACT_DAYS,
    EQUIPMENT_FIELDS,
    Assignment,
    Custodian,
    HazardousWater,
    Incident,
    ParentLetter,
    Patrol,
    PatrolPlan,
    Rectification,
    Season,
    SignInspection,
    TownshipMap,
    inspecting_schools,
)
from weibao.drowning.seasons import default_season
from weibao.drowning.services import assignments, letters, signs
from weibao.kit import spreadsheets
from weibao.kit.documents import DOCX_CONTENT_TYPE, chinese_date
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import PAGE_SIZE, download, paginate, render_list
from weibao.people.models import Person
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
        "patrols": _with_photos(
            Patrol.objects.filter(water=water).select_related("recorded_by")[:10]
        ),
        "rectifications": Rectification.objects.filter(water=water).open(),
        "can_change": request.user.has_perm("drowning.change_water", water),
        "can_patrol": request.user.has_perm("drowning.record_patrol", water),
    }
    return render(request, "drowning/water_detail.html", context)


def _with_photos(patrols: Any) -> list[Patrol]:
    """The patrols, each with `photos` (its attachments): one query for all of them."""
    listed = list(patrols)
    if not listed:
        return listed
    kind = ContentType.objects.get_for_model(Patrol)
    photos: dict[str, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(
        owner_type=kind, owner_id__in=[str(p.pk) for p in listed]
    ).order_by("pk"):
        photos.setdefault(attachment.owner_id, []).append(attachment)
    for patrol in listed:
        patrol.photos = photos.get(str(patrol.pk), [])
    return listed


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
    name = f"hazardous-waters-{timezone.localdate():%Y%m%d}.xlsx"
    return export_response(request, name=name, content=content)


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
    return import_page(
        request,
        ImportForm(request.POST or None, request.FILES or None),
        run=lambda data: services.waters_import(actor=request.user, upload=data["file"]),
        done=lambda report: _("The waters were imported."),
        template="drowning/water_import.html",
        errors_key=IMPORT_ERRORS_SESSION_KEY,
    )


@login_required
@permission_required("drowning.manage_waters", raise_exception=True)
def water_import_errors(request: AuthedRequest) -> HttpResponse:
    return import_errors(
        request,
        errors_key=IMPORT_ERRORS_SESSION_KEY,
        filename="hazardous-waters-import-errors.xlsx",
        back="drowning:water_import",
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
    form = PatrolForm(request.POST or None, request.FILES or None, user=request.user, water=water)
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


# Letters to parents ------------------------------------------------------------------------------


def _season(request: AuthedRequest) -> tuple[SeasonFilterForm, int, str]:
    form = SeasonFilterForm(request.GET or None)
    year, season = form.season_of(timezone.localdate())
    return form, year, season


@login_required
@permission_required("drowning.view_letters", raise_exception=True)
def letter_list(request: AuthedRequest) -> HttpResponse:
    """The letters of a season the user sees, with each school's receipt coverage."""
    form, year, season = _season(request)
    letters = ParentLetter.objects.for_user(request.user).filter(year=year, season=season)
    page = paginate(request, letters.order_by("school__organisation__division__code", "pk"))
    rows, _townships = services.coverage(
        ParentLetter.objects.filter(pk__in=[letter.pk for letter in page])
    )
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "year": year,
        "season": Season(season).label,
        "can_issue": request.user.has_perm("drowning.issue_letters"),
    }
    return render_list(request, "drowning/letter_list.html", "drowning/_letter_table.html", context)


@login_required
@permission_required("drowning.issue_letters", raise_exception=True)
def letter_create(request: AuthedRequest) -> HttpResponse:
    year, season = default_season(timezone.localdate())
    initial = {"year": year, "season": season, "issued_on": timezone.localdate()}
    form = LetterForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = services.letter_create(actor=request.user, school=data["school"], data=data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The letter was issued."))
            return redirect(letter)
    status = 400 if form.errors else 200
    return render(request, "drowning/letter_form.html", {"form": form}, status=status)


@login_required
@permission_required("drowning.view_letters", raise_exception=True)
def letter_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = access_letter(request.user, pk)
    rows, _townships = services.coverage(ParentLetter.objects.filter(pk=letter.pk))
    context = {
        "letter": letter,
        "row": rows[0] if rows else None,
        "waters": letters.letter_waters(letter),
        "can_record": request.user.has_perm("drowning.record_receipt", letter),
    }
    return render(request, "drowning/letter_detail.html", context)


@login_required
@permission_required("drowning.view_letters", raise_exception=True)
def letter_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = access_letter(request.user, pk)
    content = services.letter_download(actor=request.user, letter=letter)
    name = f"parent-letter-{letter.year}-{letter.season}-{letter.school_id}.docx"
    return download(content, name, DOCX_CONTENT_TYPE)


@login_required
@permission_required("drowning.view_letters", raise_exception=True)
def letter_print(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = access_letter(request.user, pk)
    document = services.letter_document(letter)
    context = {
        "letter": letter,
        "document": document,
        "issued_on": letters.issued_on_text(letter),
    }
    return render(request, "drowning/letter_print.html", context)


@login_required
@permission_required("drowning.view_letters", raise_exception=True)
def letter_receipts(request: AuthedRequest, pk: int) -> HttpResponse:
    """The class list: the school's pupils (a page of them, by grade and class) with a tick for
    each receipt; saving sets the receipts of the pupils on the page."""
    letter = access_letter(request.user, pk)
    can_record = request.user.has_perm("drowning.record_receipt", letter)
    if request.method == "POST" and not can_record:
        require_perm(request.user, "drowning.record_receipt", letter)
    filters = ReceiptListForm(request.GET or None)
    pupils = letter.pupils().only("pk", "name", "grade", "class_name", "school_id")
    if filters.is_valid():
        if filters.cleaned_data["grade"]:
            pupils = pupils.filter(grade=filters.cleaned_data["grade"])
        if filters.cleaned_data["class_name"]:
            pupils = pupils.filter(class_name=filters.cleaned_data["class_name"])
    page = paginate(request, pupils.order_by("grade", "class_name", "name_pinyin", "pk"))
    on_page = [pupil.pk for pupil in page]
    form = ReceiptsForm(
        request.POST or None, pupils=on_page, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added, removed = services.receipts_set(
                actor=request.user,
                letter=letter,
                shown=data["shown"],
                received=data["received"],
                received_on=data["received_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Receipts saved: %(added)d added, %(removed)d removed.")
                % {"added": added, "removed": removed},
            )
            return redirect(request.get_full_path())
    receipts = letters.receipts_by_pupil(letter, on_page)
    context = {
        "letter": letter,
        "filters": filters,
        "form": form,
        "page": page,
        "rows": [(pupil, receipts.get(pupil.pk)) for pupil in page],
        "can_record": can_record,
    }
    status = 400 if form.errors else 200
    return render(request, "drowning/letter_receipts.html", context, status=status)


@login_required
@permission_required("drowning.view_letters", raise_exception=True)
def letter_receipts_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = access_letter(request.user, pk)
    require_perm(request.user, "drowning.record_receipt", letter)
    form = ReceiptImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.receipts_import(
                actor=request.user, letter=letter, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if report.clean:
                messages.success(request, _("The receipts were imported."))
    failed = bool(form.errors) or (report is not None and not report.clean)
    context = {"form": form, "report": report, "letter": letter}
    return render(
        request, "drowning/letter_receipts_upload.html", context, status=400 if failed else 200
    )


@login_required
@permission_required("drowning.view_letters", raise_exception=True)
def letter_receipts_template(request: AuthedRequest, pk: int) -> HttpResponse:
    access_letter(request.user, pk)
    return download(
        services.receipts_template(),
        "letter-receipts-template.xlsx",
        spreadsheets.XLSX_CONTENT_TYPE,
    )


@login_required
@permission_required("drowning.view_letters", raise_exception=True)
def letter_missing(request: AuthedRequest, pk: int) -> HttpResponse:
    """The school's pupils without a receipt of the letter (masked names, paged)."""
    letter = access_letter(request.user, pk)
    context = {"letter": letter, "page": paginate(request, services.without_receipt(letter))}
    return render_list(
        request, "drowning/letter_missing.html", "drowning/_missing_table.html", context
    )


@login_required
@permission_required("drowning.view_letters", raise_exception=True)
def letter_coverage(request: AuthedRequest) -> HttpResponse:
    """Receipt coverage of a season's letters, per township and per school."""
    form, year, season = _season(request)
    rows, townships = services.coverage(
        ParentLetter.objects.for_user(request.user).filter(year=year, season=season)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "townships": townships,
        "year": year,
        "season": Season(season).label,
    }
    return render(request, "drowning/letter_coverage.html", context)


# Named responsibility -----------------------------------------------------------------------------


@login_required
@permission_required("drowning.view_assignments", raise_exception=True)
def assignment_list(request: AuthedRequest) -> HttpResponse:
    form = AssignmentFilterForm(request.GET or None)
    year, season = form.season_of(timezone.localdate())
    assignments = (
        Assignment.objects.for_user(request.user)
        .of_season(year, season)
        .select_related("child__school", "assignee__organisation")
        .annotate(last_contact=Max("contacts__contacted_on"))
        .order_by("assignee__full_name", "assignee_id", "child__name_pinyin", "pk")
    )
    if form.is_valid() and form.cleaned_data["mine"]:
        assignments = assignments.filter(assignee=request.user)
    context = {
        "form": form,
        "page": paginate(request, assignments),
        "year": year,
        "season": Season(season).label,
        "can_assign": request.user.has_perm("drowning.assign"),
    }
    return render_list(
        request, "drowning/assignment_list.html", "drowning/_assignment_table.html", context
    )


@login_required
@permission_required("drowning.assign", raise_exception=True)
def assignment_create(request: AuthedRequest) -> HttpResponse:
    year, season = default_season(timezone.localdate())
    initial = {"year": year, "season": season, "child": request.GET.get("child")}
    form = AssignmentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The child was assigned."))
            return redirect(assignment)
    status = 400 if form.errors else 200
    return render(request, "drowning/assignment_form.html", {"form": form}, status=status)


@login_required
@permission_required("drowning.view_assignments", raise_exception=True)
def assignment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """An assignment, its contacts, and the form to log one (for the assignee and keepers)."""
    assignment = access_assignment(request.user, pk)
    can_log = request.user.has_perm("drowning.log_contact", assignment)
    if request.method == "POST" and not can_log:
        require_perm(request.user, "drowning.log_contact", assignment)
    form = ContactForm(request.POST or None, initial={"contacted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_log(actor=request.user, assignment=assignment, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The contact was logged."))
            return redirect(assignment)
    context = {
        "assignment": assignment,
        "contacts": assignment.contacts.select_related("recorded_by"),
        "form": form if can_log else None,
    }
    status = 400 if form.errors else 200
    return render(request, "drowning/assignment_detail.html", context, status=status)


@login_required
@permission_required("drowning.view_assignments", raise_exception=True)
def assignment_unassigned(request: AuthedRequest) -> HttpResponse:
    """The children the user sees who are to be assigned and have nobody for the season."""
    form, year, season = _season(request)
    people = Person.objects.for_user(request.user)
    children = services.unassigned(people, year, season, timezone.localdate())
    context = {
        "form": form,
        "page": paginate(request, children),
        "year": year,
        "season": Season(season).label,
        "can_assign": request.user.has_perm("drowning.assign"),
    }
    return render_list(
        request, "drowning/assignment_unassigned.html", "drowning/_unassigned_table.html", context
    )


@login_required
@permission_required("drowning.view_assignments", raise_exception=True)
def assignment_silent(request: AuthedRequest) -> HttpResponse:
    """Assignees with no contact logged in CONTACT_DAYS, among the assignments the user sees."""
    form, year, season = _season(request)
    today = timezone.localdate()
    rows = services.silent_assignees(
        Assignment.objects.for_user(request.user).of_season(year, season), today
    )
    page = paginate(request, rows)
    context = {
        "form": form,
        "page": page,
        "rows": assignments.silent_rows(list(page)),
        "days": CONTACT_DAYS,
        "year": year,
        "season": Season(season).label,
    }
    return render_list(
        request, "drowning/assignment_silent.html", "drowning/_silent_table.html", context
    )


# The schools' summer sign inspection -------------------------------------------------------------


def _own_school(user: Any) -> School:
    school = (
        School.objects.open()
        .filter(organisation_id=user.organisation_id)
        .select_related("organisation__division")
        .first()
    )
    if school is None:
        raise Http404
    return school


@login_required
@permission_required("drowning.view_sign_inspections", raise_exception=True)
def sign_inspection_list(request: AuthedRequest) -> HttpResponse:
    """The inspections the user sees: a school its own, a township its schools'."""
    inspections = (
        SignInspection.objects.for_user(request.user)
        .select_related("school__organisation")
        .annotate(gap_count=Count("rectifications"))
        .order_by("-year", "school__organisation__division__code", "pk")
    )
    context = {
        "page": paginate(request, inspections),
        "can_inspect": request.user.has_perm("drowning.inspect_signs"),
        "can_cover": request.user.has_perm("drowning.view_sign_coverage"),
    }
    return render_list(
        request,
        "drowning/sign_inspection_list.html",
        "drowning/_sign_inspection_table.html",
        context,
    )


def _sign_initial(
    user: Any, inspection: SignInspection | None, waters: list[HazardousWater]
) -> dict[str, Any]:
    today = timezone.localdate()
    initial: dict[str, Any] = {"year": today.year, "inspected_on": today,
                               "inspected_by": user.full_name}  # fmt: skip
    if inspection is not None:
        initial.update(year=inspection.year, inspected_on=inspection.inspected_on,
                       inspected_by=inspection.inspected_by, notes=inspection.notes)  # fmt: skip
    found = signs.items_by_water(inspection, [water.pk for water in waters])
    for water in waters:
        source = found.get(water.pk, water)
        for name in EQUIPMENT_FIELDS.values():
            initial[signs.field_name(water.pk, name)] = getattr(source, name)
        initial[signs.field_name(water.pk, "note")] = getattr(source, "note", "")
    return initial


@login_required
@permission_required("drowning.inspect_signs", raise_exception=True)
def sign_inspection_form(request: AuthedRequest) -> HttpResponse:
    """The school's phone-sized form: a page of its catchment's waters at a time; each save
    keeps the draft, "submit" reports it to the township."""
    school = _own_school(request.user)
    require_perm(request.user, "drowning.inspect_signs_of", school)
    inspection = signs.sign_inspection_of(school, timezone.localdate().year)
    if inspection is not None and inspection.is_submitted:
        messages.info(request, _("This summer's inspection is already reported."))
        return redirect(inspection)
    page = paginate(request, signs.catchment_waters(school))
    waters = [catchment.water for catchment in page]
    form = SignInspectionForm(
        request.POST or None, waters=waters, initial=_sign_initial(request.user, inspection, waters)
    )
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.sign_inspection_save(
                actor=request.user, school=school, data=form.cleaned_data, items=form.items()
            )
            if request.POST.get("action") == "submit":
                opened = services.sign_inspection_submit(actor=request.user, inspection=inspection)
                message = _("The inspection was reported: %(n)d rectifications opened.")
                messages.success(request, message % {"n": len(opened)})
                return redirect(inspection)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The page was saved."))
            number = page.next_page_number() if page.has_next() else page.number
            return redirect(f"{reverse('drowning:sign_inspection_form')}?page={number}")
    context = {
        "form": form,
        "page": page,
        "school": school,
        "inspection": inspection,
        "rows": [(catchment, form.water_fields(catchment.water)) for catchment in page],
        "remaining": signs.not_inspected(inspection).count()
        if inspection
        else page.paginator.count,
    }
    status = 400 if form.errors else 200
    return render(request, "drowning/sign_inspection_form.html", context, status=status)


@login_required
@permission_required("drowning.view_sign_inspections", raise_exception=True)
def sign_inspection_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    inspection = access_sign_inspection(request.user, pk)
    context = {
        "inspection": inspection,
        "rows": signs.gap_rows(inspection),
        "rectifications": Rectification.objects.filter(sign_inspection=inspection).select_related(
            "water", "township"
        ),
        "remaining": 0 if inspection.is_submitted else signs.not_inspected(inspection).count(),
        "can_edit": not inspection.is_submitted
        and request.user.has_perm("drowning.change_sign_inspection", inspection),
    }
    return render(request, "drowning/sign_inspection_detail.html", context)


@login_required
@permission_required("drowning.view_sign_inspections", raise_exception=True)
def sign_inspection_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    inspection = access_sign_inspection(request.user, pk)
    if not inspection.is_submitted:
        raise Http404
    content = services.sign_report_download(actor=request.user, inspection=inspection)
    name = f"sign-inspection-{inspection.year}-{inspection.school_id}.docx"
    return download(content, name, DOCX_CONTENT_TYPE)


@login_required
@permission_required("drowning.view_sign_inspections", raise_exception=True)
def sign_inspection_print(request: AuthedRequest, pk: int) -> HttpResponse:
    inspection = access_sign_inspection(request.user, pk)
    if not inspection.is_submitted:
        raise Http404
    document = signs.report_document(inspection)
    context = {
        "inspection": inspection,
        "document": document,
        "issued_on": chinese_date(document.issued_on),
    }
    return render(request, "drowning/sign_inspection_print.html", context)


@login_required
@permission_required("drowning.view_sign_coverage", raise_exception=True)
def sign_coverage(request: AuthedRequest) -> HttpResponse:
    """Which schools have reported this summer's inspection and which have not."""
    form = SignCoverageFilterForm(request.GET or None)
    year, missing, name = timezone.localdate().year, False, ""
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        missing, name = form.cleaned_data["missing"], form.cleaned_data["name"]
    schools = inspecting_schools(request.user)
    if name:
        schools = schools.filter(organisation__name__contains=name)
    done, total = signs.coverage_counts(schools, year)
    listed = signs.with_inspection(schools, year).select_related("organisation__division")
    if missing:
        listed = listed.filter(Q(inspected=False))
    context = {
        "form": form,
        "year": year,
        "page": paginate(request, listed.order_by("organisation__division__code", "pk")),
        "done": done,
        "total": total,
        "share": percent(done, total),
    }
    return render_list(
        request, "drowning/sign_coverage.html", "drowning/_sign_coverage_table.html", context
    )
