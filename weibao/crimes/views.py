"""The register's pages: the case list with its filters, a case, the case form (with its suspects
and victims), the import and the export, and the buttons that send a minor suspect to the at-risk
database and refer a minor victim to casework."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.core.imports import ImportForm, import_errors, import_page
from weibao.core.views import export_response
from weibao.crimes import services
from weibao.crimes.access import access_case, access_suspect, access_victim
from weibao.crimes.forms import (
    CaseFilterForm,
    CaseForm,
    SuspectFormSet,
    VictimFormSet,
    case_initial,
    filled,
)
from weibao.crimes.models import Case, CriminalCaseQuerySet, Decision, Suspect, Victim
from weibao.kit import spreadsheets
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import download, paginate, render_list

IMPORT_ERRORS_SESSION_KEY = "crimes_import_errors"


def _listed(request: AuthedRequest) -> tuple[CaseFilterForm, CriminalCaseQuerySet]:
    form = CaseFilterForm(request.GET or None, user=request.user)
    cases = form.filter(Case.objects.for_user(request.user))
    return form, cases


@login_required
@permission_required("crimes.view_cases", raise_exception=True)
def case_list(request: AuthedRequest) -> HttpResponse:
    form, cases = _listed(request)
    cases = cases.select_related("division__parent")
    page = paginate(request, cases.order_by("-offence_date", "-pk"))
    _with_counts(page)
    context = {
        "form": form,
        "page": page,
        "query": request.GET.urlencode(),
        "keeps": request.user.has_perm("crimes.keep_cases"),
    }
    return render_list(request, "crimes/case_list.html", "crimes/_case_table.html", context)


def _with_counts(cases: Any) -> None:
    """Each listed case's minor suspects and victims: two grouped queries over the page's rows."""
    ids = [case.pk for case in cases]

    def counts(rows: Any) -> dict[int, int]:
        grouped = rows.filter(case_id__in=ids).values("case").annotate(n=Count("pk"))
        return dict(grouped.values_list("case", "n"))

    suspects = counts(Suspect.objects.filter(minor=True))
    victims = counts(Victim.objects.filter(minor=True))
    for case in cases:
        case.minor_suspects = suspects.get(case.pk, 0)
        case.minor_victims = victims.get(case.pk, 0)


@login_required
@permission_required("crimes.view_cases", raise_exception=True)
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    services.case_view(actor=request.user, case=case)
    suspects = case.suspects.select_related("person", "atrisk_measure").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.order_by("decided_on"))
    )
    context = {
        "case": case,
        "suspects": suspects,
        "victims": case.victims.select_related("person", "referral"),
        "keeps": request.user.has_perm("crimes.keep_case", case),
        "atrisk": request.user.has_perm("atrisk.report_event"),
    }
    return render(request, "crimes/case_detail.html", context)


def _apply_row_errors(exc: ValidationError, form: CaseForm, formsets: dict[str, Any]) -> None:
    """A service's errors on the case form, or on the row of the formset they name."""
    top: dict[str, list[Any]] = {}
    for key, errors in exc.error_dict.items():
        prefix, _dash, rest = key.partition("-")
        if prefix in formsets and rest:
            index, _dash, name = rest.partition("-")
            rows = formsets[prefix].forms
            if index.isdigit() and int(index) < len(rows):
                row = rows[int(index)]
                row.add_error(name if name in row.fields else None, errors)
                continue
        top[key] = errors
    if top:
        apply_errors(form, ValidationError(top))


def _rows_index(formset: Any) -> list[int]:
    """The positions of the filled rows in the formset (the service counts only those)."""
    return [i for i, f in enumerate(formset.forms) if f.has_changed() and f.cleaned_data]


def _renumber(exc: ValidationError, formsets: dict[str, Any]) -> ValidationError:
    """Map the service's row numbers (of filled rows) back to the formsets' positions."""
    positions = {name: _rows_index(fs) for name, fs in formsets.items()}
    mapped: dict[str, Any] = {}
    for key, errors in exc.error_dict.items():
        prefix, _dash, rest = key.partition("-")
        index, _dash, name = rest.partition("-")
        if prefix in positions and index.isdigit() and int(index) < len(positions[prefix]):
            key = f"{prefix}-{positions[prefix][int(index)]}-{name}"
        mapped[key] = errors
    return ValidationError(mapped)


def _case_form(request: AuthedRequest, case: Case | None) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {}
    suspects: list[dict[str, Any]] = []
    victims: list[dict[str, Any]] = []
    if case is not None:
        data = services.case_data(case)
        initial = case_initial(case, data)
        suspects = [{**s, "person": getattr(s["person"], "pk", None)} for s in data["suspects"]]
        victims = [{**v, "person": getattr(v["person"], "pk", None)} for v in data["victims"]]
    post = request.POST if request.method == "POST" else None
    form = CaseForm(post, user=user, initial=initial)
    kwargs: dict[str, Any] = {"form_kwargs": {"user": user}}
    formsets: dict[str, Any] = {
        "suspects": SuspectFormSet(post, prefix="suspects", initial=suspects, **kwargs),
        "victims": VictimFormSet(post, prefix="victims", initial=victims, **kwargs),
    }
    if post is not None and form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
        data = {
            **form.cleaned_data,
            "suspects": filled(formsets["suspects"]),
            "victims": filled(formsets["victims"]),
        }
        try:
            if case is None:
                case = services.case_create(actor=user, data=data)
            else:
                services.case_update(actor=user, case=case, data=data)
        except ValidationError as exc:
            _apply_row_errors(_renumber(exc, formsets), form, formsets)
        else:
            messages.success(request, _("The case was saved."))
            return redirect(case)
    failed = post is not None
    context = {"form": form, "case": case, **formsets}
    return render(request, "crimes/case_form.html", context, status=400 if failed else 200)


@login_required
@permission_required("crimes.keep_cases", raise_exception=True)
def case_create(request: AuthedRequest) -> HttpResponse:
    return _case_form(request, None)


@login_required
@permission_required("crimes.view_cases", raise_exception=True)
def case_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    require_perm(request.user, "crimes.keep_case", case)
    return _case_form(request, case)


@login_required
@require_POST
def suspect_send(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send a minor suspect of the register to the at-risk database (a T4 measure)."""
    suspect: Suspect = access_suspect(request.user, pk)
    try:
        services.suspect_send_to_atrisk(actor=request.user, suspect=suspect)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The suspect is on the at-risk database (T4)."))
    return redirect(suspect.case)


@login_required
@require_POST
def victim_refer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Refer a minor victim of the register to civil affairs for relief and judicial aid."""
    victim = access_victim(request.user, pk)
    try:
        services.victim_refer(actor=request.user, victim=victim)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The victim was referred to civil affairs."))
    return redirect(victim.case)


@login_required
@permission_required("crimes.view_cases", raise_exception=True)
def case_export(request: AuthedRequest) -> HttpResponse:
    """The listed cases (with the list's filters) as Excel, in the import's columns."""
    _form, cases = _listed(request)
    content = services.cases_export(actor=request.user, among=cases)
    name = f"criminal-cases-{timezone.localdate():%Y%m%d}.xlsx"
    return export_response(request, name=name, content=content)


@login_required
@permission_required("crimes.keep_cases", raise_exception=True)
def case_template(request: AuthedRequest) -> HttpResponse:
    return download(
        services.cases_template(), "criminal-cases-template.xlsx", spreadsheets.XLSX_CONTENT_TYPE
    )


@login_required
@permission_required("crimes.keep_cases", raise_exception=True)
def case_import(request: AuthedRequest) -> HttpResponse:
    """Upload the case system's export; on errors show them all (nothing is written)."""
    return import_page(
        request,
        ImportForm(request.POST or None, request.FILES or None),
        run=lambda data: services.cases_import(actor=request.user, upload=data["file"]),
        done=lambda report: _("The cases were imported."),
        template="crimes/case_import.html",
        errors_key=IMPORT_ERRORS_SESSION_KEY,
    )


@login_required
@permission_required("crimes.keep_cases", raise_exception=True)
def case_import_errors(request: AuthedRequest) -> HttpResponse:
    return import_errors(
        request,
        errors_key=IMPORT_ERRORS_SESSION_KEY,
        filename="criminal-cases-import-errors.xlsx",
        back="crimes:case_import",
    )
