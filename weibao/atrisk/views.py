"""At-risk pages: the list, a minor's file, forms for each record, caseload, overview, sealing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.accounts.models import User
from weibao.accounts.policy import is_county_coordinator
from weibao.atrisk import forms as f
from weibao.atrisk import services
from weibao.atrisk.access import (
    access_application,
    access_event,
    access_file,
    access_measure,
    access_warning,
)
from weibao.atrisk.models import (
    AtRiskFile,
    AtRiskFileQuerySet,
    Behaviour,
    Contact,
    GradingRuleSet,
    InterventionPlan,
    Measure,
    MisconductEvent,
    RiskFactor,
    RiskWarning,
    SealedQueryApplication,
)
from weibao.core.forms import ExportForm
from weibao.core.views import export_response
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import paginate, render_list


def _files(request: AuthedRequest) -> AtRiskFileQuerySet:
    return AtRiskFile.objects.for_user(request.user)


def _page_of_files(request: AuthedRequest, files: AtRiskFileQuerySet) -> Page:
    """A page of files, each marked `has_overdue`, in one query for the page's rows only
    (an annotation would be computed for every row before sorting)."""
    page = paginate(request, files)
    rows = list(page.object_list)
    overdue = set(
        Contact.objects.overdue()
        .filter(file__in=[row.pk for row in rows])
        .values_list("file_id", flat=True)
    )
    for row in rows:
        row.has_overdue = row.pk in overdue
    page.object_list = rows
    return page


# Lists -------------------------------------------------------------------------------------


@login_required
@permission_required("atrisk.list_files", raise_exception=True)
def file_list(request: AuthedRequest) -> HttpResponse:
    form = f.FileFilterForm(request.GET or None, user=request.user)
    files = form.filter(_files(request))
    files = files.select_related("person", "school", "township", "worker")
    context = {"form": form, "page": _page_of_files(request, files)}
    return render_list(request, "atrisk/file_list.html", "atrisk/_file_table.html", context)


@login_required
@permission_required("atrisk.list_files", raise_exception=True)
def caseload(request: AuthedRequest) -> HttpResponse:
    """The worker's own files, most urgent first, with their open warnings."""
    user = request.user
    files = _files(request).open().filter(worker=user)
    files = (
        files.select_related("person", "school", "township", "worker")
        .annotate(open_warnings=Count("warnings", filter=Q(warnings__resolved_at__isnull=True)))
        .order_by("-score", "-id")
    )
    warnings = (
        RiskWarning.objects.for_user(user)
        .open()
        .filter(file__worker=user)
        .select_related("file")[:50]
    )
    context = {"page": _page_of_files(request, files), "warnings": warnings}
    return render_list(request, "atrisk/caseload.html", "atrisk/_file_table.html", context)


@login_required
@permission_required("atrisk.view_overview", raise_exception=True)
def overview(request: AuthedRequest) -> HttpResponse:
    context = {"data": services.overview(_files(request))}
    return render(request, "atrisk/overview.html", context)


@login_required
@permission_required("atrisk.list_files", raise_exception=True)
def warning_list(request: AuthedRequest) -> HttpResponse:
    """Open warnings by township and school (the coordinator's list), then one by one."""
    warnings = RiskWarning.objects.for_user(request.user).open()
    warnings = warnings.filter(file__closed_at__isnull=True)
    by_place = (
        warnings.values("file__township__name", "file__school__name")
        .annotate(n=Count("pk"))
        .order_by("file__township__name", "file__school__name")
    )
    rows = warnings.select_related("file", "file__township", "file__school", "file__worker")
    context = {"by_place": by_place, "page": paginate(request, rows)}
    return render_list(request, "atrisk/warning_list.html", "atrisk/_warning_table.html", context)


# A minor's file ----------------------------------------------------------------------------


def _detail_context(
    request: AuthedRequest, file: AtRiskFile, **bound: forms.Form
) -> dict[str, Any]:
    user = request.user
    can_change = user.has_perm("atrisk.change_file", file)
    events = (
        MisconductEvent.objects.for_user(user)
        .filter(involved__file=file)
        .select_related("reporting_unit")
        .prefetch_related(
            Prefetch("behaviours", queryset=Behaviour.objects.order_by("code")),
            Prefetch(
                "files",
                queryset=AtRiskFile.objects.for_user(user).select_related("person"),
                to_attr="visible_files",
            ),
        )
    )
    measures = Measure.objects.for_user(user).filter(file=file).select_related("issuing_unit")
    timeline = sorted(
        [("event", e.occurred_on, e) for e in events]
        + [("measure", m.decided_on, m) for m in measures],
        key=lambda item: (item[1], item[0]),
        reverse=True,
    )
    plan = InterventionPlan.objects.filter(file=file).select_related("worker", "unit").first()

    return {
        "file": file,
        "person": file.person,
        "timeline": timeline,
        "factors": file.risk_factors.current(),
        "plan": plan,
        "contacts": file.contacts.select_related("worker", "done_by").order_by("-due_date")[:20],
        "reviews": file.reviews.select_related("reviewer")[:10],
        "warnings": file.warnings.open(),
        "referrals": file.referrals.select_related("unit"),
        "applications": SealedQueryApplication.objects.for_user(user).filter(file=file),
        "sealed_grade": (
            file.get_sealed_grade_display() if services.may_see_sealed_grade(user, file) else None
        ),
        "can_change": can_change,
        "can_reveal": user.has_perm("atrisk.reveal_person", file),
        "is_coordinator": is_county_coordinator(user),
        # The forms have pages of their own: the file's page stays light however much it holds.
        "actions": [(name, title) for name, title, _make in _actions() if can_change],
    }


def _render_detail(request: AuthedRequest, file: AtRiskFile) -> HttpResponse:
    """The minor's page. Every rendering is audited as a view of the file."""
    services.file_view(actor=request.user, file=file)
    return render(request, "atrisk/file_detail.html", _detail_context(request, file))


FormMaker = Callable[[User, AtRiskFile], forms.Form]


def _plan_initial(file: AtRiskFile) -> dict[str, Any] | None:
    plan = InterventionPlan.objects.filter(file=file).first()
    if plan is None:
        return None
    return {"goals": plan.goals, "helpers": plan.helpers, "next_review_on": plan.next_review_on}


def _actions() -> list[tuple[str, str, FormMaker]]:
    """The forms on a file: (name in the URL, title, empty form)."""
    return [
        ("measures", _("Record a measure"), lambda u, file: f.MeasureForm(user=u, file=file)),
        ("factors", _("Add a risk factor"), lambda u, file: f.FactorForm()),
        ("contacts", _("Record a contact"), lambda u, file: f.ContactForm()),
        ("plan", _("Edit the plan"), lambda u, file: f.PlanForm(initial=_plan_initial(file))),
        ("reviews", _("Record a review"), lambda u, file: f.ReviewForm()),
        ("assign", _("Change the responsible worker"), lambda u, file: f.AssignForm(user=u)),
        ("refer", _("Refer to a unit"), lambda u, file: f.ReferForm()),
        ("close", _("Close the file"), lambda u, file: f.CloseForm()),
    ]


def _render_action(
    request: AuthedRequest, file: AtRiskFile, name: str, form: forms.Form, status: int = 200
) -> HttpResponse:
    titles = {action: title for action, title, _make in _actions()}
    titles["sealed"] = _("Apply to read the sealed records")
    context = {"file": file, "form": form, "title": titles[name], "action": f"{name}/"}
    return render(request, "atrisk/file_action.html", context, status=status)


@login_required
@permission_required("atrisk.list_files", raise_exception=True)
def action_form(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    """The empty form for one action on a file (it posts to the action's URL)."""
    file = access_file(request.user, pk)
    if name == "sealed":
        require_perm(request.user, "atrisk.apply_sealed", file)
        return _render_action(request, file, name, f.ApplicationForm())
    makers = {action: make for action, _title, make in _actions()}
    if name not in makers:
        raise Http404
    require_perm(request.user, "atrisk.change_file", file)
    return _render_action(request, file, name, makers[name](request.user, file))


@login_required
@permission_required("atrisk.list_files", raise_exception=True)
def file_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, access_file(request.user, pk))


def _file_action(
    request: AuthedRequest,
    file: AtRiskFile,
    name: str,
    form: forms.Form,
    do: Callable[[AtRiskFile, dict[str, Any]], Any],
    done: str,
    perm: str = "atrisk.change_file",
) -> HttpResponse:
    """A POST that changes a file: check, call the service, redirect or show the errors."""
    require_perm(request.user, perm, file)
    if form.is_valid():
        try:
            do(file, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(file)
    return _render_action(request, file, name, form, status=400)


@login_required
@require_POST
@permission_required("atrisk.list_files", raise_exception=True)
def measure_add(request: AuthedRequest, pk: int) -> HttpResponse:
    file = access_file(request.user, pk)
    user = request.user
    form = f.MeasureForm(request.POST, user=user, file=file)
    return _file_action(
        request,
        file,
        "measures",
        form,
        lambda file, data: services.measure_record(actor=user, file=file, data=data),
        _("The measure was recorded."),
        perm="atrisk.record_measure",
    )


@login_required
@require_POST
@permission_required("atrisk.list_files", raise_exception=True)
def factor_add(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    return _file_action(
        request,
        access_file(request.user, pk),
        "factors",
        f.FactorForm(request.POST),
        lambda file, data: services.risk_factor_add(actor=user, file=file, **data),
        _("The risk factor was recorded."),
    )


@login_required
@require_POST
@permission_required("atrisk.list_files", raise_exception=True)
def factor_end(request: AuthedRequest, pk: int, factor_pk: int) -> HttpResponse:
    file = access_file(request.user, pk)
    require_perm(request.user, "atrisk.change_file", file)
    factor = get_object_or_404(RiskFactor.objects.current(), pk=factor_pk, file=file)
    services.risk_factor_end(actor=request.user, factor=factor)
    messages.success(request, _("The risk factor was ended."))
    return redirect(file)


@login_required
@require_POST
@permission_required("atrisk.list_files", raise_exception=True)
def contact_add(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    return _file_action(
        request,
        access_file(request.user, pk),
        "contacts",
        f.ContactForm(request.POST),
        lambda file, data: services.contact_record(actor=user, file=file, data=data),
        _("The contact was recorded."),
    )


@login_required
@require_POST
@permission_required("atrisk.list_files", raise_exception=True)
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    return _file_action(
        request,
        access_file(request.user, pk),
        "plan",
        f.PlanForm(request.POST),
        lambda file, data: services.plan_update(actor=user, file=file, data=data),
        _("The plan was saved."),
    )


@login_required
@require_POST
@permission_required("atrisk.list_files", raise_exception=True)
def review_add(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    return _file_action(
        request,
        access_file(request.user, pk),
        "reviews",
        f.ReviewForm(request.POST),
        lambda file, data: services.review_record(actor=user, file=file, summary=data["summary"]),
        _("The review was recorded."),
    )


@login_required
@require_POST
@permission_required("atrisk.list_files", raise_exception=True)
def assign(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    return _file_action(
        request,
        access_file(request.user, pk),
        "assign",
        f.AssignForm(request.POST, user=user),
        lambda file, data: services.file_assign(actor=user, file=file, worker=data["worker"]),
        _("The responsible worker was changed."),
    )


@login_required
@require_POST
@permission_required("atrisk.list_files", raise_exception=True)
def refer(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    return _file_action(
        request,
        access_file(request.user, pk),
        "refer",
        f.ReferForm(request.POST),
        lambda file, data: services.file_refer(actor=user, file=file, **data),
        _("The file was referred."),
    )


@login_required
@require_POST
@permission_required("atrisk.list_files", raise_exception=True)
def close(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    return _file_action(
        request,
        access_file(request.user, pk),
        "close",
        f.CloseForm(request.POST),
        lambda file, data: services.file_close(actor=user, file=file, **data),
        _("The file was closed."),
    )


@login_required
@require_POST
@permission_required("atrisk.list_files", raise_exception=True)
def sealed_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    return _file_action(
        request,
        access_file(request.user, pk),
        "sealed",
        f.ApplicationForm(request.POST),
        lambda file, data: services.sealed_query_apply(actor=user, file=file, **data),
        _("The application was sent to the county coordinators."),
        perm="atrisk.apply_sealed",
    )


@never_cache
@login_required
@require_POST
@permission_required("atrisk.list_files", raise_exception=True)
def reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    file = access_file(request.user, pk)
    require_perm(request.user, "atrisk.reveal_person", file)
    form = f.RevealForm(request.POST)
    value = None
    if form.is_valid():
        try:
            value = services.file_reveal(actor=request.user, file=file, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
    context = {"file": file, "form": form, "value": value, "field": form.data.get("field", "")}
    return render(request, "atrisk/reveal.html", context, status=400 if form.errors else 200)


# Events ------------------------------------------------------------------------------------


@login_required
@permission_required("atrisk.report_event", raise_exception=True)
def event_create(request: AuthedRequest) -> HttpResponse:
    """Report misconduct for one or more minors (opens their files when needed)."""
    user = request.user
    file = None
    if request.GET.get("file"):
        file = access_file(request.user, int(request.GET["file"]))
    form = f.EventForm(request.POST or None, user=user, file=file)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_record(
                actor=user, people=list(data["people"]), data=data, share_with=data["share_with"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The event was recorded."))
            first = event.files.order_by("pk").first()
            return redirect(first) if first else redirect("atrisk:list")
    return render(
        request,
        "atrisk/event_form.html",
        {"form": form, "file": file},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@permission_required("atrisk.report_event", raise_exception=True)
def event_share(request: AuthedRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk)
    form = f.ReferForm(request.POST)
    if form.is_valid():
        try:
            services.event_share(actor=request.user, event=event, unit=form.cleaned_data["unit"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The event was shared."))
    file = event.files.filter(pk__in=_files(request).values("pk")).first()
    return redirect(file) if file else redirect("atrisk:list")


def _seal_toggle(
    request: AuthedRequest, obj: MisconductEvent | Measure, seal: bool
) -> HttpResponse:
    form = f.ReasonForm(request.POST)
    if form.is_valid():
        try:
            if seal:
                services.record_seal(
                    actor=request.user, obj=obj, reason=form.cleaned_data["reason"]
                )
            else:
                services.record_unseal(
                    actor=request.user, obj=obj, reason=form.cleaned_data["reason"]
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The record was sealed.") if seal else _("The record was unsealed.")
            )
    else:
        messages.error(request, _("State the reason."))
    files = _files(request)
    file = (
        files.filter(pk=obj.file_id).first()
        if isinstance(obj, Measure)
        else files.filter(pk__in=obj.involved.values("file_id")).first()
    )
    return redirect(file) if file else redirect("atrisk:list")


@login_required
@require_POST
@permission_required("atrisk.report_event", raise_exception=True)
def event_seal(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    event = access_event(request.user, pk)
    require_perm(request.user, "atrisk.seal_record", event)
    return _seal_toggle(request, event, action == "seal")


@login_required
@require_POST
@permission_required("atrisk.report_event", raise_exception=True)
def measure_seal(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    measure = access_measure(request.user, pk)
    require_perm(request.user, "atrisk.seal_record", measure)
    return _seal_toggle(request, measure, action == "seal")


@login_required
@require_POST
@permission_required("atrisk.list_files", raise_exception=True)
def warning_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    warning = access_warning(request.user, pk)
    require_perm(request.user, "atrisk.change_file", warning.file)
    services.warning_resolve(actor=request.user, warning=warning)
    messages.success(request, _("The warning was resolved."))
    return redirect(warning.file)


# Sealed-record applications ----------------------------------------------------------------


@login_required
@permission_required("atrisk.list_files", raise_exception=True)
def sealed_list(request: AuthedRequest) -> HttpResponse:
    applications = SealedQueryApplication.objects.for_user(request.user).select_related(
        "applicant", "approver", "file"
    )
    context = {"page": paginate(request, applications), "form": f.DecisionForm()}
    return render(request, "atrisk/sealed_list.html", context)


@login_required
@require_POST
@permission_required("atrisk.decide_sealed", raise_exception=True)
def sealed_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    form = f.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.sealed_query_decide(
                actor=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("atrisk:sealed_list")
    applications = SealedQueryApplication.objects.for_user(request.user).select_related(
        "applicant", "approver", "file"
    )
    context = {"page": paginate(request, applications), "form": form, "failed": application}
    return render(request, "atrisk/sealed_list.html", context, status=400)


# Rules and export --------------------------------------------------------------------------


@login_required
@permission_required("atrisk.list_files", raise_exception=True)
def rules(request: AuthedRequest) -> HttpResponse:
    """The grading rules in force, their history and (for coordinators) a form for a new one."""
    can_manage = request.user.has_perm("atrisk.manage_rules")
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    current = services.active_rules()
    form = (
        f.RulesForm(
            request.POST or None,
            instance=GradingRuleSet(
                **{name: getattr(current, name) for name in GradingRuleSet.PARAMETERS}
            ),
        )
        if can_manage
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        data = {name: form.cleaned_data[name] for name in GradingRuleSet.PARAMETERS}
        try:
            services.ruleset_update(actor=request.user, data=data, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("A new version of the rules is in force."))
            return redirect("atrisk:rules")
    context = {
        "current": current,
        "history": GradingRuleSet.objects.select_related("created_by")[:20],
        "form": form,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "atrisk/rules.html", context, status=status)


@login_required
@permission_required("atrisk.export_files", raise_exception=True)
def export(request: AuthedRequest) -> HttpResponse:
    """Ask the purpose, then send the filtered list as .xlsx (masked; audited)."""
    filters = f.FileFilterForm(request.GET or None, user=request.user)
    files = filters.filter(_files(request))
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            content, _rows = services.file_export(
                actor=request.user, files=files, purpose=form.cleaned_data["purpose"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            name = f"atrisk-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
            protect = form.cleaned_data["protect"]
            return export_response(request, name=name, content=content, protect=protect)
    context = {"form": form, "count": files.count()}
    return render(request, "atrisk/export.html", context, status=400 if form.errors else 200)


@login_required
@permission_required("atrisk.report_event", raise_exception=True)
def file_create(request: AuthedRequest) -> HttpResponse:
    """Open a watch file for a minor with risk factors only."""
    user = request.user
    form = f.OpenFileForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            file = services.file_open(
                actor=user, person=form.cleaned_data["person"], factors=form.cleaned_data["factors"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The file was opened."))
            return redirect(file)
    return render(
        request, "atrisk/file_form.html", {"form": form}, status=400 if form.errors else 200
    )
