"""Mechanisms pages: the home page, the leading group, its members and responsibilities, the
implementation plan and the co-construction activities. Meetings, tasks and the assessment have
their own modules (views_meetings, views_tasks, views_assessment)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from weibao.accounts.http import AuthedRequest
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import paginate, render_list
from weibao.mechanisms.access import access_activity, access_member, access_plan, access_plan_item
from weibao.mechanisms.forms import (
    ActivityFilterForm,
    ActivityForm,
    GroupForm,
    MemberForm,
    MemberRemoveForm,
    OnDateForm,
    PlanForm,
    PlanItemForm,
    ResponsibilitiesForm,
)
from weibao.mechanisms.models import (
    Cobuilding,
    LeadingGroup,
    Meeting,
    Member,
    Plan,
    PlanItem,
    Responsibility,
    Task,
)
from weibao.mechanisms.services import group as group_services


@login_required
@permission_required("mechanisms.view_meetings", raise_exception=True)
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    tasks = Task.objects.for_user(user)
    context = {
        "group": LeadingGroup.objects.select_related("lead_unit").order_by("pk").first(),
        "meetings": Meeting.objects.for_user(user).select_related("convener")[:5],
        "open_tasks": tasks.open().count(),
        "overdue_tasks": tasks.overdue(today).count(),
        "can_board": user.has_perm("mechanisms.view_board"),
    }
    return render(request, "mechanisms/home.html", context)


# The leading group, the plan and the co-construction activities -------------------------------


def _the_group() -> LeadingGroup | None:
    return LeadingGroup.objects.select_related("lead_unit").order_by("pk").first()


def _form_page(request: AuthedRequest, template: str, context: dict) -> HttpResponse:
    status = 400 if context["form"].errors else 200
    return render(request, template, context, status=status)


@login_required
@permission_required("mechanisms.view_group", raise_exception=True)
def group(request: AuthedRequest) -> HttpResponse:
    user = request.user
    the_group = _the_group()
    members = (
        Member.objects.for_user(user)
        .filter(group=the_group)
        .current()
        .select_related("unit", "contact")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.current().order_by("position", "pk"),
                to_attr="current_lines",
            )
        )
        .order_by("unit__name", "pk")
    )
    context = {
        "group": the_group,
        "page": paginate(request, members),
        "plans": Plan.objects.all()[:5],
        "can_manage": user.has_perm("mechanisms.manage_group"),
    }
    return render(request, "mechanisms/group_detail.html", context)


@login_required
@permission_required("mechanisms.manage_group", raise_exception=True)
def group_edit(request: AuthedRequest) -> HttpResponse:
    the_group = _the_group()
    initial = (
        {
            "name": the_group.name,
            "lead_unit": the_group.lead_unit_id,
            "established_on": the_group.established_on,
        }
        if the_group is not None
        else {}
    )
    form = GroupForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            group_services.group_setup(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("The leading group was saved."))
            return redirect("mechanisms:group")
    return _form_page(request, "mechanisms/group_form.html", {"form": form, "group": the_group})


@login_required
@permission_required("mechanisms.view_group", raise_exception=True)
def member(request: AuthedRequest, pk: int) -> HttpResponse:
    the_member = access_member(request.user, pk)
    lines = the_member.responsibilities.all()
    on_form = OnDateForm(request.GET or None)
    on = None
    if on_form.is_bound:
        if on_form.is_valid():
            on = on_form.cleaned_data["on"]
        else:
            messages.error(request, gettext("Enter the date as 2026-09-15."))
    context = {
        "member": the_member,
        "current": lines.current().order_by("position", "pk"),
        "history": lines.order_by("valid_from", "position", "pk"),
        "on": on,
        "on_lines": lines.on(on).order_by("position", "pk") if on else None,
        "on_form": on_form,
        "can_manage": request.user.has_perm("mechanisms.manage_group", the_member),
    }
    return render(request, "mechanisms/group_member.html", context)


@login_required
@permission_required("mechanisms.manage_group", raise_exception=True)
def member_add(request: AuthedRequest) -> HttpResponse:
    the_group = _the_group()
    if the_group is None:
        messages.error(request, gettext("Set up the leading group first."))
        return redirect("mechanisms:group_edit")
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            added = group_services.member_add(
                actor=request.user, group=the_group, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("The unit was added to the leading group."))
            return redirect(added)
    return _form_page(request, "mechanisms/group_member_form.html", {"form": form})


@login_required
@permission_required("mechanisms.manage_group", raise_exception=True)
def member_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    the_member = access_member(request.user, pk)
    require_perm(request.user, "mechanisms.manage_group", the_member)
    form = MemberForm(request.POST or None, user=request.user, member=the_member)
    if request.method == "POST" and form.is_valid():
        try:
            group_services.member_update(
                actor=request.user, member=the_member, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("The member unit was saved."))
            return redirect(the_member)
    context = {"form": form, "member": the_member}
    return _form_page(request, "mechanisms/group_member_form.html", context)


@login_required
@permission_required("mechanisms.manage_group", raise_exception=True)
def member_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    the_member = access_member(request.user, pk)
    require_perm(request.user, "mechanisms.manage_group", the_member)
    form = MemberRemoveForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            group_services.member_remove(
                actor=request.user, member=the_member, on=form.cleaned_data["left_on"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("The unit left the leading group."))
            return redirect("mechanisms:group")
    context = {"form": form, "member": the_member}
    return _form_page(request, "mechanisms/group_member_remove.html", context)


@login_required
@permission_required("mechanisms.manage_group", raise_exception=True)
def member_responsibilities(request: AuthedRequest, pk: int) -> HttpResponse:
    the_member = access_member(request.user, pk)
    require_perm(request.user, "mechanisms.manage_group", the_member)
    current = the_member.responsibilities.current().order_by("position", "pk")
    initial = {"lines": "\n".join(line.text for line in current)}
    form = ResponsibilitiesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            group_services.responsibilities_set(
                actor=request.user, member=the_member, lines=form.service_lines()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("The responsibilities were saved."))
            return redirect(the_member)
    context = {"form": form, "member": the_member}
    return _form_page(request, "mechanisms/group_responsibilities_form.html", context)


# Plans


@login_required
@permission_required("mechanisms.view_group", raise_exception=True)
def plan_list(request: AuthedRequest) -> HttpResponse:
    plans = Plan.objects.annotate(item_count=Count("items")).order_by("-year")
    context = {
        "page": paginate(request, plans),
        "can_manage": request.user.has_perm("mechanisms.manage_group"),
    }
    return render(request, "mechanisms/plan_list.html", context)


@login_required
@permission_required("mechanisms.view_group", raise_exception=True)
def plan(request: AuthedRequest, pk: int) -> HttpResponse:
    the_plan = access_plan(request.user, pk)
    items = (
        PlanItem.objects.for_user(request.user)
        .filter(plan=the_plan)
        .select_related("lead")
        .annotate(
            task_count=Count("tasks", distinct=True),
            activity_count=Count("activities", distinct=True),
        )
    )
    context = {
        "plan": the_plan,
        "goals": [i for i in items if i.kind == PlanItem.Kind.GOAL],
        "measures": [i for i in items if i.kind == PlanItem.Kind.MEASURE],
        "can_manage": request.user.has_perm("mechanisms.manage_group", the_plan),
    }
    return render(request, "mechanisms/plan_detail.html", context)


@login_required
@permission_required("mechanisms.manage_group", raise_exception=True)
def plan_create(request: AuthedRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            created = group_services.plan_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("The implementation plan was saved."))
            return redirect(created)
    return _form_page(request, "mechanisms/plan_form.html", {"form": form})


@login_required
@permission_required("mechanisms.manage_group", raise_exception=True)
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    the_plan = access_plan(request.user, pk)
    initial = {"title": the_plan.title, "year": the_plan.year, "issued_on": the_plan.issued_on}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            group_services.plan_update(actor=request.user, plan=the_plan, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("The implementation plan was saved."))
            return redirect(the_plan)
    return _form_page(request, "mechanisms/plan_form.html", {"form": form, "plan": the_plan})


@login_required
@permission_required("mechanisms.manage_group", raise_exception=True)
def plan_item_create(request: AuthedRequest, pk: int) -> HttpResponse:
    the_plan = access_plan(request.user, pk)
    form = PlanItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            group_services.plan_item_create(
                actor=request.user, plan=the_plan, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("The plan item was saved."))
            return redirect(the_plan)
    context = {"form": form, "plan": the_plan}
    return _form_page(request, "mechanisms/plan_item_form.html", context)


@login_required
@permission_required("mechanisms.manage_group", raise_exception=True)
def plan_item_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access_plan_item(request.user, pk)
    initial = {"number": item.number, "kind": item.kind, "title": item.title, "lead": item.lead_id}
    form = PlanItemForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            group_services.plan_item_update(actor=request.user, item=item, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("The plan item was saved."))
            return redirect(item.plan)
    context = {"form": form, "plan": item.plan, "item": item}
    return _form_page(request, "mechanisms/plan_item_form.html", context)


# Co-construction activities


@login_required
@permission_required("mechanisms.view_activities", raise_exception=True)
def activity_list(request: AuthedRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET or None, user=request.user)
    activities = form.filter(
        Cobuilding.objects.for_user(request.user)
        .select_related("organiser", "partner", "plan_item")
        .order_by("-held_on", "-pk")
    )
    context = {
        "form": form,
        "page": paginate(request, activities),
        "can_record": request.user.has_perm("mechanisms.record_activity"),
    }
    return render_list(
        request, "mechanisms/activity_list.html", "mechanisms/activity_list_table.html", context
    )


@login_required
@permission_required("mechanisms.view_activities", raise_exception=True)
def activity(request: AuthedRequest, pk: int) -> HttpResponse:
    the_activity = access_activity(request.user, pk)
    context = {
        "activity": the_activity,
        "can_edit": request.user.has_perm("mechanisms.record_activity", the_activity),
    }
    return render(request, "mechanisms/activity_detail.html", context)


@login_required
@permission_required("mechanisms.record_activity", raise_exception=True)
def activity_create(request: AuthedRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = group_services.activity_record(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("The activity was recorded."))
            return redirect("mechanisms:activity", created.pk)
    return _form_page(request, "mechanisms/activity_form.html", {"form": form})


@login_required
@permission_required("mechanisms.record_activity", raise_exception=True)
def activity_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    the_activity = access_activity(request.user, pk)
    form = ActivityForm(request.POST or None, user=request.user, activity=the_activity)
    if request.method == "POST" and form.is_valid():
        try:
            group_services.activity_update(
                actor=request.user, activity=the_activity, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("The activity was saved."))
            return redirect("mechanisms:activity", the_activity.pk)
    context = {"form": form, "activity": the_activity}
    return _form_page(request, "mechanisms/activity_form.html", context)
