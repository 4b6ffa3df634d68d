"""Venues pages: the registry (list, detail, forms, Excel), the distance rules, violations,
inspection plans, the phone-sized inspection form, orders and their notice, repeat offenders,
schools' concerns and the map."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.core.imports import import_errors, import_page
from weibao.core.models import Attachment
from weibao.core.views import export_response
from weibao.drowning.services import township_map
from weibao.kit import documents, geo, spreadsheets
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import download, paginate, render_list
from weibao.schools.models import School
from weibao.venues import services
from weibao.venues.access import (
    access_concern,
    access_inspection,
    access_order,
    access_plan,
    access_rule,
    access_venue,
)
from weibao.venues.forms import (
    ConcernForm,
    ImportForm,
    InspectionForm,
    OrderFilterForm,
    PlanForm,
    ReplyForm,
    RuleForm,
    VenueChoiceForm,
    VenueFilterForm,
    VenueForm,
    ViolationFilterForm,
)
from weibao.venues.kinds import Outcome, VenueKind
from weibao.venues.models import (
    REPEAT_WINDOW_DAYS,
    Concern,
    DistanceRule,
    Inspection,
    InspectionPlan,
    RectificationOrder,
    Venue,
    Violation,
)

IMPORT_ERRORS_SESSION_KEY = "venues_import_errors"


@login_required
@permission_required("venues.view_venues", raise_exception=True)
def home(request: AuthedRequest) -> HttpResponse:
    return redirect("venues:venue_list")


# Venues ------------------------------------------------------------------------------------------


def _listed_venues(request: AuthedRequest) -> tuple[VenueFilterForm, object]:
    form = VenueFilterForm(request.GET or None, user=request.user)
    venues = form.filter(Venue.objects.for_user(request.user))
    venues = (
        venues.select_related("village__parent", "supervising_unit")
        .annotate(open_violations=Count("violations", filter=Q(violations__closed_at__isnull=True)))
        .order_by("village__code", "kind", "name", "pk")
    )
    return form, venues


@login_required
@permission_required("venues.view_venues", raise_exception=True)
def venue_list(request: AuthedRequest) -> HttpResponse:
    form, venues = _listed_venues(request)
    context = {
        "form": form,
        "page": paginate(request, venues),  # type: ignore[arg-type]
        "can_manage": request.user.has_perm("venues.manage_venues"),
        "today": timezone.localdate(),
    }
    return render_list(request, "venues/venue_list.html", "venues/_venue_table.html", context)


@login_required
@permission_required("venues.view_venues", raise_exception=True)
def venue_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    venue = access_venue(request.user, pk)
    user = request.user
    sees_inspections = user.has_perm("venues.view_inspections")
    context = {
        "venue": venue,
        "violations": Violation.objects.for_user(user)
        .filter(venue=venue)
        .open()
        .select_related("school__organisation", "rule"),
        "inspections": Inspection.objects.filter(venue=venue)
        .select_related("inspecting_unit")
        .prefetch_related("findings")[:10]
        if sees_inspections
        else [],
        "orders": RectificationOrder.objects.filter(venue=venue).open() if sees_inspections else [],
        "can_change": user.has_perm("venues.change_venue", venue),
        "can_inspect": user.has_perm("venues.record_inspection", venue),
        "can_concern": user.has_perm("venues.raise_concern", venue),
    }
    return render(request, "venues/venue_detail.html", context)


@login_required
@permission_required("venues.manage_venues", raise_exception=True)
def venue_create(request: AuthedRequest) -> HttpResponse:
    form = VenueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            venue = services.venue_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The venue was registered."))
            return redirect(venue)
    status = 400 if form.errors else 200
    return render(request, "venues/venue_form.html", {"form": form}, status=status)


@login_required
@permission_required("venues.manage_venues", raise_exception=True)
def venue_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    venue = access_venue(request.user, pk)
    require_perm(request.user, "venues.change_venue", venue)
    form = VenueForm(request.POST or None, user=request.user, venue=venue)
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_update(actor=request.user, venue=venue, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The venue's record was saved."))
            return redirect(venue)
    status = 400 if form.errors else 200
    context = {"form": form, "venue": venue}
    return render(request, "venues/venue_form.html", context, status=status)


@login_required
@permission_required("venues.view_venues", raise_exception=True)
def venue_export(request: AuthedRequest) -> HttpResponse:
    """The listed venues (with the list's filters) as Excel, in the import's columns."""
    _form, venues = _listed_venues(request)
    content = services.venues_export(actor=request.user, among=venues)  # type: ignore[arg-type]
    name = f"venues-{timezone.localdate():%Y%m%d}.xlsx"
    return export_response(request, name=name, content=content)


@login_required
@permission_required("venues.manage_venues", raise_exception=True)
def venue_template(request: AuthedRequest) -> HttpResponse:
    return download(
        services.venues_template(), "venues-template.xlsx", spreadsheets.XLSX_CONTENT_TYPE
    )


@login_required
@permission_required("venues.manage_venues", raise_exception=True)
def venue_import(request: AuthedRequest) -> HttpResponse:
    """Upload the list; on errors show them all (nothing is written), else the counts."""
    return import_page(
        request,
        ImportForm(request.POST or None, request.FILES or None),
        run=lambda data: services.venues_import(actor=request.user, upload=data["file"]),
        done=lambda report: _("The venues were imported."),
        template="venues/venue_import.html",
        errors_key=IMPORT_ERRORS_SESSION_KEY,
    )


@login_required
@permission_required("venues.manage_venues", raise_exception=True)
def venue_import_errors(request: AuthedRequest) -> HttpResponse:
    return import_errors(
        request,
        errors_key=IMPORT_ERRORS_SESSION_KEY,
        filename="venues-import-errors.xlsx",
        back="venues:venue_import",
    )


# Distance rules and violations -------------------------------------------------------------------


@login_required
@permission_required("venues.view_rules", raise_exception=True)
def rule_list(request: AuthedRequest) -> HttpResponse:
    """The rules in force and their history; the county coordinator sets a new one here."""
    can_set = request.user.has_perm("venues.set_rules")
    form = RuleForm(request.POST or None) if can_set else None
    if request.method == "POST":
        require_perm(request.user, "venues.set_rules")
        assert form is not None
        if form.is_valid():
            try:
                _rule, job = services.rule_set(actor=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The rule was saved; every venue is being re-checked."))
                return redirect(job)
    context = {
        "form": form,
        "current": DistanceRule.objects.current().select_related("set_by"),
        "history": DistanceRule.objects.exclude(valid_to__isnull=True).select_related("set_by"),
        "can_set": can_set,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "venues/rule_list.html", context, status=status)


@login_required
@require_POST
@permission_required("venues.set_rules", raise_exception=True)
def rule_end(request: AuthedRequest, pk: int) -> HttpResponse:
    rule = access_rule(request.user, pk)
    try:
        job = services.rule_end(actor=request.user, rule=rule)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("venues:rule_list")
    messages.success(request, _("The rule was ended; every venue is being re-checked."))
    return redirect(job)


@login_required
@permission_required("venues.view_venues", raise_exception=True)
def violation_list(request: AuthedRequest) -> HttpResponse:
    form = ViolationFilterForm(request.GET or None)
    items = Violation.objects.for_user(request.user).select_related(
        "venue__village__parent", "school__organisation", "rule"
    )
    if form.is_valid():
        if not form.cleaned_data["closed"]:
            items = items.open()
        if form.cleaned_data["kind"]:
            items = items.filter(venue__kind=form.cleaned_data["kind"])
    else:
        items = items.open()
    context = {"form": form, "page": paginate(request, items)}
    return render_list(
        request, "venues/violation_list.html", "venues/_violation_table.html", context
    )


# Inspection plans --------------------------------------------------------------------------------


@login_required
@permission_required("venues.view_plans", raise_exception=True)
def plan_list(request: AuthedRequest) -> HttpResponse:
    plans = (
        InspectionPlan.objects.for_user(request.user)
        .select_related("lead")
        .annotate(inspection_count=Count("inspections", distinct=True))
        .order_by("-starts_on", "-pk")
    )
    context = {
        "page": paginate(request, plans),
        "can_plan": request.user.has_perm("venues.plan_inspections"),
    }
    return render_list(request, "venues/plan_list.html", "venues/_plan_table.html", context)


@login_required
@permission_required("venues.plan_inspections", raise_exception=True)
def plan_create(request: AuthedRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The inspection plan was saved."))
            return redirect(plan)
    status = 400 if form.errors else 200
    return render(request, "venues/plan_form.html", {"form": form}, status=status)


@login_required
@permission_required("venues.view_plans", raise_exception=True)
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    done, total = services.plan_progress(plan)
    labels = dict(VenueKind.choices)
    context = {
        "plan": plan,
        "kinds": [labels.get(k, k) for k in plan.kinds],
        "done": done,
        "total": total,
        "inspections": plan.inspections.select_related("venue", "inspecting_unit")
        .annotate(finding_count=Count("findings"))
        .order_by("-inspected_at", "-pk")[:50],
    }
    return render(request, "venues/plan_detail.html", context)


# Inspections -------------------------------------------------------------------------------------


@login_required
@permission_required("venues.inspect", raise_exception=True)
def inspection_start(request: AuthedRequest) -> HttpResponse:
    """Find the venue (a picker), then its checklist."""
    form = VenueChoiceForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        return redirect("venues:inspection_create", venue_pk=form.cleaned_data["venue"].pk)
    return render(request, "venues/inspection_start.html", {"form": form})


@login_required
@permission_required("venues.inspect", raise_exception=True)
def inspection_create(request: AuthedRequest, venue_pk: int) -> HttpResponse:
    venue = access_venue(request.user, venue_pk)
    require_perm(request.user, "venues.record_inspection", venue)
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        venue=venue,
        reinspects=request.GET.get("reinspects"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_record(
                actor=request.user,
                venue=venue,
                data=form.service_data(),
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The inspection was recorded."))
            return redirect(inspection)
    status = 400 if form.errors else 200
    context = {"form": form, "venue": venue}
    return render(request, "venues/inspection_form.html", context, status=status)


@login_required
@permission_required("venues.view_inspections", raise_exception=True)
def inspection_list(request: AuthedRequest) -> HttpResponse:
    inspections = (
        Inspection.objects.for_user(request.user)
        .select_related("venue__village", "inspecting_unit", "plan")
        .annotate(finding_count=Count("findings"))
        .order_by("-inspected_at", "-pk")
    )
    context = {"page": paginate(request, inspections)}
    return render_list(
        request, "venues/inspection_list.html", "venues/_inspection_table.html", context
    )


@login_required
@permission_required("venues.view_inspections", raise_exception=True)
def inspection_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    inspection = access_inspection(request.user, pk)
    labels = {item.code: str(item.label) for item in services.venue_checklist(inspection.venue)}
    outcomes = dict(Outcome.choices)
    context = {
        "inspection": inspection,
        "lines": [
            (labels.get(code, code), str(outcomes.get(answer, answer)), answer)
            for code, answer in inspection.checklist.items()
        ],
        "findings": inspection.findings.all(),
        "order": RectificationOrder.objects.filter(inspection=inspection).first(),
        "photos": Attachment.objects.for_owner(inspection),
        "can_reinspect": request.user.has_perm("venues.record_inspection", inspection.venue),
    }
    return render(request, "venues/inspection_detail.html", context)


@login_required
@permission_required("venues.view_inspections", raise_exception=True)
def order_list(request: AuthedRequest) -> HttpResponse:
    form = OrderFilterForm(request.GET or None)
    orders = RectificationOrder.objects.for_user(request.user).select_related(
        "venue__village", "inspection__inspecting_unit"
    )
    if form.is_valid() and form.cleaned_data["overdue"]:
        orders = orders.overdue()
    elif form.is_valid() and form.cleaned_data["state"]:
        orders = orders.filter(state=form.cleaned_data["state"])
    context = {"form": form, "page": paginate(request, orders), "today": timezone.localdate()}
    return render_list(request, "venues/order_list.html", "venues/_order_table.html", context)


@login_required
@permission_required("venues.view_inspections", raise_exception=True)
def order_notice(request: AuthedRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk)
    content = services.order_notice(actor=request.user, order=order)
    return download(content, f"rectification-{order.number}.docx", documents.DOCX_CONTENT_TYPE)


@login_required
@permission_required("venues.view_repeat_offenders", raise_exception=True)
def repeat_offenders(request: AuthedRequest) -> HttpResponse:
    """Venues flagged for enforcement, with their inspections with findings in the last year."""
    since = timezone.now() - timedelta(days=REPEAT_WINDOW_DAYS)
    venues = (
        Venue.objects.for_user(request.user)
        .filter(flagged_on__isnull=False)
        .select_related("village__parent", "supervising_unit")
        .annotate(
            with_findings=Count(
                "inspections",
                filter=Q(inspections__findings__isnull=False, inspections__inspected_at__gte=since),
                distinct=True,
            )
        )
        .order_by("-flagged_on", "pk")
    )
    context = {"page": paginate(request, venues)}
    return render_list(
        request, "venues/repeat_offenders.html", "venues/_repeat_table.html", context
    )


# Concerns ----------------------------------------------------------------------------------------


@login_required
@permission_required("venues.view_venues", raise_exception=True)
def concern_create(request: AuthedRequest, venue_pk: int) -> HttpResponse:
    venue = access_venue(request.user, venue_pk)
    require_perm(request.user, "venues.raise_concern", venue)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_raise(actor=request.user, venue=venue, text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your concern was sent to the supervising unit."))
            return redirect(venue)
    status = 400 if form.errors else 200
    context = {"form": form, "venue": venue}
    return render(request, "venues/concern_form.html", context, status=status)


@login_required
@permission_required("venues.view_concerns", raise_exception=True)
def concern_list(request: AuthedRequest) -> HttpResponse:
    concerns = Concern.objects.for_user(request.user).select_related(
        "venue", "school__organisation"
    )
    if request.GET.get("closed") != "on":
        concerns = concerns.open()
    context = {
        "page": paginate(request, concerns),
        "can_close": request.user.has_perm("venues.manage_venues"),
    }
    return render_list(request, "venues/concern_list.html", "venues/_concern_table.html", context)


@login_required
@require_POST
@permission_required("venues.view_concerns", raise_exception=True)
def concern_close(request: AuthedRequest, pk: int) -> HttpResponse:
    concern = access_concern(request.user, pk)
    require_perm(request.user, "venues.close_concern", concern)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.concern_close(
                actor=request.user, concern=concern, reply=form.cleaned_data["reply"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The concern was closed."))
    else:
        messages.error(request, _("Say what was done."))
    return redirect("venues:concern_list")


# The map -----------------------------------------------------------------------------------------


@login_required
@permission_required("venues.view_venues", raise_exception=True)
def venue_map(request: AuthedRequest) -> HttpResponse:
    """Schools with their rule circles and venues by kind and state over the townships'
    boundaries (ECharts; drawn by venues/map.js on core/countymap.js)."""
    return render(request, "venues/map.html", {})


@login_required
@permission_required("venues.view_venues", raise_exception=True)
def map_data(request: AuthedRequest) -> HttpResponse:
    """The map's points as JSON, scoped like the list: the venues the user reads (with their
    state: breaking a rule, suspended, closed, open), the open schools of the user's scope with
    the circles of the rules in force that protect them."""
    venues = Venue.objects.for_user(request.user).annotate(
        open_violations=Count("violations", filter=Q(violations__closed_at__isnull=True))
    )
    kinds = dict(VenueKind.choices)
    statuses = dict(Venue.Status.choices)
    rules = list(DistanceRule.objects.in_force())
    schools = (
        School.objects.for_user(request.user)
        .open()
        .filter(latitude__isnull=False, longitude__isnull=False)
    )
    if not request.user.has_perm("venues.view_inspections"):  # a school: its own circles
        schools = schools.filter(organisation_id=request.user.organisation_id)
    school_rows = [
        (pk, name, kind, lat, lng)
        for pk, name, kind, lat, lng in schools.values_list(
            "pk", "organisation__name", "kind", "latitude", "longitude"
        )
        if lat is not None and lng is not None
    ]
    payload = {
        "venues": [
            {
                "id": row["pk"],
                "name": row["name"],
                "kind": row["kind"],
                "kind_label": str(kinds.get(row["kind"], row["kind"])),
                "state": "breach" if row["open_violations"] else row["status"],
                "state_label": _("breaks a distance rule")
                if row["open_violations"]
                else str(statuses.get(row["status"], row["status"])),
                "value": [float(row["longitude"]), float(row["latitude"])],
            }
            for row in venues.values(
                "pk", "name", "kind", "status", "latitude", "longitude", "open_violations"
            ).order_by("pk")
        ],
        "schools": [
            {"id": pk, "name": name, "value": [float(lng), float(lat)]}
            for pk, name, _kind, lat, lng in school_rows
        ],
        "circles": [
            {
                "school": pk,
                "kind": rule.kind,
                "metres": rule.metres,
                "ring": geo.circle(lat, lng, rule.metres, steps=24),
            }
            for pk, _name, kind, lat, lng in school_rows
            for rule in rules
            if kind in rule.school_kinds
        ],
        "labels": {
            "breach": _("Breaks a distance rule"),
            "open": str(statuses[Venue.Status.OPEN]),
            "suspended": str(statuses[Venue.Status.SUSPENDED]),
            "closed": str(statuses[Venue.Status.CLOSED]),
            "schools": _("Schools"),
            "circles": _("Rule circles"),
        },
        "venue_url": reverse("venues:venue_detail", args=[0]),
    }
    return JsonResponse(payload)


@login_required
@permission_required("venues.view_venues", raise_exception=True)
def map_townships(request: AuthedRequest) -> HttpResponse:
    """The county's township boundaries, shared with drowning prevention (GeoJSON)."""
    return HttpResponse(township_map(), content_type="application/geo+json")
