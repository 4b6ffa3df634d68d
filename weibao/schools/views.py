"""School pages: the list, a school's page and forms, liaisons, import, export and coverage."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.core.forms import ExportForm
from weibao.core.imports import import_errors, import_page
from weibao.core.views import export_response
from weibao.kit import spreadsheets
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import download, paginate, render_list
from weibao.schools import services
from weibao.schools.access import access_appointment, access_school
from weibao.schools.forms import (
    LiaisonAppointForm,
    SchoolFilterForm,
    SchoolForm,
    SchoolImportForm,
)
from weibao.schools.models import LiaisonAppointment, School

# Where a failed import's errors wait for the "download the errors" link.
IMPORT_ERRORS_SESSION_KEY = "schools_import_errors"


@login_required
@permission_required("schools.list_schools", raise_exception=True)
def school_list(request: AuthedRequest) -> HttpResponse:
    form = SchoolFilterForm(request.GET or None)
    schools = form.filter(services.with_liaisons(School.objects.for_user(request.user)))
    context = {"form": form, "page": paginate(request, schools)}
    return render_list(request, "schools/school_list.html", "schools/_school_table.html", context)


@login_required
@permission_required("schools.add_school", raise_exception=True)
def school_create(request: AuthedRequest) -> HttpResponse:
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.school_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The school was added."))
            return redirect(school)
    status = 400 if form.errors else 200
    return render(request, "schools/school_form.html", {"form": form}, status=status)


@login_required
@permission_required("schools.view_school", raise_exception=True)
def school_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    school = access_school(request.user, pk)
    history = school.liaisons.select_related("user", "appointed_by").order_by("-started_on", "-id")
    active = {a.position: a for a in history if a.is_active}
    context = {
        "school": school,
        "main": active.get(LiaisonAppointment.Position.MAIN),
        "deputy": active.get(LiaisonAppointment.Position.DEPUTY),
        "history": history,
        "can_change": request.user.has_perm("schools.change_school", school),
        "can_close": request.user.has_perm("schools.close_school", school)
        and school.closed_on is None,
        "can_appoint": request.user.has_perm("schools.appoint_liaison", school)
        and school.closed_on is None,
    }
    return render(request, "schools/school_detail.html", context)


@login_required
@permission_required("schools.view_school", raise_exception=True)
def school_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    school = access_school(request.user, pk)
    require_perm(request.user, "schools.change_school", school)
    contact_only = not request.user.has_perm("schools.change_school_record", school)
    form = SchoolForm(request.POST or None, school=school, contact_only=contact_only)
    if request.method == "POST" and form.is_valid():
        try:
            services.school_update(actor=request.user, school=school, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(school)
    context = {"form": form, "school": school, "contact_only": contact_only}
    return render(request, "schools/school_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
@permission_required("schools.view_school", raise_exception=True)
def school_close(request: AuthedRequest, pk: int) -> HttpResponse:
    school = access_school(request.user, pk)
    require_perm(request.user, "schools.close_school", school)
    try:
        services.school_close(actor=request.user, school=school)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The school was marked closed; its liaisons' terms ended."))
    return redirect(school)


@login_required
@permission_required("schools.view_school", raise_exception=True)
def liaison_appoint(request: AuthedRequest, pk: int) -> HttpResponse:
    school = access_school(request.user, pk)
    require_perm(request.user, "schools.appoint_liaison", school)
    initial = {"position": request.GET.get("position") or LiaisonAppointment.Position.MAIN}
    form = LiaisonAppointForm(request.POST or None, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.liaison_appoint(
                actor=request.user,
                school=school,
                user=form.cleaned_data["user"],
                position=form.cleaned_data["position"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The liaison was appointed."))
            return redirect(school)
    context = {"form": form, "school": school}
    return render(
        request, "schools/liaison_appoint.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
@permission_required("schools.view_school", raise_exception=True)
def liaison_end(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = access_appointment(request.user, pk)
    require_perm(request.user, "schools.appoint_liaison", appointment)
    try:
        services.liaison_end(actor=request.user, appointment=appointment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The liaison's term was ended."))
    return redirect(appointment.school)


@login_required
@permission_required("schools.view_coverage", raise_exception=True)
def coverage(request: AuthedRequest) -> HttpResponse:
    townships, total = services.coverage_by_township()
    return render(request, "schools/coverage.html", {"townships": townships, "total": total})


@login_required
@permission_required("schools.import_schools", raise_exception=True)
def school_import(request: AuthedRequest) -> HttpResponse:
    """Upload the list; on errors show them all (nothing is written), else the counts."""
    return import_page(
        request,
        SchoolImportForm(request.POST or None, request.FILES or None),
        run=lambda data: services.schools_import(actor=request.user, upload=data["file"]),
        done=lambda report: _("The school list was imported."),
        template="schools/school_import.html",
        errors_key=IMPORT_ERRORS_SESSION_KEY,
    )


@login_required
@permission_required("schools.import_schools", raise_exception=True)
def school_import_errors(request: AuthedRequest) -> HttpResponse:
    """The last failed import's errors, as a sheet to fix the file by."""
    return import_errors(
        request,
        errors_key=IMPORT_ERRORS_SESSION_KEY,
        filename="school-import-errors.xlsx",
        back="schools:import",
    )


@login_required
@permission_required("schools.import_schools", raise_exception=True)
def school_template(request: AuthedRequest) -> HttpResponse:
    return download(
        services.schools_template(), "school-list-template.xlsx", spreadsheets.XLSX_CONTENT_TYPE
    )


@login_required
@permission_required("schools.export_schools", raise_exception=True)
def school_export(request: AuthedRequest) -> HttpResponse:
    """Ask the purpose, then download the list (in the import's columns)."""
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        content = services.schools_export(actor=request.user, purpose=form.cleaned_data["purpose"])
        name = f"schools-{timezone.localdate():%Y%m%d}.xlsx"
        return export_response(
            request, name=name, content=content, protect=form.cleaned_data["protect"]
        )
    status = 400 if form.errors else 200
    return render(request, "schools/school_export.html", {"form": form}, status=status)
