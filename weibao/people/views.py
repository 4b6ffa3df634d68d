"""People pages: the register's list, a person's page, forms, reveal and export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.core.contract import person_sections_for
from weibao.core.forms import ExportForm
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import paginate, render_list
from weibao.people import services
from weibao.people.access import access_person
from weibao.people.forms import (
    GuardianForm,
    LeftBehindForm,
    PersonFilterForm,
    PersonForm,
    RevealForm,
)
from weibao.people.models import Person


@login_required
@permission_required("people.list_people", raise_exception=True)
def person_list(request: AuthedRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None, user=request.user)
    people = form.filter(Person.objects.for_user(request.user))
    people = people.select_related("school", "left_behind")
    context = {"form": form, "page": paginate(request, people)}
    return render_list(request, "people/person_list.html", "people/_person_table.html", context)


@login_required
@permission_required("people.add_person", raise_exception=True)
def person_create(request: AuthedRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, user=request.user)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, data=form.service_data())
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


def _render_detail(request: AuthedRequest, person: Person, **forms: Any) -> HttpResponse:
    """The person's page. Every rendering is audited as a view of the record."""
    user = request.user
    services.person_view(actor=user, person=person)
    can_change = user.has_perm("people.change_person", person)
    left_behind = getattr(person, "left_behind", None)
    context = {
        "person": person,
        "guardianships": person.guardianships.with_visible(user, "guardian").select_related(
            "guardian"
        ),
        "wards": person.wards.with_visible(user, "child").select_related("child"),
        "left_behind": left_behind,
        "sections": person_sections_for(user, person),
        "can_change": can_change,
        "can_reveal": request.user.has_perm("people.reveal_person", person),
        "guardian_form": forms.get("guardian_form")
        or (GuardianForm(user=request.user) if can_change else None),
        "left_behind_form": forms.get("left_behind_form")
        or (
            LeftBehindForm(child=person, user=request.user)
            if can_change and person.is_minor
            else None
        ),
    }
    status = 400 if forms else 200
    return render(request, "people/person_detail.html", context, status=status)


@login_required
@permission_required("people.list_people", raise_exception=True)
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    return _render_detail(request, person)


@login_required
@permission_required("people.list_people", raise_exception=True)
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    require_perm(request.user, "people.change_person", person)
    form = PersonForm(request.POST or None, user=request.user, person=person)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, data=form.service_data())
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
        services.person_view(actor=request.user, person=person, via="edit")
    context = {"form": form, "person": person, "duplicate": duplicate}
    return render(request, "people/person_form.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_POST
@permission_required("people.list_people", raise_exception=True)
def person_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    require_perm(request.user, "people.reveal_person", person)
    form = RevealForm(request.POST)
    value = None
    if form.is_valid():
        try:
            value = services.person_reveal(
                actor=request.user,
                person=person,
                field=form.cleaned_data["field"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
    field = form.data.get("field", "")
    context = {"person": person, "form": form, "field": field, "value": value}
    template = "people/_reveal.html" if request.htmx else "people/person_reveal.html"
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_POST
@permission_required("people.list_people", raise_exception=True)
def guardian_add(request: AuthedRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    require_perm(request.user, "people.change_person", person)
    form = GuardianForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.guardian_add(
                actor=request.user,
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
def left_behind_set(request: AuthedRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    require_perm(request.user, "people.change_person", person)
    form = LeftBehindForm(request.POST, child=person, user=request.user)
    if form.is_valid():
        try:
            services.left_behind_set(actor=request.user, child=person, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The left-behind status was saved."))
            return redirect(person)
    return _render_detail(request, person, left_behind_form=form)


@login_required
@permission_required("people.export_people", raise_exception=True)
def person_export(request: AuthedRequest) -> HttpResponse:
    """Ask the purpose, then export the list as filtered (the filters ride in the query)."""
    filters = PersonFilterForm(request.GET or None, user=request.user)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.person_export_start(
                actor=request.user,
                filters=filters.as_params(),
                purpose=form.cleaned_data["purpose"],
                language=translation.get_language(),
                protect=form.cleaned_data["protect"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The export has started; the file appears here when done."))
            return redirect("core:job_detail", job.pk)
    count = filters.filter(Person.objects.for_user(request.user)).count()
    context = {"form": form, "filters": filters, "count": count}
    return render(request, "people/person_export.html", context, status=400 if form.errors else 200)
