"""Staff checks pages: rosters and their uploads, check requests and results, the register's
possible matches for the police, and the compliance page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.core.views import export_response
from weibao.kit import documents, spreadsheets
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import download, paginate, render_list
from weibao.staffchecks import services
from weibao.staffchecks.access import (
    access_batch,
    access_item,
    access_match,
    access_staff,
    access_unit,
    access_upload,
)
from weibao.staffchecks.forms import (
    ActionForm,
    BatchForm,
    ConfirmForm,
    PurposeForm,
    SpreadsheetForm,
    StaffForm,
)
from weibao.staffchecks.models import (
    CheckBatch,
    CheckItem,
    OffenderRecord,
    RegisterImport,
    RosterUpload,
    StaffMember,
    units_for_user,
)

DOCX = documents.DOCX_CONTENT_TYPE


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.has_perm("staffchecks.view_staffchecks"):
        if units_for_user(user).filter(pk=user.organisation_id).exists():
            return redirect("staffchecks:roster", user.organisation_id)
        return redirect("staffchecks:batch_list")
    if user.has_perm("staffchecks.view_register"):
        return redirect("staffchecks:register")
    raise PermissionDenied


# Rosters ------------------------------------------------------------------------------------


@login_required
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def roster(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = access_unit(request.user, unit_id)
    staff = StaffMember.objects.for_user(request.user).filter(unit=unit)
    status = request.GET.get("status", "active")
    if status in StaffMember.Status.values:
        staff = staff.filter(status=status)
    context = {
        "unit": unit,
        "status": status,
        "page": paginate(request, staff.select_related("person")),
        "can_manage": request.user.has_perm("staffchecks.manage_roster", unit),
        "can_request": request.user.has_perm("staffchecks.request_check", unit),
        "upload_form": SpreadsheetForm(),
        "staff_form": StaffForm(),
        "uploads": RosterUpload.objects.filter(unit=unit)[:5],
    }
    return render_list(
        request, "staffchecks/roster.html", "staffchecks/_roster_table.html", context
    )


@login_required
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def roster_template(request: AuthedRequest, unit_id: int) -> HttpResponse:
    access_unit(request.user, unit_id)
    content = spreadsheets.template_bytes(_("Staff roster"), services.ROSTER_COLUMNS)
    return download(content, "staff-roster-template.xlsx", spreadsheets.XLSX_CONTENT_TYPE)


@login_required
@require_POST
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def roster_upload(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = access_unit(request.user, unit_id)
    require_perm(request.user, "staffchecks.manage_roster", unit)
    form = SpreadsheetForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            upload = services.roster_upload(
                actor=request.user, unit=unit, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(upload)
    context = {"unit": unit, "form": form}
    return render(request, "staffchecks/upload_form.html", context, status=400)


@login_required
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def staff_add(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = access_unit(request.user, unit_id)
    require_perm(request.user, "staffchecks.manage_roster", unit)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_add(actor=request.user, unit=unit, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The person was added to the roster."))
            return redirect("staffchecks:roster", unit.pk)
    status = 400 if form.errors else 200
    return render(
        request, "staffchecks/staff_form.html", {"unit": unit, "form": form}, status=status
    )


@login_required
@require_POST
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def staff_left(request: AuthedRequest, pk: int) -> HttpResponse:
    staff = access_staff(request.user, pk)
    require_perm(request.user, "staffchecks.manage_roster", staff.unit)
    try:
        services.staff_mark_left(actor=request.user, staff=staff)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The person was marked as having left."))
    return redirect("staffchecks:roster", staff.unit_id)


@login_required
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def upload_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    upload = access_upload(request.user, pk)
    context = {
        "upload": upload,
        "can_manage": request.user.has_perm("staffchecks.manage_roster", upload.unit),
        "more_errors": max(0, upload.bad_rows and len(upload.errors) - services.STORED_ERRORS),
    }
    return render(request, "staffchecks/upload_detail.html", context)


@login_required
@require_POST
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def upload_import(request: AuthedRequest, pk: int) -> HttpResponse:
    upload = access_upload(request.user, pk)
    require_perm(request.user, "staffchecks.manage_roster", upload.unit)
    try:
        count = services.roster_upload_import(actor=request.user, roster=upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(upload)
    messages.success(request, _("%(n)d people were added to the roster.") % {"n": count})
    return redirect("staffchecks:roster", upload.unit_id)


@login_required
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def upload_errors(request: AuthedRequest, pk: int) -> HttpResponse:
    upload = access_upload(request.user, pk)
    require_perm(request.user, "staffchecks.manage_roster", upload.unit)
    content = services.roster_upload_errors_bytes(actor=request.user, roster=upload)
    name = f"roster-rows-to-fix-{upload.pk}.xlsx"
    return export_response(request, name=name, content=content)


# Check requests and results ------------------------------------------------------------------


@login_required
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def batch_list(request: AuthedRequest) -> HttpResponse:
    batches = CheckBatch.objects.for_user(request.user).select_related("unit")
    context = {
        "page": paginate(request, batches),
        "can_request_all": request.user.has_perm("staffchecks.request_all"),
        "year": timezone.localdate().year,
    }
    return render_list(
        request, "staffchecks/batch_list.html", "staffchecks/_batch_table.html", context
    )


@login_required
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def batch_create(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = access_unit(request.user, unit_id)
    require_perm(request.user, "staffchecks.request_check", unit)
    form = BatchForm(request.POST or None, request.FILES or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(
                actor=request.user,
                unit=unit,
                kind=form.cleaned_data["kind"],
                consent_confirmed=form.cleaned_data["consent_confirmed"],
                consent_note=form.cleaned_data["consent_note"],
                staff=form.cleaned_data["staff"],
                applicants=form.cleaned_data.get("file"),
            )
        except services.RegisterFileError as exc:
            apply_errors(form, exc)
            return render(
                request,
                "staffchecks/batch_form.html",
                {"unit": unit, "form": form, "row_errors": exc.row_errors},
                status=400,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The check request was created; run it when ready."))
            return redirect(batch)
    status = 400 if form.errors else 200
    return render(
        request, "staffchecks/batch_form.html", {"unit": unit, "form": form}, status=status
    )


@login_required
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def batch_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = access_batch(request.user, pk)
    services.batch_view(actor=request.user, batch=batch)
    items = batch.items.select_related("staff")
    context = {
        "batch": batch,
        "page": paginate(request, items, per_page=50),
        "can_run": request.user.has_perm("staffchecks.request_check", batch)
        and batch.status == CheckBatch.Status.OPEN,
        "can_act": request.user.has_perm("staffchecks.record_action", batch),
        "action_form": ActionForm(),
        "upload_form": SpreadsheetForm(),
    }
    return render_list(
        request, "staffchecks/batch_detail.html", "staffchecks/_item_table.html", context
    )


@login_required
@require_POST
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def batch_run(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = access_batch(request.user, pk)
    require_perm(request.user, "staffchecks.request_check", batch)
    try:
        job = services.batches_run_start(actor=request.user, batches=[batch])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(batch)
    return redirect("core:job_detail", job.pk)


@login_required
@require_POST
@permission_required("staffchecks.request_all", raise_exception=True)
def annual_run_all(request: AuthedRequest) -> HttpResponse:
    """One click: open this year's annual re-check where missing, and run every open one the
    user oversees, as one job."""
    user = request.user
    year = timezone.localdate().year
    services.annual_open_all(year=year, actor=user)
    units = units_for_user(user)
    batches = list(
        CheckBatch.objects.filter(
            unit__in=units, kind=CheckBatch.Kind.ANNUAL, year=year, status=CheckBatch.Status.OPEN
        ).select_related("unit")
    )
    try:
        job = services.batches_run_start(actor=user, batches=batches)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("staffchecks:batch_list")
    return redirect("core:job_detail", job.pk)


@login_required
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def batch_letter(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = access_batch(request.user, pk)
    content = services.batch_letter(actor=request.user, batch=batch)
    name = f"check-result-{batch.pk}.docx"
    return export_response(request, name=name, content=content, content_type=DOCX)


@login_required
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def item_letter(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access_item(request.user, pk)
    content = services.batch_letter(actor=request.user, batch=item.batch, item=item)
    name = f"check-result-{item.pk}.docx"
    return export_response(request, name=name, content=content, content_type=DOCX)


@login_required
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def batch_print(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = access_batch(request.user, pk)
    services.batch_view(actor=request.user, batch=batch, via="print")
    doc = services.letter_document(batch)
    return render(request, "staffchecks/letter_print.html", {"batch": batch, "doc": doc})


@login_required
@require_POST
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def batch_national(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = access_batch(request.user, pk)
    require_perm(request.user, "staffchecks.request_check", batch)
    form = SpreadsheetForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = services.national_results_enter(
                actor=request.user, batch=batch, upload=form.cleaned_data["file"]
            )
        except services.RegisterFileError as exc:
            messages.error(request, " ".join(exc.messages))
            for error in exc.row_errors[:50]:
                messages.error(request, str(error))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)d results were entered.") % {"n": count})
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(batch)


@login_required
@require_POST
@permission_required("staffchecks.view_staffchecks", raise_exception=True)
def item_action(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access_item(request.user, pk)
    require_perm(request.user, "staffchecks.record_action", item)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.item_record_action(
                actor=request.user, item=item, action=form.cleaned_data["action"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The action was recorded."))
    else:
        messages.error(request, _("Choose the action taken."))
    return redirect(item.batch)


# The register and possible matches -----------------------------------------------------------


@login_required
@permission_required("staffchecks.view_register", raise_exception=True)
def register(request: AuthedRequest) -> HttpResponse:
    form = SpreadsheetForm(request.POST or None, request.FILES or None)
    row_errors: list[spreadsheets.RowError] = []
    if request.method == "POST":
        require_perm(request.user, "staffchecks.import_register")
        if form.is_valid():
            try:
                batch = services.register_import(
                    actor=request.user, upload=form.cleaned_data["file"]
                )
            except services.RegisterFileError as exc:
                apply_errors(form, exc)
                row_errors = exc.row_errors
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("%(n)d register records were imported.") % {"n": batch.rows}
                )
                return redirect("staffchecks:register")
    context = {
        "form": form,
        "row_errors": row_errors[:200],
        "more_errors": max(0, len(row_errors) - 200),
        "imports": RegisterImport.objects.for_user(request.user).select_related(
            "organisation", "imported_by"
        )[:20],
        "records": OffenderRecord.objects.for_user(request.user).count(),
        "pending": CheckItem.objects.possible_for_police(request.user).count(),
    }
    return render(request, "staffchecks/register.html", context, status=400 if form.errors else 200)


@login_required
@permission_required("staffchecks.view_register", raise_exception=True)
def register_template(request: AuthedRequest) -> HttpResponse:
    content = spreadsheets.template_bytes(_("Register"), services.REGISTER_COLUMNS)
    return download(content, "register-template.xlsx", spreadsheets.XLSX_CONTENT_TYPE)


@login_required
@permission_required("staffchecks.confirm_match", raise_exception=True)
def matches(request: AuthedRequest) -> HttpResponse:
    items = CheckItem.objects.possible_for_police(request.user).select_related(
        "batch__unit", "matched_record"
    )
    page = paginate(request, items)
    services.matches_view(actor=request.user, items=page)
    context = {"page": page, "form": ConfirmForm()}
    return render_list(
        request, "staffchecks/matches.html", "staffchecks/_match_table.html", context
    )


@login_required
@require_POST
@permission_required("staffchecks.confirm_match", raise_exception=True)
def match_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access_match(request.user, pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.item_confirm(
                actor=request.user,
                item=item,
                barred=form.cleaned_data["decision"] == "barred",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The decision was recorded and the unit told."))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("staffchecks:matches")


# Compliance --------------------------------------------------------------------------------


@login_required
@permission_required("staffchecks.view_compliance", raise_exception=True)
def compliance(request: AuthedRequest) -> HttpResponse:
    data = services.compliance(user=request.user)
    context = {"data": data, "form": PurposeForm()}
    return render(request, "staffchecks/compliance.html", context)


@login_required
@require_POST
@permission_required("staffchecks.export_compliance", raise_exception=True)
def compliance_export(request: AuthedRequest) -> HttpResponse:
    form = PurposeForm(request.POST)
    if form.is_valid():
        try:
            content = services.compliance_export(
                actor=request.user, purpose=form.cleaned_data["purpose"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return download(
                content,
                f"staff-checks-compliance-{timezone.localdate()}.xlsx",
                spreadsheets.XLSX_CONTENT_TYPE,
            )
    data = services.compliance(user=request.user)
    return render(request, "staffchecks/compliance.html", {"data": data, "form": form}, status=400)
