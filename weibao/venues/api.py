"""The venues API: venues (read, and create through the registry's service), distance
violations (read), inspections (read, and create: a field app posts them). The same policy as
the pages; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from weibao.core.api import ModelSerializer, RulesPermission, user_of
from weibao.venues import services
from weibao.venues.access import access_venue
from weibao.venues.models import Inspection, Venue, Violation


class VenueSerializer(ModelSerializer):
    # Codes as plain strings: their choice sets share names ("kind", "status") with other apps'.
    kind = serializers.CharField()
    status = serializers.CharField(required=False)
    village_code = serializers.CharField(source="village.code", read_only=True)
    open_violations = serializers.SerializerMethodField()

    class Meta:
        model = Venue
        fields = ["id", "kind", "name", "credit_code", "licence_number", "licence_expires",
                  "operator", "address", "village", "village_code", "latitude", "longitude",
                  "opening_hours", "status", "supervising_unit", "flagged_on",
                  "open_violations", "updated_at"]  # fmt: skip
        read_only_fields = ["id", "supervising_unit", "flagged_on", "updated_at"]
        validators: list[Any] = []
        extra_kwargs = {
            "credit_code": {"validators": []},
            "latitude": {"coerce_to_string": True},
            "longitude": {"coerce_to_string": True},
        }

    def get_open_violations(self, venue: Venue) -> int:
        return sum(1 for v in venue.violations.all() if v.closed_at is None)


class VenueViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Venues the caller may see; keepers of the registry register them."""

    permission_classes = [RulesPermission]
    permission_required = "venues.view_venues"
    write_permission_required = "venues.manage_venues"
    serializer_class = VenueSerializer
    filterset_fields = ["kind", "status", "village"]

    def get_queryset(self) -> QuerySet[Venue]:
        return (
            Venue.objects.for_user(user_of(self.request))
            .select_related("village")
            .prefetch_related("violations")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        venue = services.venue_create(actor=user_of(request), data=dict(serializer.validated_data))
        return Response(self.get_serializer(venue).data, status=201)


class ViolationSerializer(ModelSerializer):
    school_name = serializers.CharField(source="school.organisation.name", read_only=True)
    rule_metres = serializers.IntegerField(source="rule.metres", read_only=True)

    class Meta:
        model = Violation
        fields = ["id", "venue", "school", "school_name", "rule", "rule_metres", "distance_m",
                  "opened_at", "closed_at", "close_reason"]  # fmt: skip
        read_only_fields = fields


class ViolationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Distance violations of the venues the caller may see."""

    permission_classes = [RulesPermission]
    permission_required = "venues.view_venues"
    serializer_class = ViolationSerializer
    filterset_fields = ["venue", "school"]

    def get_queryset(self) -> QuerySet[Violation]:
        return Violation.objects.for_user(user_of(self.request)).select_related(
            "school__organisation", "rule"
        )


class InspectionSerializer(ModelSerializer):
    findings: serializers.Field = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="item"
    )
    inspectors = serializers.ListField(child=serializers.CharField(max_length=50))
    checklist = serializers.DictField(child=serializers.CharField(max_length=10))

    class Meta:
        model = Inspection
        fields = ["id", "venue", "plan", "inspecting_unit", "inspected_at", "inspectors",
                  "checklist", "minors_found", "notes", "findings", "created_at"]  # fmt: skip
        read_only_fields = ["id", "inspecting_unit", "findings", "created_at"]
        extra_kwargs = {"venue": {"queryset": Venue.objects.all()}}


class InspectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Inspections of the venues the caller may see; inspecting units post them."""

    permission_classes = [RulesPermission]
    permission_required = "venues.view_inspections"
    write_permission_required = "venues.inspect"
    serializer_class = InspectionSerializer
    filterset_fields = ["venue", "plan"]

    def get_queryset(self) -> QuerySet[Inspection]:
        return Inspection.objects.for_user(user_of(self.request)).prefetch_related("findings")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        venue = access_venue(user_of(request), data.pop("venue").pk)
        inspection = services.inspection_record(actor=user_of(request), venue=venue, data=data)
        return Response(self.get_serializer(inspection).data, status=201)


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("venues/venues", VenueViewSet, basename="venues-venue")
    router.register("venues/violations", ViolationViewSet, basename="venues-violation")
    router.register("venues/inspections", InspectionViewSet, basename="venues-inspection")
