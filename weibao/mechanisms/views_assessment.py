"""The yearly assessment's pages: the schemes, a scheme with its items and its table (the
provisional totals, or the ranking once published; a unit sees its own line only), a unit's
sheet with each item's points and where they came from, the forms of the self-assessment, the
review and the changes after publication, and the report in Word and Excel."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.core.models import Attachment
from weibao.kit import documents
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import download, paginate
from weibao.kit.spreadsheets import XLSX_CONTENT_TYPE
from weibao.mechanisms.access import access_result, access_scheme, access_score
from weibao.mechanisms.forms import (
    ItemForm,
    ReviewForm,
    SchemeForm,
    ScoreChangeForm,
    SelfAssessForm,
)
from weibao.mechanisms.models import Item, Result, Scheme, Score
from weibao.mechanisms.services import assessment as services
from weibao.mechanisms.unitfigures import UNIT_FIGURES


def _status(form: Any) -> int:
    return 400 if form.errors else 200


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


# Schemes -----------------------------------------------------------------------------------------


@login_required
@permission_required("mechanisms.view_assessment", raise_exception=True)
def scheme_list(request: AuthedRequest) -> HttpResponse:
    schemes = Scheme.objects.annotate(item_count=Count("items")).order_by("-year")
    context = {
        "page": paginate(request, schemes),
        "can_manage": request.user.has_perm("mechanisms.review_assessment"),
    }
    return render(request, "mechanisms/scheme_list.html", context)


@login_required
@permission_required("mechanisms.review_assessment", raise_exception=True)
def scheme_create(request: AuthedRequest) -> HttpResponse:
    form = SchemeForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The assessment scheme was created."))
            return redirect(scheme)
    return render(request, "mechanisms/scheme_form.html", {"form": form}, status=_status(form))


@login_required
@permission_required("mechanisms.review_assessment", raise_exception=True)
def scheme_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    scheme = access_scheme(request.user, pk)
    form = SchemeForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_update(actor=request.user, scheme=scheme, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The assessment scheme was saved."))
            return redirect(scheme)
    context = {"form": form, "scheme": scheme}
    return render(request, "mechanisms/scheme_form.html", context, status=_status(form))


@login_required
@permission_required("mechanisms.view_assessment", raise_exception=True)
def scheme(request: AuthedRequest, pk: int) -> HttpResponse:
    scheme = access_scheme(request.user, pk)
    user = request.user
    results = (
        Result.objects.for_user(user)
        .filter(scheme=scheme)
        .select_related("unit")
        .order_by("rank", "-total", "unit__name", "pk")
    )
    can_manage = user.has_perm("mechanisms.review_assessment", scheme)
    weights = services.weights_total(scheme)
    context = {
        "scheme": scheme,
        "items": scheme.items.select_related("plan_item"),
        "page": paginate(request, results),
        "published": scheme.state == Scheme.State.PUBLISHED,
        "can_manage": can_manage,
        "can_publish": user.has_perm("mechanisms.publish_assessment", scheme),
        "weights": weights,
        "weights_wrong": weights != services.FULL_WEIGHTS,
        "figures": {code: f.label for code, f in UNIT_FIGURES.items()},
    }
    return render(request, "mechanisms/scheme_detail.html", context)


def _editable(request: AuthedRequest, scheme: Scheme) -> None:
    require_perm(request.user, "mechanisms.review_assessment", scheme)


@login_required
@permission_required("mechanisms.review_assessment", raise_exception=True)
def item_add(request: AuthedRequest, pk: int) -> HttpResponse:
    scheme = access_scheme(request.user, pk)
    _editable(request, scheme)
    form = ItemForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_add(actor=request.user, scheme=scheme, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The item was added."))
            return redirect(scheme)
    context = {"form": form, "scheme": scheme}
    return render(request, "mechanisms/scheme_item_form.html", context, status=_status(form))


def _item(scheme: Scheme, number: int) -> Item:
    return get_object_or_404(scheme.items.select_related("scheme"), number=number)


@login_required
@permission_required("mechanisms.review_assessment", raise_exception=True)
def item_edit(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    scheme = access_scheme(request.user, pk)
    _editable(request, scheme)
    item = _item(scheme, number)
    form = ItemForm(request.POST or None, scheme=scheme, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.user, item=item, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The item was saved."))
            return redirect(scheme)
    context = {"form": form, "scheme": scheme, "item": item}
    return render(request, "mechanisms/scheme_item_form.html", context, status=_status(form))


@login_required
@require_POST
@permission_required("mechanisms.review_assessment", raise_exception=True)
def item_remove(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    scheme = access_scheme(request.user, pk)
    item = _item(scheme, number)
    try:
        services.item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("The item was removed."))
    return redirect(scheme)


@login_required
@require_POST
@permission_required("mechanisms.review_assessment", raise_exception=True)
def scheme_compute(request: AuthedRequest, pk: int) -> HttpResponse:
    scheme = access_scheme(request.user, pk)
    require_perm(request.user, "mechanisms.review_assessment", scheme)
    if scheme.state == Scheme.State.PUBLISHED:
        messages.error(request, _("The assessment is published: it can no longer change."))
    else:
        count = services.scores_compute(scheme=scheme)
        messages.success(request, _("%(n)d scores were computed.") % {"n": count})
    return redirect(scheme)


@login_required
@require_POST
@permission_required("mechanisms.publish_assessment", raise_exception=True)
def scheme_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    scheme = access_scheme(request.user, pk)
    try:
        services.scheme_publish(actor=request.user, scheme=scheme)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("The assessment was published."))
    return redirect(scheme)


# A unit's sheet ----------------------------------------------------------------------------------


def _sheet(result: Result) -> list[Score]:
    """The unit's scores on the scheme's items, with their changes and evidence."""
    scores = list(
        Score.objects.filter(item__scheme_id=result.scheme_id, unit_id=result.unit_id)
        .select_related("item")
        .prefetch_related("changes__changed_by")
        .order_by("item__number")
    )
    kind = ContentType.objects.get_for_model(Score)
    files: dict[str, list[Attachment]] = defaultdict(list)
    for attachment in Attachment.objects.filter(
        owner_type=kind, owner_id__in=[str(s.pk) for s in scores]
    ).order_by("pk"):
        files[attachment.owner_id].append(attachment)
    for score in scores:
        score.evidence = files.get(str(score.pk), [])  # type: ignore[attr-defined]
        figure = UNIT_FIGURES.get(str(score.source.get("figure", "")))
        score.figure_label = figure.label if figure else ""  # type: ignore[attr-defined]
    return scores


@login_required
@permission_required("mechanisms.view_assessment", raise_exception=True)
def result(request: AuthedRequest, pk: int) -> HttpResponse:
    result = access_result(request.user, pk)
    user = request.user
    open_ = result.scheme.state != Scheme.State.PUBLISHED
    context = {
        "result": result,
        "scheme": result.scheme,
        "scores": _sheet(result),
        "published": not open_,
        "can_self": open_ and user.has_perm("mechanisms.self_assess", result),
        "can_review": open_ and user.has_perm("mechanisms.review_assessment", result.scheme),
        "can_change": not open_ and user.has_perm("mechanisms.publish_assessment", result.scheme),
    }
    return render(request, "mechanisms/result_detail.html", context)


@login_required
@require_POST
@permission_required("mechanisms.view_assessment", raise_exception=True)
def result_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    result = access_result(request.user, pk)
    try:
        services.self_submit(actor=request.user, result=result)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Your self-assessment was submitted to the lead agency."))
    return redirect("mechanisms:result", pk=result.pk)


def _result_of(request: AuthedRequest, score: Score) -> Result:
    found = services.result_of(score)
    if found is None:
        raise Http404
    return access_result(request.user, found.pk)


@login_required
@permission_required("mechanisms.view_assessment", raise_exception=True)
def score_self(request: AuthedRequest, pk: int) -> HttpResponse:
    score = access_score(request.user, pk)
    result = _result_of(request, score)
    require_perm(request.user, "mechanisms.self_assess", result)
    initial = {"points": score.self_points, "note": score.self_note}
    form = SelfAssessForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_self_assess(
                actor=request.user,
                score=score,
                points=form.cleaned_data["points"],
                note=form.cleaned_data["note"],
                files=request.FILES.getlist("evidence"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your self-assessment was saved."))
            return redirect("mechanisms:result", pk=result.pk)
    context = {"form": form, "score": score, "result": result, "title": _("Self-assessment")}
    return render(request, "mechanisms/score_form.html", context, status=_status(form))


@login_required
@permission_required("mechanisms.review_assessment", raise_exception=True)
def score_review(request: AuthedRequest, pk: int) -> HttpResponse:
    score = access_score(request.user, pk)
    result = _result_of(request, score)
    baseline = score.self_points if score.self_points is not None else score.computed
    initial: dict[str, Any] = {"points": score.points if score.points is not None else baseline}
    initial["reason"] = score.reason
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_review(
                actor=request.user,
                score=score,
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The reviewed points were saved."))
            return redirect("mechanisms:result", pk=result.pk)
    context = {"form": form, "score": score, "result": result, "title": _("Review")}
    return render(request, "mechanisms/score_form.html", context, status=_status(form))


@login_required
@permission_required("mechanisms.publish_assessment", raise_exception=True)
def score_change(request: AuthedRequest, pk: int) -> HttpResponse:
    score = access_score(request.user, pk)
    result = _result_of(request, score)
    form = ScoreChangeForm(request.POST or None, initial={"points": score.final})
    if request.method == "POST" and form.is_valid():
        try:
            services.score_change(
                actor=request.user,
                score=score,
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The published score was changed, with its reason."))
            return redirect("mechanisms:result", pk=result.pk)
    context = {
        "form": form,
        "score": score,
        "result": result,
        "title": _("Change a published score"),
    }
    return render(request, "mechanisms/score_form.html", context, status=_status(form))


# The report --------------------------------------------------------------------------------------


@login_required
@permission_required("mechanisms.review_assessment", raise_exception=True)
def scheme_report_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    scheme = access_scheme(request.user, pk)
    content = services.report_docx(actor=request.user, scheme=scheme)
    return download(content, f"assessment-{scheme.year}.docx", documents.DOCX_CONTENT_TYPE)


@login_required
@permission_required("mechanisms.review_assessment", raise_exception=True)
def scheme_report_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    scheme = access_scheme(request.user, pk)
    content = services.report_xlsx(actor=request.user, scheme=scheme)
    return download(content, f"assessment-{scheme.year}.xlsx", XLSX_CONTENT_TYPE)
