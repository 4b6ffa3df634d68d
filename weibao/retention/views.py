"""Retention rules, runs and impact assessments: short views over the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.kit.forms import apply_errors
from weibao.kit.pages import paginate, render_list
from weibao.retention import services
from weibao.retention.access import access_assessment, access_run
from weibao.retention.forms import AssessmentForm, RuleForm
from weibao.retention.models import ImpactAssessment, Kind, RetentionRule, RetentionRun

VIEW_RULES = "retention.view_rules"
VIEW_ASSESSMENTS = "retention.view_assessments"
MANAGE_ASSESSMENTS = "retention.manage_assessments"


@login_required
@permission_required(VIEW_RULES, raise_exception=True)
def rule_list(request: AuthedRequest) -> HttpResponse:
    rules = RetentionRule.objects.for_user(request.user).select_related("set_by")
    current = [r for r in rules if r.valid_to is None]
    history = [r for r in rules if r.valid_to is not None]
    context = {"current": current, "history": history}
    return render(request, "retention/rule_list.html", context)


@login_required
@permission_required("retention.change_rules", raise_exception=True)
def rule_change(request: AuthedRequest, kind: str) -> HttpResponse:
    if kind not in Kind.values:
        raise Http404
    current = RetentionRule.objects.for_user(request.user).current().filter(kind=kind).first()
    form = RuleForm(request.POST or None, instance=current, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_change(actor=request.user, kind=kind, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The new rule is in force; the old one is kept."))
            return redirect("retention:rule_list")
    status = 400 if form.errors else 200
    context = {"form": form, "kind_label": Kind(kind).label, "current": current}
    return render(request, "retention/rule_form.html", context, status=status)


@login_required
@permission_required(VIEW_RULES, raise_exception=True)
def run_list(request: AuthedRequest) -> HttpResponse:
    runs = RetentionRun.objects.for_user(request.user).select_related("started_by")
    context = {"page": paginate(request, runs)}
    return render_list(request, "retention/run_list.html", "retention/_run_table.html", context)


@login_required
@permission_required(VIEW_RULES, raise_exception=True)
def run_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    run = access_run(request.user, pk)
    return render(request, "retention/run_detail.html", {"run": run})


@login_required
@require_POST
@permission_required("retention.preview", raise_exception=True)
def run_preview(request: AuthedRequest) -> HttpResponse:
    run = services.retention_preview(actor=request.user)
    messages.success(request, _("Dry run done: nothing was changed."))
    return redirect(run)


@login_required
@permission_required(VIEW_ASSESSMENTS, raise_exception=True)
def pia_list(request: AuthedRequest) -> HttpResponse:
    assessments = ImpactAssessment.objects.for_user(request.user)
    context = {"page": paginate(request, assessments)}
    return render_list(request, "retention/pia_list.html", "retention/_pia_table.html", context)


@login_required
@permission_required(VIEW_ASSESSMENTS, raise_exception=True)
def pia_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = access_assessment(request.user, pk)
    return render(request, "retention/pia_detail.html", {"assessment": assessment})


@login_required
@permission_required(MANAGE_ASSESSMENTS, raise_exception=True)
def pia_create(request: AuthedRequest) -> HttpResponse:
    return _pia_form(request, None)


@login_required
@permission_required(MANAGE_ASSESSMENTS, raise_exception=True)
def pia_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _pia_form(request, access_assessment(request.user, pk))


def _pia_form(request: AuthedRequest, assessment: ImpactAssessment | None) -> HttpResponse:
    form = AssessmentForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            if assessment is None:
                saved = services.assessment_create(actor=request.user, data=form.cleaned_data)
            else:
                saved = services.assessment_update(
                    actor=request.user, assessment=assessment, data=form.cleaned_data
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The impact assessment was saved."))
            return redirect(saved)
    status = 400 if form.errors else 200
    context = {"form": form, "assessment": assessment}
    return render(request, "retention/pia_form.html", context, status=status)


@login_required
@require_POST
@permission_required(MANAGE_ASSESSMENTS, raise_exception=True)
def pia_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = access_assessment(request.user, pk)
    try:
        services.assessment_delete(actor=request.user, assessment=assessment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(assessment)
    messages.success(request, _("The impact assessment was deleted."))
    return redirect("retention:pia_list")
