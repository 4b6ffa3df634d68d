"""Casework pages: reports, referrals, supervision, suggestions, orders to guardians, settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.atrisk.models import AtRiskFile
from weibao.casework import forms, services
from weibao.casework.access import (
    access_case,
    access_followup,
    access_order,
    access_referral,
    access_suggestion,
    access_supervision,
)
from weibao.casework.models import (
    Case,
    CaseworkSettings,
    GuardianOrder,
    Referral,
    Suggestion,
    Supervision,
)
from weibao.casework.policy import may_see_investigation, may_see_reporter
from weibao.core.views import export_response
from weibao.kit.access import fetch
from weibao.kit.documents import DOCX_CONTENT_TYPE
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import paginate, render_list

# Reports -----------------------------------------------------------------------------------------


@login_required
@permission_required("casework.view_cases", raise_exception=True)
def case_list(request: AuthedRequest) -> HttpResponse:
    cases = Case.objects.for_user(request.user).select_related(
        "reporting_unit", "police_unit", "child"
    )
    status = request.GET.get("status", "")
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    if request.GET.get("urgent"):
        cases = cases.filter(urgent=True)
    context = {"page": paginate(request, cases), "statuses": Case.Status.choices, "status": status}
    return render_list(request, "casework/case_list.html", "casework/_case_table.html", context)


@login_required
@permission_required("casework.file_report", raise_exception=True)
def case_create(request: AuthedRequest) -> HttpResponse:
    form = forms.ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case, _created = services.report_file(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The report was filed and sent to the police."))
            return redirect(case)
    status = 400 if form.errors else 200
    return render(request, "casework/case_form.html", {"form": form}, status=status)


def _render_case(
    request: AuthedRequest, case: Case, status: int = 200, **forms_: Any
) -> HttpResponse:
    user = request.user
    shows_reporter = may_see_reporter(user, case)
    services.case_view(actor=user, case=case, reporter_shown=shows_reporter)
    handles = user.has_perm("casework.handle_case", case)
    context = {
        "case": case,
        "show_reporter": shows_reporter,
        "show_investigation": may_see_investigation(user, case),
        "handles": handles,
        "timeline": case.timeline.select_related("unit"),
        "referrals": Referral.objects.for_user(user).filter(case=case).select_related("to_unit"),
        "late_reports": case.late_reports.select_related("unit")
        if user.has_perm("casework.record_late_report")
        else [],
        "decide_form": forms_.get("decide_form") or (forms.DecideForm() if handles else None),
        "feedback_form": forms_.get("feedback_form")
        or (forms.FeedbackForm(initial={"feedback": case.feedback}) if handles else None),
        "late_form": forms_.get("late_form")
        or (forms.LateReportForm() if user.has_perm("casework.record_late_report") else None),
        "supervision_form": forms_.get("supervision_form")
        or (forms.SupervisionForm() if user.has_perm("casework.supervise") else None),
        "can_refer": user.has_perm("casework.refer_case", case),
    }
    return render(request, "casework/case_detail.html", context, status=status)


@login_required
@permission_required("casework.view_cases", raise_exception=True)
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_case(request, access_case(request.user, pk))


@login_required
@require_POST
def case_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    require_perm(request.user, "casework.handle_case", case)
    try:
        services.case_accept(actor=request.user, case=case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report was accepted."))
    return redirect(case)


@login_required
@require_POST
def case_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    require_perm(request.user, "casework.handle_case", case)
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        try:
            services.case_decide(actor=request.user, case=case, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect(case)
    return _render_case(request, case, status=400, decide_form=form)


@login_required
@require_POST
def case_feedback(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    require_perm(request.user, "casework.handle_case", case)
    form = forms.FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.case_feedback(
                actor=request.user, case=case, text=form.cleaned_data["feedback"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The feedback was sent to the reporting unit."))
            return redirect(case)
    return _render_case(request, case, status=400, feedback_form=form)


@login_required
@require_POST
def case_late_report(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    require_perm(request.user, "casework.record_late_report")
    form = forms.LateReportForm(request.POST)
    if form.is_valid():
        try:
            services.late_report_record(actor=request.user, case=case, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The late or missing report was recorded."))
            return redirect(case)
    return _render_case(request, case, status=400, late_form=form)


@login_required
@require_POST
def case_supervise(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    require_perm(request.user, "casework.supervise")
    form = forms.SupervisionForm(request.POST)
    if form.is_valid():
        try:
            services.supervision_open(actor=request.user, data={**form.cleaned_data, "case": case})
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The report is on the supervision list."))
            return redirect(case)
    return _render_case(request, case, status=400, supervision_form=form)


def _referral_form(
    request: AuthedRequest, subject: dict[str, Any], back: str, label: str
) -> HttpResponse:
    form = forms.ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral, _created = services.referral_create(
                actor=request.user, data={**form.cleaned_data, **subject}
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The referral was sent."))
            return redirect(referral)
    context = {"form": form, "back": back, "subject": label}
    return render(
        request, "casework/referral_form.html", context, status=400 if form.errors else 200
    )


@login_required
def case_refer(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    require_perm(request.user, "casework.refer_case", case)
    return _referral_form(request, {"case": case}, case.get_absolute_url(), str(case))


@login_required
def atrisk_refer(request: AuthedRequest, file_pk: int) -> HttpResponse:
    """Refer an at-risk file: anyone who may write and sees the file."""
    user = request.user
    file = fetch(AtRiskFile.objects.for_user(user), file_pk, user=user)
    require_perm(request.user, "casework.file_report")  # can_write
    return _referral_form(request, {"atrisk_file": file}, file.get_absolute_url(), str(file))


# Referrals ---------------------------------------------------------------------------------------


@login_required
@permission_required("casework.view_referrals", raise_exception=True)
def referral_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    referrals = Referral.objects.for_user(user).select_related("from_unit", "to_unit", "case")
    box = request.GET.get("box", "")
    if box == "in":
        referrals = referrals.filter(to_unit__in=user.scope.org_ids)
    elif box == "out":
        referrals = referrals.filter(from_unit__in=user.scope.org_ids)
    if request.GET.get("open"):
        referrals = referrals.open()
    context = {"page": paginate(request, referrals), "box": box}
    return render_list(
        request, "casework/referral_list.html", "casework/_referral_table.html", context
    )


def _render_referral(
    request: AuthedRequest, referral: Referral, status: int = 200, **forms_: Any
) -> HttpResponse:
    user = request.user
    services.record_referral_view(actor=user, referral=referral)
    responds = user.has_perm("casework.respond_referral", referral)
    context = {
        "referral": referral,
        "responds": responds,
        # The sender and those who see the case get its link; the receiver only the request.
        "case_link": referral.case is not None
        and user.has_perm("casework.view_case", referral.case),
        "timeline": referral.timeline.select_related("unit"),
        "decline_form": forms_.get("decline_form") or forms.DeclineForm(),
        "close_form": forms_.get("close_form") or forms.CloseReferralForm(),
        "supervision_form": forms_.get("supervision_form")
        or (forms.SupervisionForm() if user.has_perm("casework.supervise") else None),
    }
    return render(request, "casework/referral_detail.html", context, status=status)


@login_required
@permission_required("casework.view_referrals", raise_exception=True)
def referral_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_referral(request, access_referral(request.user, pk))


@login_required
@require_POST
def referral_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = access_referral(request.user, pk)
    require_perm(request.user, "casework.respond_referral", referral)
    try:
        services.referral_accept(actor=request.user, referral=referral)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(referral)


@login_required
@require_POST
def referral_decline(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = access_referral(request.user, pk)
    require_perm(request.user, "casework.respond_referral", referral)
    form = forms.DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.referral_decline(
                actor=request.user, referral=referral, reason=form.cleaned_data["decline_reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(referral)
    return _render_referral(request, referral, status=400, decline_form=form)


@login_required
@require_POST
def referral_close(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = access_referral(request.user, pk)
    require_perm(request.user, "casework.respond_referral", referral)
    form = forms.CloseReferralForm(request.POST)
    if form.is_valid():
        try:
            services.referral_close(
                actor=request.user, referral=referral, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(referral)
    return _render_referral(request, referral, status=400, close_form=form)


@login_required
@require_POST
def referral_supervise(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = access_referral(request.user, pk)
    require_perm(request.user, "casework.supervise")
    form = forms.SupervisionForm(request.POST)
    if form.is_valid():
        try:
            services.supervision_open(
                actor=request.user, data={**form.cleaned_data, "referral": referral}
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(referral)
    return _render_referral(request, referral, status=400, supervision_form=form)


# Supervision -------------------------------------------------------------------------------------


@login_required
@permission_required("casework.view_supervision", raise_exception=True)
def supervision_list(request: AuthedRequest) -> HttpResponse:
    items = Supervision.objects.for_user(request.user).select_related("case", "referral__to_unit")
    if not request.GET.get("all"):
        items = items.open()
    context = {"page": paginate(request, items), "close_form": forms.SupervisionCloseForm()}
    return render_list(
        request, "casework/supervision_list.html", "casework/_supervision_table.html", context
    )


@login_required
@require_POST
def supervision_close(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access_supervision(request.user, pk)
    require_perm(request.user, "casework.supervise")
    form = forms.SupervisionCloseForm(request.POST)
    form.is_valid()
    try:
        services.supervision_close(
            actor=request.user, item=item, note=form.cleaned_data.get("closing_note", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("casework:supervision_list")


# Suggestions -------------------------------------------------------------------------------------


@login_required
@permission_required("casework.view_suggestions", raise_exception=True)
def suggestion_list(request: AuthedRequest) -> HttpResponse:
    suggestions = Suggestion.objects.for_user(request.user).select_related("issuer", "unit")
    context = {"page": paginate(request, suggestions)}
    return render_list(
        request, "casework/suggestion_list.html", "casework/_suggestion_table.html", context
    )


@login_required
@permission_required("casework.issue_suggestion", raise_exception=True)
def suggestion_create(request: AuthedRequest) -> HttpResponse:
    form = forms.SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = services.suggestion_issue(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The suggestion was issued."))
            return redirect(suggestion)
    status = 400 if form.errors else 200
    return render(request, "casework/suggestion_form.html", {"form": form}, status=status)


def _render_suggestion(
    request: AuthedRequest, suggestion: Suggestion, status: int = 200, **forms_: Any
) -> HttpResponse:
    user = request.user
    services.record_view(actor=user, obj=suggestion, label=suggestion.number)
    can_reply = user.has_perm("casework.reply_suggestion", suggestion)
    can_assess = user.has_perm("casework.assess_suggestion", suggestion)
    context = {
        "s": suggestion,
        "reply_form": forms_.get("reply_form")
        or (forms.ReplyForm() if can_reply and not suggestion.assessed_at else None),
        "assess_form": forms_.get("assess_form")
        or (forms.AssessForm() if can_assess and suggestion.replied_at else None),
    }
    return render(request, "casework/suggestion_detail.html", context, status=status)


@login_required
@permission_required("casework.view_suggestions", raise_exception=True)
def suggestion_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_suggestion(request, access_suggestion(request.user, pk))


@login_required
@require_POST
def suggestion_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    suggestion = access_suggestion(request.user, pk)
    require_perm(request.user, "casework.reply_suggestion", suggestion)
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_reply(
                actor=request.user, suggestion=suggestion, data=form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(suggestion)
    return _render_suggestion(request, suggestion, status=400, reply_form=form)


@login_required
@require_POST
def suggestion_assess(request: AuthedRequest, pk: int) -> HttpResponse:
    suggestion = access_suggestion(request.user, pk)
    require_perm(request.user, "casework.assess_suggestion", suggestion)
    form = forms.AssessForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_assess(
                actor=request.user, suggestion=suggestion, data=form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(suggestion)
    return _render_suggestion(request, suggestion, status=400, assess_form=form)


@login_required
def suggestion_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    suggestion = access_suggestion(request.user, pk)
    content = services.suggestion_document(actor=request.user, suggestion=suggestion)
    name = f"suggestion-{suggestion.year}-{suggestion.serial}.docx"
    return export_response(request, name=name, content=content, content_type=DOCX_CONTENT_TYPE)


@login_required
def suggestion_print(request: AuthedRequest, pk: int) -> HttpResponse:
    suggestion = access_suggestion(request.user, pk)
    services.record_view(actor=request.user, obj=suggestion, label=suggestion.number, via="print")
    return render(request, "casework/suggestion_print.html", {"s": suggestion})


# Orders to guardians -----------------------------------------------------------------------------


@login_required
@permission_required("casework.view_orders", raise_exception=True)
def order_list(request: AuthedRequest) -> HttpResponse:
    orders = GuardianOrder.objects.for_user(request.user).select_related("issuer", "child")
    context = {"page": paginate(request, orders)}
    return render_list(request, "casework/order_list.html", "casework/_order_table.html", context)


@login_required
@permission_required("casework.issue_order", raise_exception=True)
def order_create(request: AuthedRequest) -> HttpResponse:
    form = forms.OrderForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.guardian_order_issue(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The order was issued."))
            return redirect(order)
    status = 400 if form.errors else 200
    return render(request, "casework/order_form.html", {"form": form}, status=status)


def _render_order(
    request: AuthedRequest, order: GuardianOrder, status: int = 200, form: Any = None
) -> HttpResponse:
    user = request.user
    services.record_view(actor=user, obj=order, label=order.number)
    can_follow = user.has_perm("casework.record_followup", order)
    context = {
        "order": order,
        "followups": order.followups.all(),
        "followup_form": form or (forms.FollowUpForm() if can_follow else None),
        "bad_followup": form is not None,
    }
    return render(request, "casework/order_detail.html", context, status=status)


@login_required
@permission_required("casework.view_orders", raise_exception=True)
def order_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_order(request, access_order(request.user, pk))


@login_required
@require_POST
def followup_record(request: AuthedRequest, pk: int, followup_pk: int) -> HttpResponse:
    order = access_order(request.user, pk)
    require_perm(request.user, "casework.record_followup", order)
    followup = access_followup(request.user, order, followup_pk)
    form = forms.FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.followup_record(actor=request.user, followup=followup, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(order)
    return _render_order(request, order, status=400, form=form)


@login_required
def order_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk)
    content = services.order_document(actor=request.user, order=order)
    name = f"order-{order.year}-{order.serial}.docx"
    return export_response(request, name=name, content=content, content_type=DOCX_CONTENT_TYPE)


@login_required
def order_print(request: AuthedRequest, pk: int) -> HttpResponse:
    order = access_order(request.user, pk)
    services.record_view(actor=request.user, obj=order, label=order.number, via="print")
    context = {"order": order, "title": services.ORDER_TITLES[GuardianOrder.Kind(order.kind)]}
    return render(request, "casework/order_print.html", context)


# Settings ----------------------------------------------------------------------------------------


@login_required
@permission_required("casework.change_settings", raise_exception=True)
def settings_edit(request: AuthedRequest) -> HttpResponse:
    limits = CaseworkSettings.current()
    form = forms.SettingsForm(request.POST or None, instance=limits)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The time limits were saved."))
            return redirect("casework:settings")
    status = 400 if form.errors else 200
    return render(request, "casework/settings_form.html", {"form": form}, status=status)
