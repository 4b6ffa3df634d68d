"""Law-education pages: sessions, their import, coverage, terms and topics, the case library."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.core.forms import AttachmentForm
from weibao.core.imports import import_errors, import_page
from weibao.core.models import Attachment
from weibao.core.services import attachment_store
from weibao.education import coverage as coverage_module
from weibao.education import services
from weibao.education.access import access_case, access_session, access_term, access_topic
from weibao.education.forms import (
    CaseDecisionForm,
    CaseFilterForm,
    CaseForm,
    CoverageFilterForm,
    CoverageRuleForm,
    ExportForm,
    SessionFileForm,
    SessionFilterForm,
    SessionForm,
    SessionImportForm,
    TermForm,
    TopicForm,
)
from weibao.education.models import Session, TeachingCase, Term, Topic
from weibao.kit import spreadsheets
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import download, paginate, render_list

IMPORT_ERRORS_SESSION_KEY = "education_import_errors"


def _status(form: Any) -> int:
    return 400 if form.errors else 200


# Sessions --------------------------------------------------------------------------------------


@login_required
@permission_required("education.view_sessions", raise_exception=True)
def session_list(request: AuthedRequest) -> HttpResponse:
    form = SessionFilterForm(request.GET or None, user=request.user)
    sessions = form.filter(Session.objects.for_user(request.user))
    sessions = sessions.select_related(
        "school__organisation", "division", "speaker_unit"
    ).prefetch_related("topics")
    context = {"form": form, "page": paginate(request, sessions), "today": timezone.localdate()}
    return render_list(
        request, "education/session_list.html", "education/_session_table.html", context
    )


@login_required
@permission_required("education.add_session", raise_exception=True)
def session_create(request: AuthedRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The session was recorded."))
            return redirect(session)
    return render(request, "education/session_form.html", {"form": form}, status=_status(form))


def _render_session(request: AuthedRequest, session: Session, upload: Any = None) -> HttpResponse:
    can_change = request.user.has_perm("education.change_session", session)
    context = {
        "session": session,
        "topics": session.topics.all(),
        "cases": TeachingCase.objects.for_user(request.user).filter(sessions=session),
        "attachments": Attachment.objects.for_owner(session).order_by("created_at"),
        "can_change": can_change,
        "upload_form": upload or (SessionFileForm() if can_change else None),
    }
    status = 400 if upload is not None and upload.errors else 200
    return render(request, "education/session_detail.html", context, status=status)


@login_required
@permission_required("education.view_sessions", raise_exception=True)
def session_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_session(request, access_session(request.user, pk))


@login_required
@permission_required("education.view_sessions", raise_exception=True)
def session_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    session = access_session(request.user, pk)
    require_perm(request.user, "education.change_session", session)
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=request.user, session=session, data=form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(session)
    context = {"form": form, "session": session}
    return render(request, "education/session_form.html", context, status=_status(form))


@login_required
@require_POST
@permission_required("education.view_sessions", raise_exception=True)
def session_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    session = access_session(request.user, pk)
    require_perm(request.user, "education.change_session", session)
    services.session_delete(actor=request.user, session=session)
    messages.success(request, _("The session was deleted."))
    return redirect("education:session_list")


@login_required
@require_POST
@permission_required("education.view_sessions", raise_exception=True)
def session_attach(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a photo or the sign-in sheet."""
    session = access_session(request.user, pk)
    require_perm(request.user, "education.change_session", session)
    form = SessionFileForm(request.POST, request.FILES)
    if form.is_valid():
        attachment_store(actor=request.user, upload=form.cleaned_data["file"], owner=session)
        messages.success(request, _("The file was attached."))
        return redirect(session)
    return _render_session(request, session, upload=form)


@login_required
@permission_required("education.import_sessions", raise_exception=True)
def session_import(request: AuthedRequest) -> HttpResponse:
    """Upload a term's sessions of one school; on errors show them all (nothing is written)."""
    return import_page(
        request,
        SessionImportForm(request.POST or None, request.FILES or None, user=request.user),
        run=lambda data: services.sessions_import(
            actor=request.user, upload=data["file"], term=data["term"], school=data["school"]
        ),
        done=lambda report: _("%(n)d sessions were imported.") % {"n": report.created},
        template="education/session_import.html",
        errors_key=IMPORT_ERRORS_SESSION_KEY,
    )


@login_required
@permission_required("education.import_sessions", raise_exception=True)
def session_import_errors(request: AuthedRequest) -> HttpResponse:
    return import_errors(
        request,
        errors_key=IMPORT_ERRORS_SESSION_KEY,
        filename="session-import-errors.xlsx",
        back="education:session_import",
    )


@login_required
@permission_required("education.import_sessions", raise_exception=True)
def session_template(request: AuthedRequest) -> HttpResponse:
    return download(
        services.sessions_template(),
        "law-education-sessions-template.xlsx",
        spreadsheets.XLSX_CONTENT_TYPE,
    )


# Coverage --------------------------------------------------------------------------------------


@login_required
@permission_required("education.view_coverage", raise_exception=True)
def coverage(request: AuthedRequest) -> HttpResponse:
    form = CoverageFilterForm(request.GET or None)
    term, filters = form.chosen()
    report = coverage_module.coverage_report(term, filters) if term is not None else None
    context = {
        "form": form,
        "report": report,
        "option": coverage_module.chart_option(report) if report else None,
        "query": request.GET.urlencode(),
    }
    return render(request, "education/coverage.html", context, status=_status(form))


@login_required
@permission_required("education.export_coverage", raise_exception=True)
def coverage_export(request: AuthedRequest) -> HttpResponse:
    """Ask the purpose, then download the coverage (the page's filters, from the query)."""
    filter_form = CoverageFilterForm(request.GET or None)
    term, filters = filter_form.chosen()
    if term is None:
        messages.error(request, _("Choose a term first."))
        return redirect("education:coverage")
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = coverage_module.coverage_report(term, filters)
        try:
            content = coverage_module.coverage_export(
                actor=request.user, report=report, purpose=form.cleaned_data["purpose"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return download(
                content,
                f"law-education-coverage-{timezone.localdate():%Y%m%d}.xlsx",
                spreadsheets.XLSX_CONTENT_TYPE,
            )
    context = {"form": form, "term": term, "query": request.GET.urlencode()}
    return render(request, "education/coverage_export.html", context, status=_status(form))


# Terms, the coverage rule and topics -------------------------------------------------------------


@login_required
@permission_required("education.view_coverage", raise_exception=True)
def term_list(request: AuthedRequest) -> HttpResponse:
    can_manage = request.user.has_perm("education.manage_terms")
    form = TermForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require_perm(request.user, "education.manage_terms")
        assert form is not None
        if form.is_valid():
            try:
                services.term_create(actor=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The term was added."))
                return redirect("education:term_list")
    terms = Term.objects.prefetch_related("rules__set_by")
    context = {"terms": terms, "form": form, "can_manage": can_manage}
    return render(request, "education/terms.html", context, status=_status(form) if form else 200)


@login_required
@permission_required("education.manage_terms", raise_exception=True)
def term_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    term = access_term(request.user, pk)
    form = TermForm(request.POST or None, instance=term)
    rule = term.rule
    rule_form = CoverageRuleForm(
        initial={
            "min_pupil_sessions": rule.min_pupil_sessions,
            "min_parent_sessions": rule.min_parent_sessions,
            "kindergarten_parent_sessions": rule.kindergarten_parent_sessions,
        }
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.term_update(actor=request.user, term=term, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("education:term_list")
    context = {"form": form, "term": term, "rule_form": rule_form}
    return render(request, "education/term_form.html", context, status=_status(form))


@login_required
@require_POST
@permission_required("education.manage_terms", raise_exception=True)
def rule_set(request: AuthedRequest, pk: int) -> HttpResponse:
    term = access_term(request.user, pk)
    rule_form = CoverageRuleForm(request.POST)
    if rule_form.is_valid():
        try:
            services.coverage_rule_set(actor=request.user, term=term, data=rule_form.cleaned_data)
        except ValidationError as exc:
            apply_errors(rule_form, exc)
        else:
            messages.success(request, _("The coverage rule was saved."))
            return redirect("education:term_list")
    context = {"form": TermForm(instance=term), "term": term, "rule_form": rule_form}
    return render(request, "education/term_form.html", context, status=400)


@login_required
@permission_required("education.view_sessions", raise_exception=True)
def topic_list(request: AuthedRequest) -> HttpResponse:
    can_manage = request.user.has_perm("education.manage_topics")
    form = TopicForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require_perm(request.user, "education.manage_topics")
        assert form is not None
        if form.is_valid():
            try:
                services.topic_create(actor=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The topic was added."))
                return redirect("education:topic_list")
    context = {"topics": Topic.objects.all(), "form": form, "can_manage": can_manage}
    return render(request, "education/topics.html", context, status=_status(form) if form else 200)


@login_required
@permission_required("education.manage_topics", raise_exception=True)
def topic_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    topic = access_topic(request.user, pk)
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_update(actor=request.user, topic=topic, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("education:topic_list")
    context = {"form": form, "topic": topic}
    return render(request, "education/topic_form.html", context, status=_status(form))


# The case library ------------------------------------------------------------------------------


@login_required
@permission_required("education.view_cases", raise_exception=True)
def case_list(request: AuthedRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    cases = form.filter(TeachingCase.objects.for_user(request.user))
    cases = cases.select_related("proposing_unit").prefetch_related("topics")
    context = {"form": form, "page": paginate(request, cases)}
    return render_list(request, "education/case_list.html", "education/_case_table.html", context)


def _case_form_response(
    request: AuthedRequest, form: CaseForm, case: TeachingCase | None, warnings: list[str]
) -> HttpResponse:
    context = {"form": form, "case": case, "warnings": warnings}
    return render(request, "education/case_form.html", context, status=_status(form))


@login_required
@permission_required("education.propose_case", raise_exception=True)
def case_create(request: AuthedRequest) -> HttpResponse:
    form = CaseForm(request.POST or None)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_propose(
                actor=request.user,
                data=form.service_data(),
                confirmed=form.cleaned_data["confirm"],
            )
        except services.PrivacyWarning as exc:
            warnings = exc.report.warning_messages
            apply_errors(form, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The case was proposed; a county coordinator reviews it."))
            return redirect(case)
    return _case_form_response(request, form, None, warnings)


def _render_case(request: AuthedRequest, case: TeachingCase, **forms: Any) -> HttpResponse:
    can_change = request.user.has_perm("education.change_case", case)
    can_decide = (
        request.user.has_perm("education.approve_case", case)
        and case.status == TeachingCase.Status.PROPOSED
    )
    context = {
        "case": case,
        "topics": case.topics.all(),
        "attachments": Attachment.objects.for_owner(case).order_by("created_at"),
        "can_change": can_change,
        "upload_form": forms.get("upload_form") or (AttachmentForm() if can_change else None),
        "decision_form": forms.get("decision_form") or (CaseDecisionForm() if can_decide else None),
    }
    return render(request, "education/case_detail.html", context, status=400 if forms else 200)


@login_required
@permission_required("education.view_cases", raise_exception=True)
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_case(request, access_case(request.user, pk))


@login_required
@permission_required("education.view_cases", raise_exception=True)
def case_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    require_perm(request.user, "education.change_case", case)
    form = CaseForm(request.POST or None, instance=case)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                actor=request.user,
                case=case,
                data=form.service_data(),
                confirmed=form.cleaned_data["confirm"],
            )
        except services.PrivacyWarning as exc:
            warnings = exc.report.warning_messages
            apply_errors(form, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(case)
    return _case_form_response(request, form, case, warnings)


@login_required
@require_POST
@permission_required("education.view_cases", raise_exception=True)
def case_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    require_perm(request.user, "education.approve_case", case)
    form = CaseDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.case_decide(
                actor=request.user,
                case=case,
                publish=form.cleaned_data["publish"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect(case)
    return _render_case(request, case, decision_form=form)


@login_required
@require_POST
@permission_required("education.view_cases", raise_exception=True)
def case_attach(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    require_perm(request.user, "education.change_case", case)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        attachment_store(actor=request.user, upload=form.cleaned_data["file"], owner=case)
        messages.success(request, _("The file was attached."))
        return redirect(case)
    return _render_case(request, case, upload_form=form)
