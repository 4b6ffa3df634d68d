"""The family network's pages: sites and village coverage, volunteers and lecturers (with their
training and Excel), activities (with files) and the counts per village, site, team and
volunteer, and the family-education guidance given on casework's orders to guardians."""

from __future__ import annotations

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
from weibao.core.forms import AttachmentForm
from weibao.core.imports import import_errors, import_page
from weibao.core.models import Attachment
from weibao.core.views import export_response
from weibao.family import services
from weibao.family.access import (
    access_activity,
    access_awaiting_order,
    access_guidance,
    access_site,
    access_volunteer,
)
from weibao.family.forms import (
    ActivityFilterForm,
    ActivityForm,
    GuidanceAssignForm,
    GuidanceCompleteForm,
    GuidanceSessionForm,
    ImportForm,
    SiteFilterForm,
    SiteForm,
    TrainingForm,
    VolunteerCreateForm,
    VolunteerFilterForm,
    VolunteerForm,
)
from weibao.family.models import Activity, Guidance, Helper, Site, Volunteer
from weibao.kit import spreadsheets
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import download, paginate, render_list
from weibao.lib.masking import mask_name

IMPORT_ERRORS_SESSION_KEY = "family_volunteers_import_errors"


def _save(
    request: AuthedRequest, form: Any, write: Any, done: str, template: str, **context: Any
) -> HttpResponse:
    """A form page: on a valid POST `write(cleaned_data)` (a service); its errors on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = write(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(saved)
    status = 400 if form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


# Sites -------------------------------------------------------------------------------------


def _listed_sites(request: AuthedRequest) -> tuple[SiteFilterForm, Any]:
    form = SiteFilterForm(request.GET or None, user=request.user)
    sites = form.filter(Site.objects.for_user(request.user))
    return form, sites.select_related("village__parent", "operating_unit")


@login_required
@permission_required("family.view_sites", raise_exception=True)
def site_list(request: AuthedRequest) -> HttpResponse:
    form, sites = _listed_sites(request)
    context = {
        "form": form,
        "page": paginate(request, sites.order_by("village__code", "kind", "name", "pk")),
        "can_manage": request.user.has_perm("family.manage_sites"),
    }
    return render_list(request, "family/site_list.html", "family/_site_table.html", context)


@login_required
@permission_required("family.view_sites", raise_exception=True)
def site_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    site = access_site(request.user, pk)
    activities = Activity.objects.for_user(request.user).filter(site=site)
    context = {
        "site": site,
        "activities": activities.select_related("team")[:20],
        "totals": services.counts_by_site(activities).first(),
        "can_change": request.user.has_perm("family.change_site", site),
    }
    return render(request, "family/site_detail.html", context)


@login_required
@permission_required("family.manage_sites", raise_exception=True)
def site_create(request: AuthedRequest) -> HttpResponse:
    form = SiteForm(request.POST or None, user=request.user)
    return _save(
        request,
        form,
        lambda data: services.site_create(actor=request.user, data=data),
        _("The site was registered."),
        "family/site_form.html",
    )


@login_required
@permission_required("family.manage_sites", raise_exception=True)
def site_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    site = access_site(request.user, pk)
    require_perm(request.user, "family.change_site", site)
    form = SiteForm(request.POST or None, user=request.user, site=site)
    return _save(
        request,
        form,
        lambda data: services.site_update(actor=request.user, site=site, data=data),
        _("The site's record was saved."),
        "family/site_form.html",
        site=site,
    )


@login_required
@permission_required("family.view_sites", raise_exception=True)
def site_export(request: AuthedRequest) -> HttpResponse:
    """The listed sites (with the list's filters) as Excel."""
    _form, sites = _listed_sites(request)
    content = services.sites_export(actor=request.user, among=sites)
    return download(
        content, f"sites-{timezone.localdate():%Y%m%d}.xlsx", spreadsheets.XLSX_CONTENT_TYPE
    )


@login_required
@permission_required("family.view_coverage", raise_exception=True)
def coverage(request: AuthedRequest) -> HttpResponse:
    """Per township: villages with and without a site, and with an activity this year; the
    villages without a site."""
    year = timezone.localdate().year
    form = ActivityFilterForm(request.GET or None, user=request.user)
    township = form.cleaned_data.get("township") if form.is_valid() else None
    context = {
        "form": form,
        "year": year,
        "townships": services.townships_coverage(),
        "activity_coverage": services.village_coverage(year, township),
        "page": paginate(request, services.villages_without_site(township)),
    }
    return render_list(request, "family/coverage.html", "family/_uncovered_table.html", context)


# Volunteers --------------------------------------------------------------------------------


def _listed_volunteers(request: AuthedRequest) -> tuple[VolunteerFilterForm, Any]:
    form = VolunteerFilterForm(request.GET or None, user=request.user)
    volunteers = form.filter(Volunteer.objects.for_user(request.user))
    return form, volunteers.select_related("person", "team", "township")


@login_required
@permission_required("family.view_volunteers", raise_exception=True)
def volunteer_list(request: AuthedRequest) -> HttpResponse:
    form, volunteers = _listed_volunteers(request)
    context = {
        "form": form,
        "page": paginate(request, volunteers.order_by("person__name_pinyin", "pk")),
        "can_manage": request.user.has_perm("family.manage_volunteers"),
        "today": timezone.localdate(),
    }
    return render_list(
        request, "family/volunteer_list.html", "family/_volunteer_table.html", context
    )


def _render_volunteer(
    request: AuthedRequest, volunteer: Volunteer, training_form: TrainingForm | None = None
) -> HttpResponse:
    can_train = request.user.has_perm("family.record_training", volunteer)
    helps = Helper.objects.filter(volunteer=volunteer).select_related("activity")
    context = {
        "volunteer": volunteer,
        "trainings": volunteer.trainings.all()[:50],
        "helps": helps.order_by("-activity__held_on")[:20],
        "totals": services.hours_by_volunteer(Activity.objects.filter(helpers=volunteer))
        .filter(volunteer=volunteer)
        .first(),
        "can_change": request.user.has_perm("family.change_volunteer", volunteer),
        "training_form": training_form or (TrainingForm() if can_train else None),
    }
    return render(
        request, "family/volunteer_detail.html", context, status=400 if training_form else 200
    )


@login_required
@permission_required("family.view_volunteers", raise_exception=True)
def volunteer_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    volunteer = access_volunteer(request.user, pk)
    services.volunteer_view(actor=request.user, volunteer=volunteer)
    return _render_volunteer(request, volunteer)


@login_required
@permission_required("family.manage_volunteers", raise_exception=True)
def volunteer_create(request: AuthedRequest) -> HttpResponse:
    form = VolunteerCreateForm(
        request.POST or None, user=request.user, initial={"joined_on": timezone.localdate()}
    )
    return _save(
        request,
        form,
        lambda data: services.volunteer_create(actor=request.user, data=data),
        _("The volunteer was registered."),
        "family/volunteer_form.html",
    )


@login_required
@permission_required("family.manage_volunteers", raise_exception=True)
def volunteer_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    volunteer = access_volunteer(request.user, pk)
    require_perm(request.user, "family.change_volunteer", volunteer)
    form = VolunteerForm(request.POST or None, user=request.user, volunteer=volunteer)
    return _save(
        request,
        form,
        lambda data: services.volunteer_update(actor=request.user, volunteer=volunteer, data=data),
        _("The volunteer's record was saved."),
        "family/volunteer_form.html",
        volunteer=volunteer,
    )


@login_required
@require_POST
@permission_required("family.view_volunteers", raise_exception=True)
def training_create(request: AuthedRequest, pk: int) -> HttpResponse:
    volunteer = access_volunteer(request.user, pk)
    require_perm(request.user, "family.record_training", volunteer)
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            services.training_record(
                actor=request.user, volunteer=volunteer, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The training was recorded."))
            return redirect(volunteer)
    return _render_volunteer(request, volunteer, training_form=form)


@login_required
@require_POST
@permission_required("family.view_volunteers", raise_exception=True)
def volunteer_export(request: AuthedRequest) -> HttpResponse:
    """The listed volunteers as Excel in the import's columns (ID numbers: personal data)."""
    _form, volunteers = _listed_volunteers(request)
    content = services.volunteers_export(actor=request.user, among=volunteers)
    return export_response(
        request, name=f"volunteers-{timezone.localdate():%Y%m%d}.xlsx", content=content
    )


@login_required
@permission_required("family.manage_volunteers", raise_exception=True)
def volunteer_template(request: AuthedRequest) -> HttpResponse:
    return download(
        services.volunteers_template(), "volunteers-template.xlsx", spreadsheets.XLSX_CONTENT_TYPE
    )


@login_required
@permission_required("family.manage_volunteers", raise_exception=True)
def volunteer_import(request: AuthedRequest) -> HttpResponse:
    """Upload the list; on errors show them all (nothing is written), else the counts."""
    return import_page(
        request,
        ImportForm(request.POST or None, request.FILES or None),
        run=lambda data: services.volunteers_import(actor=request.user, upload=data["file"]),
        done=lambda report: _("The volunteers were imported."),
        template="family/volunteer_import.html",
        errors_key=IMPORT_ERRORS_SESSION_KEY,
    )


@login_required
@permission_required("family.manage_volunteers", raise_exception=True)
def volunteer_import_errors(request: AuthedRequest) -> HttpResponse:
    return import_errors(
        request,
        errors_key=IMPORT_ERRORS_SESSION_KEY,
        filename="volunteers-import-errors.xlsx",
        back="family:volunteer_import",
    )


# Activities --------------------------------------------------------------------------------


def _listed_activities(request: AuthedRequest) -> tuple[ActivityFilterForm, Any]:
    form = ActivityFilterForm(request.GET or None, user=request.user)
    activities = form.filter(Activity.objects.for_user(request.user))
    return form, activities


@login_required
@permission_required("family.view_activities", raise_exception=True)
def activity_list(request: AuthedRequest) -> HttpResponse:
    form, activities = _listed_activities(request)
    listed = activities.select_related("site", "school__organisation", "village__parent", "team")
    context = {
        "form": form,
        "page": paginate(request, listed.order_by("-held_on", "-pk")),
        "can_record": request.user.has_perm("family.record_activity"),
    }
    return render_list(request, "family/activity_list.html", "family/_activity_table.html", context)


@login_required
@permission_required("family.view_counts", raise_exception=True)
def activity_counts(request: AuthedRequest) -> HttpResponse:
    """The listed activities (with the list's filters) counted by village, site, team and
    volunteer."""
    form, activities = _listed_activities(request)
    context = {
        "form": form,
        "by_village": services.counts_by_village(activities)[:100],
        "by_site": services.counts_by_site(activities)[:100],
        "by_team": services.counts_by_team(activities),
        "by_volunteer": [
            {**row, "masked_name": mask_name(row["volunteer__person__name"])}
            for row in services.hours_by_volunteer(activities)[:100]
        ],
    }
    return render(request, "family/activity_counts.html", context)


def _render_activity(
    request: AuthedRequest, activity: Activity, upload_form: AttachmentForm | None = None
) -> HttpResponse:
    can_change = request.user.has_perm("family.change_activity", activity)
    context = {
        "activity": activity,
        "helpers": activity.helper_rows.select_related("volunteer__person", "volunteer__team"),
        "attachments": Attachment.objects.for_owner(activity).order_by("created_at"),
        "can_change": can_change,
        "upload_form": upload_form or (AttachmentForm() if can_change else None),
    }
    status = 400 if upload_form else 200
    return render(request, "family/activity_detail.html", context, status=status)


@login_required
@permission_required("family.view_activities", raise_exception=True)
def activity_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_activity(request, access_activity(request.user, pk))


@login_required
@permission_required("family.record_activity", raise_exception=True)
def activity_create(request: AuthedRequest) -> HttpResponse:
    form = ActivityForm(
        request.POST or None, user=request.user, initial={"held_on": timezone.localdate()}
    )
    return _save(
        request,
        form,
        lambda data: services.activity_record(actor=request.user, data=data),
        _("The activity was recorded."),
        "family/activity_form.html",
    )


@login_required
@permission_required("family.view_activities", raise_exception=True)
def activity_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = access_activity(request.user, pk)
    require_perm(request.user, "family.change_activity", activity)
    activity = Activity.objects.prefetch_related(
        Prefetch("helper_rows", queryset=Helper.objects.all())
    ).get(pk=activity.pk)
    form = ActivityForm(request.POST or None, user=request.user, activity=activity)
    return _save(
        request,
        form,
        lambda data: services.activity_update(actor=request.user, activity=activity, data=data),
        _("The activity's record was saved."),
        "family/activity_form.html",
        activity=activity,
    )


@login_required
@require_POST
@permission_required("family.view_activities", raise_exception=True)
def activity_attach(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = access_activity(request.user, pk)
    require_perm(request.user, "family.change_activity", activity)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.activity_attach(
            actor=request.user, activity=activity, upload=form.cleaned_data["file"]
        )
        messages.success(request, _("The file was attached."))
        return redirect(activity)
    return _render_activity(request, activity, upload_form=form)


# Guidance on orders to guardians -----------------------------------------------------------


@login_required
@permission_required("family.view_guidance", raise_exception=True)
def guidance_list(request: AuthedRequest) -> HttpResponse:
    """The orders waiting for guidance (for those who assign it) and the guidance given."""
    guidance = Guidance.objects.for_user(request.user).select_related(
        "order__issuer", "lecturer__person", "lecturer__team"
    )
    can_assign = request.user.has_perm("family.assign_guidance")
    context = {
        "awaiting": services.orders_awaiting_guidance()[:100] if can_assign else [],
        "page": paginate(request, guidance.order_by("status", "-assigned_at", "-pk")),
    }
    return render_list(request, "family/guidance_list.html", "family/_guidance_table.html", context)


@login_required
@permission_required("family.assign_guidance", raise_exception=True)
def guidance_assign(request: AuthedRequest, order_pk: int) -> HttpResponse:
    order = access_awaiting_order(request.user, order_pk)
    form = GuidanceAssignForm(request.POST or None, user=request.user)
    return _save(
        request,
        form,
        lambda data: services.guidance_assign(actor=request.user, order=order, **data),
        _("The guidance was assigned."),
        "family/guidance_assign.html",
        order=order,
    )


def _render_guidance(request: AuthedRequest, guidance: Guidance, **forms: Any) -> HttpResponse:
    user = request.user
    finished = guidance.status != Guidance.Status.ASSIGNED
    can_record = user.has_perm("family.record_guidance_session", guidance) and not finished
    can_complete = user.has_perm("family.complete_guidance", guidance) and not finished
    context = {
        "guidance": guidance,
        "sessions": guidance.sessions.all(),
        "session_form": forms.get("session_form")
        or (GuidanceSessionForm(initial={"attended": True}) if can_record else None),
        "complete_form": forms.get("complete_form")
        or (GuidanceCompleteForm() if can_complete else None),
    }
    return render(request, "family/guidance_detail.html", context, status=400 if forms else 200)


@login_required
@permission_required("family.view_guidance", raise_exception=True)
def guidance_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_guidance(request, access_guidance(request.user, pk))


@login_required
@require_POST
@permission_required("family.view_guidance", raise_exception=True)
def guidance_session(request: AuthedRequest, pk: int) -> HttpResponse:
    guidance = access_guidance(request.user, pk)
    require_perm(request.user, "family.record_guidance_session", guidance)
    form = GuidanceSessionForm(request.POST)
    if form.is_valid():
        try:
            services.guidance_session_record(
                actor=request.user, guidance=guidance, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The session was recorded."))
            return redirect(guidance)
    return _render_guidance(request, guidance, session_form=form)


@login_required
@require_POST
@permission_required("family.view_guidance", raise_exception=True)
def guidance_complete(request: AuthedRequest, pk: int) -> HttpResponse:
    guidance = access_guidance(request.user, pk)
    require_perm(request.user, "family.complete_guidance", guidance)
    form = GuidanceCompleteForm(request.POST)
    if form.is_valid():
        try:
            services.guidance_complete(
                actor=request.user, guidance=guidance, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The result was reported to the issuing unit."))
            return redirect(guidance)
    return _render_guidance(request, guidance, complete_form=form)
