"""The drowning-prevention API: waters (read), patrols (read, and create: a future field app
posts them), incidents, letters to parents (with their receipt counts) and named
responsibilities (read). The same policy as the pages; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from weibao.core.api import ModelSerializer, RulesPermission, user_of
from weibao.drowning import services
from weibao.drowning.access import access_water
from weibao.drowning.models import Assignment, HazardousWater, Incident, ParentLetter, Patrol


class WaterSerializer(ModelSerializer):
    # Codes as plain strings: their choice sets share names ("kind", "risk") with other apps'.
    kind = serializers.CharField(read_only=True)
    risk = serializers.CharField(read_only=True)
    village_code = serializers.CharField(source="village.code", read_only=True)
    gaps = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = HazardousWater
        fields = ["id", "name", "kind", "village", "village_code", "latitude", "longitude",
                  "polygon", "deeper_than_half_metre", "risk", "sign_state", "pole_state",
                  "rope_state", "ring_state", "gaps", "nearest_school", "school_distance_m",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields


class WaterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Hazardous waters the caller may see."""

    permission_classes = [RulesPermission]
    permission_required = "drowning.view_waters"
    serializer_class = WaterSerializer
    filterset_fields = ["kind", "risk", "village"]

    def get_queryset(self) -> QuerySet[HazardousWater]:
        return HazardousWater.objects.for_user(user_of(self.request)).select_related("village")


class PatrolSerializer(ModelSerializer):
    class Meta:
        model = Patrol
        fields = ["id", "water", "patrolled_at", "patroller", "sign_state", "pole_state",
                  "rope_state", "ring_state", "people_in_water", "notes", "created_at"]  # fmt: skip
        read_only_fields = ["id", "created_at"]
        validators: list[Any] = []
        extra_kwargs = {
            "water": {"queryset": HazardousWater.objects.all()},
            "patroller": {"required": False},
        }


class PatrolViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Patrols of the waters the caller may see; township and village staff post them."""

    permission_classes = [RulesPermission]
    permission_required = "drowning.view_waters"
    write_permission_required = "drowning.patrol"
    serializer_class = PatrolSerializer
    filterset_fields = ["water"]

    def get_queryset(self) -> QuerySet[Patrol]:
        return Patrol.objects.for_user(user_of(self.request))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        water = access_water(user_of(request), data.pop("water").pk)
        patrol = services.patrol_record(actor=user_of(request), water=water, data=data)
        return Response(self.get_serializer(patrol).data, status=201)


class IncidentSerializer(ModelSerializer):
    child = serializers.CharField(source="child_label", read_only=True)
    division_code = serializers.CharField(source="division.code", read_only=True)
    outcome = serializers.CharField(read_only=True)
    circumstance = serializers.CharField(read_only=True)
    activity = serializers.CharField(read_only=True)

    class Meta:
        model = Incident
        fields = ["id", "child", "age", "sex", "occurred_at", "water", "place", "latitude",
                  "longitude", "division_code", "circumstance", "activity", "outcome",
                  "created_at"]  # fmt: skip
        read_only_fields = fields


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Drowning incidents the caller may see (the child's name masked)."""

    permission_classes = [RulesPermission]
    permission_required = "drowning.view_incidents"
    serializer_class = IncidentSerializer
    filterset_fields = ["outcome", "water"]

    def get_queryset(self) -> QuerySet[Incident]:
        return Incident.objects.for_user(user_of(self.request)).select_related("person", "division")


class LetterSerializer(ModelSerializer):
    season = serializers.CharField(read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True)
    receipts = serializers.IntegerField(source="receipt_count", read_only=True)

    class Meta:
        model = ParentLetter
        fields = ["id", "school", "school_name", "year", "season", "issued_on", "receipts",
                  "created_at"]  # fmt: skip
        read_only_fields = fields


class LetterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Letters to parents the caller may see, with how many receipts came back."""

    permission_classes = [RulesPermission]
    permission_required = "drowning.view_letters"
    serializer_class = LetterSerializer
    filterset_fields = ["year", "season", "school"]

    def get_queryset(self) -> QuerySet[ParentLetter]:
        return (
            ParentLetter.objects.for_user(user_of(self.request))
            .select_related("school__organisation")
            .annotate(receipt_count=Count("receipts"))
            .order_by("-year", "pk")
        )


class AssignmentSerializer(ModelSerializer):
    season = serializers.CharField(read_only=True)
    child_name = serializers.CharField(source="child.masked_name", read_only=True)
    assignee_name = serializers.CharField(source="assignee.full_name", read_only=True)
    last_contact = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = ["id", "child", "child_name", "assignee", "assignee_name", "year", "season",
                  "assigned_on", "last_contact"]  # fmt: skip
        read_only_fields = fields


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Named responsibilities the caller may see (the child's name masked)."""

    permission_classes = [RulesPermission]
    permission_required = "drowning.view_assignments"
    serializer_class = AssignmentSerializer
    filterset_fields = ["year", "season", "assignee"]

    def get_queryset(self) -> QuerySet[Assignment]:
        return (
            Assignment.objects.for_user(user_of(self.request))
            .select_related("child", "assignee")
            .annotate(last_contact=Max("contacts__contacted_on"))
            .order_by("-year", "pk")
        )


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("drowning/waters", WaterViewSet, basename="drowning-water")
    router.register("drowning/patrols", PatrolViewSet, basename="drowning-patrol")
    router.register("drowning/incidents", IncidentViewSet, basename="drowning-incident")
    router.register("drowning/letters", LetterViewSet, basename="drowning-letter")
    router.register("drowning/assignments", AssignmentViewSet, basename="drowning-assignment")
