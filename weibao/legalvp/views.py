"""Legal vice-principal pages: the list, an appointment, its forms, the letter, the summary and
the coverage."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.core.forms import ExportForm
from weibao.core.views import export_response
from weibao.kit.documents import DOCX_CONTENT_TYPE, chinese_date
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import download, paginate, render_list
from weibao.legalvp import services
from weibao.legalvp.access import access_appointment, access_duty
from weibao.legalvp.forms import (
    AppointmentFilterForm,
    AppointmentForm,
    DutyRecordForm,
    EndForm,
    EvaluationForm,
    RenewForm,
    YearForm,
)
from weibao.legalvp.models import (
    ENDING_SOON_DAYS,
    MIN_LAW_HOURS,
    Appointment,
    AppointmentSchool,
    DutyRecord,
    Evaluation,
)


def _schools_prefetch() -> Prefetch:
    return Prefetch(
        "school_links", queryset=AppointmentSchool.objects.select_related("school__organisation")
    )


def _filename(appointment: Appointment, suffix: str) -> str:
    return f"legalvp-letter-{appointment.serial_year}-{appointment.serial_no}.{suffix}"


# Appointments ----------------------------------------------------------------------------------


@login_required
@permission_required("legalvp.view_legalvp", raise_exception=True)
def appointment_list(request: AuthedRequest) -> HttpResponse:
    year = timezone.localdate().year
    form = AppointmentFilterForm(request.GET or None)
    appointments = Appointment.objects.for_user(request.user).with_law_hours(year)
    appointments = form.filter(appointments).select_related("person", "sending_unit")
    appointments = appointments.prefetch_related(_schools_prefetch())
    context = {
        "form": form,
        "page": paginate(request, appointments),
        "year": year,
        "minimum": MIN_LAW_HOURS,
    }
    return render_list(request, "legalvp/appointment_list.html", "legalvp/_table.html", context)


@login_required
@permission_required("legalvp.manage_appointments", raise_exception=True)
def appointment_create(request: AuthedRequest) -> HttpResponse:
    form = AppointmentForm(
        request.POST or None,
        initial={"appointing_unit": request.user.organisation_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The legal vice-principal was appointed."))
            return redirect(appointment)
    status = 400 if form.errors else 200
    context = {"form": form, "title": _("Appoint a legal vice-principal")}
    return render(request, "legalvp/form.html", context, status=status)


def _render_detail(request: AuthedRequest, appointment: Appointment, **forms: Any) -> HttpResponse:
    user = request.user
    year = timezone.localdate().year
    can_record = user.has_perm("legalvp.add_dutyrecord", appointment)
    can_evaluate = user.has_perm("legalvp.evaluate", appointment)
    context = {
        "appointment": appointment,
        "school_links": appointment.school_links.select_related("school__organisation"),
        "duties": DutyRecord.objects.for_user(user)
        .filter(appointment=appointment)
        .select_related("school__organisation"),
        "evaluations": Evaluation.objects.for_user(user)
        .filter(appointment=appointment)
        .select_related("school__organisation"),
        "law_hours": services.law_education_hours(appointment, year),
        "minimum": MIN_LAW_HOURS,
        "year": year,
        "can_manage": user.has_perm("legalvp.manage_appointments"),
        "can_record": can_record,
        "can_evaluate": can_evaluate,
        "duty_form": forms.get("duty_form")
        or (DutyRecordForm(appointment=appointment) if can_record else None),
        "evaluation_form": forms.get("evaluation_form")
        or (EvaluationForm(appointment=appointment, user=user) if can_evaluate else None),
        "renewal": Appointment.objects.filter(renewed_from=appointment).first(),
    }
    return render(request, "legalvp/appointment_detail.html", context, status=400 if forms else 200)


@login_required
@permission_required("legalvp.view_legalvp", raise_exception=True)
def appointment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, access_appointment(request.user, pk))


@login_required
@permission_required("legalvp.manage_appointments", raise_exception=True)
def appointment_renew(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = access_appointment(request.user, pk)
    form = RenewForm(request.POST or None, appointment=appointment)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.appointment_renew(
                actor=request.user,
                appointment=appointment,
                term_start=form.cleaned_data["term_start"],
                term_end=form.cleaned_data["term_end"],
                schools=list(form.cleaned_data["schools"]),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The appointment was renewed."))
            return redirect(new)
    context = {"form": form, "appointment": appointment, "title": _("Renew the appointment")}
    return render(request, "legalvp/form.html", context, status=400 if form.errors else 200)


@login_required
@permission_required("legalvp.manage_appointments", raise_exception=True)
def appointment_end(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = access_appointment(request.user, pk)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_end(
                actor=request.user,
                appointment=appointment,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The appointment was ended."))
            return redirect(appointment)
    context = {"form": form, "appointment": appointment, "title": _("End the appointment")}
    return render(request, "legalvp/form.html", context, status=400 if form.errors else 200)


# The letter ------------------------------------------------------------------------------------


@login_required
@permission_required("legalvp.view_legalvp", raise_exception=True)
def letter_download(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = access_appointment(request.user, pk)
    content = services.letter_download(actor=request.user, appointment=appointment)
    return download(content, _filename(appointment, "docx"), DOCX_CONTENT_TYPE)


@login_required
@permission_required("legalvp.view_legalvp", raise_exception=True)
def letter_print(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = access_appointment(request.user, pk)
    document = services.letter_document(appointment)
    context = {
        "appointment": appointment,
        "document": document,
        "issued_on": chinese_date(document.issued_on),
    }
    return render(request, "legalvp/letter_print.html", context)


# Duty records ----------------------------------------------------------------------------------


@login_required
@require_POST
@permission_required("legalvp.view_legalvp", raise_exception=True)
def duty_add(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = access_appointment(request.user, pk)
    require_perm(request.user, "legalvp.add_dutyrecord", appointment)
    form = DutyRecordForm(request.POST, appointment=appointment)
    if form.is_valid():
        try:
            services.duty_record_add(
                actor=request.user, appointment=appointment, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The duty was recorded."))
            return redirect(appointment)
    return _render_detail(request, appointment, duty_form=form)


def _session_owned(request: AuthedRequest, duty: DutyRecord) -> HttpResponse | None:
    """A duty entered by a law-education session is changed through that session only, so
    the two never disagree; send the user there instead."""
    session = getattr(duty, "law_session", None)
    if session is None:
        return None
    messages.error(request, _("This duty comes from a law-education session: edit the session."))
    return redirect(session)


@login_required
@permission_required("legalvp.view_legalvp", raise_exception=True)
def duty_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    duty = access_duty(request.user, pk)
    require_perm(request.user, "legalvp.add_dutyrecord", duty.appointment)
    if (elsewhere := _session_owned(request, duty)) is not None:
        return elsewhere
    form = DutyRecordForm(request.POST or None, appointment=duty.appointment, instance=duty)
    if request.method == "POST" and form.is_valid():
        try:
            services.duty_record_update(actor=request.user, duty=duty, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(duty.appointment)
    context = {"form": form, "appointment": duty.appointment, "duty": duty,
               "title": _("Edit the duty record")}  # fmt: skip
    return render(request, "legalvp/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
@permission_required("legalvp.view_legalvp", raise_exception=True)
def duty_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    duty = access_duty(request.user, pk)
    require_perm(request.user, "legalvp.add_dutyrecord", duty.appointment)
    if (elsewhere := _session_owned(request, duty)) is not None:
        return elsewhere
    appointment = duty.appointment
    services.duty_record_delete(actor=request.user, duty=duty)
    messages.success(request, _("The duty record was deleted."))
    return redirect(appointment)


# Evaluations -----------------------------------------------------------------------------------


@login_required
@require_POST
@permission_required("legalvp.view_legalvp", raise_exception=True)
def evaluation_set(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = access_appointment(request.user, pk)
    require_perm(request.user, "legalvp.evaluate", appointment)
    form = EvaluationForm(request.POST, appointment=appointment, user=request.user)
    if form.is_valid():
        try:
            services.evaluation_set(actor=request.user, appointment=appointment,
                                    **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The evaluation was saved."))
            return redirect(appointment)
    return _render_detail(request, appointment, evaluation_form=form)


# Summary and coverage --------------------------------------------------------------------------


def _year(request: AuthedRequest) -> tuple[YearForm, int]:
    form = YearForm(request.GET or None, initial={"year": timezone.localdate().year})
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    return form, year


@login_required
@permission_required("legalvp.view_summary", raise_exception=True)
def summary(request: AuthedRequest) -> HttpResponse:
    form, year = _year(request)
    context = {
        "form": form,
        "year": year,
        "rows": services.yearly_summary(year),
        "grades": Evaluation.Grade.choices,
    }
    return render(request, "legalvp/summary.html", context)


@login_required
@permission_required("legalvp.view_summary", raise_exception=True)
def summary_export(request: AuthedRequest) -> HttpResponse:
    year = _year(request)[1]
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            content = services.summary_export(
                actor=request.user, year=year, purpose=form.cleaned_data["purpose"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            name = f"legalvp-summary-{year}.xlsx"
            protect = form.cleaned_data["protect"]
            return export_response(request, name=name, content=content, protect=protect)
    context = {"form": form, "year": year, "title": _("Export the yearly summary")}
    return render(request, "legalvp/form.html", context, status=400 if form.errors else 200)


def _township(school: Any) -> str:
    division = school.organisation.division
    return str(division.parent.name if division.level > 4 and division.parent else division.name)


@login_required
@permission_required("legalvp.view_coverage", raise_exception=True)
def coverage(request: AuthedRequest) -> HttpResponse:
    uncovered = sorted(
        services.schools_without_appointment(),
        key=lambda s: (s.organisation.division.code, s.organisation.name),
    )
    groups = [(name, list(items)) for name, items in groupby(uncovered, key=_township)]
    ending = (
        Appointment.objects.for_user(request.user)
        .ending_within(ENDING_SOON_DAYS)
        .select_related("person", "sending_unit")
        .prefetch_related(_schools_prefetch())
        .order_by("term_end", "id")
    )
    context = {
        "groups": groups,
        "uncovered_count": len(uncovered),
        "ending": ending,
        "days": ENDING_SOON_DAYS,
    }
    return render(request, "legalvp/coverage.html", context)
