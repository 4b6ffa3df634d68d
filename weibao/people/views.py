"""People pages: the register's list, a person's page, forms, reveal and export."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from weibao.accounts.models import User
from weibao.kit.forms import apply_errors
from weibao.kit.pages import paginate, render_list
from weibao.people import services
from weibao.people.forms import (
    ExportForm,
    GuardianForm,
    LeftBehindForm,
    PersonFilterForm,
    PersonForm,
    RevealForm,
)
from weibao.people.models import Person


def _user(request: HttpRequest) -> User:
    """The signed-in user (the views are all behind login_required)."""
    return cast(User, request.user)


def _get_person_for_user(request: HttpRequest, pk: int) -> Person:
    people = Person.objects.for_user(_user(request))
    return get_object_or_404(people.select_related("school", "registered_by"), pk=pk)


def _require(request: HttpRequest, perm: str, person: Person) -> None:
    if not request.user.has_perm(perm, person):
        raise PermissionDenied


@login_required
@permission_required("people.list_people", raise_exception=True)
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None, user=_user(request))
    people = form.filter(Person.objects.for_user(_user(request)))
    people = people.select_related("school", "left_behind")
    context = {"form": form, "page": paginate(request, people)}
    return render_list(request, "people/person_list.html", "people/_person_table.html", context)


@login_required
@permission_required("people.add_person", raise_exception=True)
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, user=_user(request))
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=_user(request), data=form.service_data())
        except services.DuplicatePerson as exc:
            duplicate = exc.existing
            apply_errors(form, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The person was registered."))
            return redirect(person)
    context = {"form": form, "duplicate": duplicate}
    return render(request, "people/person_form.html", context, status=400 if form.errors else 200)


def _render_detail(request: HttpRequest, person: Person, **forms: Any) -> HttpResponse:
    """The person's page. Every rendering is audited as a view of the record."""
    services.person_view(actor=_user(request), person=person)
    can_change = request.user.has_perm("people.change_person", person)
    user = _user(request)
    left_behind = getattr(person, "left_behind", None)
    context = {
        "person": person,
        "guardianships": person.guardianships.with_visible(user, "guardian").select_related(
            "guardian"
        ),
        "wards": person.wards.with_visible(user, "child").select_related("child"),
        "left_behind": left_behind,
        "can_change": can_change,
        "can_reveal": request.user.has_perm("people.reveal_person", person),
        "guardian_form": forms.get("guardian_form")
        or (GuardianForm(user=_user(request)) if can_change else None),
        "left_behind_form": forms.get("left_behind_form")
        or (
            LeftBehindForm(child=person, user=_user(request))
            if can_change and person.is_minor
            else None
        ),
    }
    status = 400 if forms else 200
    return render(request, "people/person_detail.html", context, status=status)


@login_required
@permission_required("people.list_people", raise_exception=True)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk)
    return _render_detail(request, person)


@login_required
@permission_required("people.list_people", raise_exception=True)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk)
    _require(request, "people.change_person", person)
    form = PersonForm(request.POST or None, user=_user(request), person=person)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=_user(request), person=person, data=form.service_data())
        except services.DuplicatePerson as exc:
            duplicate = exc.existing
            apply_errors(form, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(person)
    if request.method == "GET":
        # The form shows the name in full: that is a view of the record.
        services.person_view(actor=_user(request), person=person, via="edit")
    context = {"form": form, "person": person, "duplicate": duplicate}
    return render(request, "people/person_form.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_POST
@permission_required("people.list_people", raise_exception=True)
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk)
    _require(request, "people.reveal_person", person)
    form = RevealForm(request.POST)
    value = None
    if form.is_valid():
        try:
            value = services.person_reveal(
                actor=_user(request),
                person=person,
                field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
    field = form.data.get("field", "")
    context = {"person": person, "form": form, "field": field, "value": value}
    template = "people/_reveal.html" if request.htmx else "people/person_reveal.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_POST
@permission_required("people.list_people", raise_exception=True)
def guardian_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk)
    _require(request, "people.change_person", person)
    form = GuardianForm(request.POST, user=_user(request))
    if form.is_valid():
        try:
            services.guardian_add(
                actor=_user(request),
                child=person,
                guardian=form.cleaned_data["guardian"],
                relationship=form.cleaned_data["relationship"],
                is_primary=form.cleaned_data["is_primary"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The guardian was added."))
            return redirect(person)
    return _render_detail(request, person, guardian_form=form)


@login_required
@require_POST
@permission_required("people.list_people", raise_exception=True)
def left_behind_set(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk)
    _require(request, "people.change_person", person)
    form = LeftBehindForm(request.POST, child=person, user=_user(request))
    if form.is_valid():
        try:
            services.left_behind_set(actor=_user(request), child=person, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The left-behind status was saved."))
            return redirect(person)
    return _render_detail(request, person, left_behind_form=form)


@login_required
@permission_required("people.export_people", raise_exception=True)
def person_export(request: HttpRequest) -> HttpResponse:
    """Ask the purpose, then export the list as filtered (the filters ride in the query)."""
    filters = PersonFilterForm(request.GET or None, user=_user(request))
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.person_export_start(
                actor=_user(request),
                filters=filters.as_params(),
                purpose=form.cleaned_data["purpose"],
                language=translation.get_language(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The export has started; the file appears here when done."))
            return redirect("core:job_detail", job.pk)
    count = filters.filter(Person.objects.for_user(_user(request))).count()
    context = {"form": form, "filters": filters, "count": count}
    return render(request, "people/person_export.html", context, status=400 if form.errors else 200)
