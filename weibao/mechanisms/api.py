"""The mechanisms API: meetings and tasks, read through the same policy as the pages."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.routers import BaseRouter
from rest_framework.serializers import BooleanField, CharField, IntegerField
from rest_framework.viewsets import GenericViewSet

from weibao.core.api import ModelSerializer, RulesPermission, user_of
from weibao.mechanisms.models import Attendance, Decision, Meeting, Task, TaskQuerySet

# Meetings and decisions ---------------------------------------------------------------------------

MEETINGS_ROUTE = "mechanisms/meetings"


class MeetingAttendanceSerializer(ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["unit", "person", "present", "note"]
        read_only_fields = fields


class MeetingDecisionSerializer(ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "number", "text"]
        read_only_fields = fields


class MeetingSerializer(ModelSerializer):
    """A meeting with who was asked and came and what it decided; the cases and at-risk files
    a consultation discussed only as counts (the pages show each reader those they may see)."""

    # A plain string: the choice set's name ("kind") is shared with other apps' models.
    kind = CharField(read_only=True)
    attendances = MeetingAttendanceSerializer(many=True, read_only=True)
    decisions = MeetingDecisionSerializer(many=True, read_only=True)
    cases_count = IntegerField(read_only=True)
    files_count = IntegerField(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "kind", "title", "held_on", "place", "convener", "agenda", "minutes",
                  "attendances", "decisions", "cases_count", "files_count",
                  "created_at"]  # fmt: skip
        read_only_fields = fields


class MeetingViewSet(ListModelMixin, RetrieveModelMixin, GenericViewSet):
    """The meetings the caller may see: the lead agency and county coordinators all, a unit
    those it was asked to."""

    permission_classes = [RulesPermission]
    permission_required = "mechanisms.view_meetings"
    serializer_class = MeetingSerializer
    filterset_fields = ["kind", "held_on"]

    def get_queryset(self) -> QuerySet[Meeting]:
        return (
            Meeting.objects.for_user(user_of(self.request))
            .annotate(
                cases_count=Count("cases", distinct=True),
                files_count=Count("files", distinct=True),
            )
            .prefetch_related("attendances", "decisions")
            .order_by("-held_on", "-pk")
        )


# Tasks and supervision ----------------------------------------------------------------------------

TASKS_ROUTE = "mechanisms/tasks"


class TaskSerializer(ModelSerializer):
    """A task: owner, co-units, deadline and where it stands."""

    # A plain string: the choice set's name ("state") is shared with other apps' models.
    state = CharField(read_only=True)
    overdue = BooleanField(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "deliverable", "owner", "co_units", "deadline", "state",
                  "overdue", "decision", "plan_item", "submitted_on", "accepted_on",
                  "supervised_on", "created_at"]  # fmt: skip
        read_only_fields = fields


class TaskViewSet(ListModelMixin, RetrieveModelMixin, GenericViewSet):
    """The tasks the caller may see: the lead agency and county coordinators all, a unit those
    it owns or shares."""

    permission_classes = [RulesPermission]
    permission_required = "mechanisms.view_tasks"
    serializer_class = TaskSerializer
    filterset_fields = ["state", "owner"]

    def get_queryset(self) -> TaskQuerySet:
        return (
            Task.objects.for_user(user_of(self.request))
            .prefetch_related("co_units")
            .order_by("deadline", "pk")
        )


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    # Meetings and decisions: register here
    router.register(MEETINGS_ROUTE, MeetingViewSet, basename="mechanisms-meeting")
    router.register(TASKS_ROUTE, TaskViewSet, basename="mechanisms-task")
