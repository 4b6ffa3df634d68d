"""The family protection network in the API: sites (read, register, change), volunteers (read:
names masked, never an ID number), activities (read, record). The same policy as the pages;
every write goes through the family services, which do the real checks."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Prefetch, QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from weibao.accounts.models import Division, Organisation
from weibao.core.api import ModelSerializer, RulesPermission, user_of
from weibao.family import services
from weibao.family.access import access_activity, access_site, access_volunteer
from weibao.family.models import Activity, Helper, Site, Team, Volunteer
from weibao.schools.models import School

MAX_COUNT = 100_000


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A record chosen by id among those the caller may see (`for_user`): another's is
    "does not exist", as on the pages' pickers."""

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        queryset = super().get_queryset()
        assert queryset is not None
        if request is None:
            return queryset.none()
        scoped: QuerySet[Any] = queryset.model.objects.for_user(user_of(request))
        return scoped


# Sites -----------------------------------------------------------------------------------------


class SiteSerializer(ModelSerializer):
    """A site, as read and as written (the services check it)."""

    village = serializers.PrimaryKeyRelatedField(
        queryset=Division.objects.filter(level=Division.Level.VILLAGE)
    )
    village_name = serializers.CharField(source="village.name", read_only=True)
    township_name = serializers.SerializerMethodField()
    operating_unit = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Site
        fields = ["id", "kind", "name", "village", "village_name", "township_name", "address",
                  "latitude", "longitude", "operating_unit", "opening_hours", "contact_name",
                  "contact_phone", "facilities", "status", "created_at", "updated_at"]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list[Any] = []  # the service names a twin site on `name`
        extra_kwargs = {
            "latitude": {"coerce_to_string": True},
            "longitude": {"coerce_to_string": True},
        }

    def get_township_name(self, site: Site) -> str:
        parent = site.village.parent
        return parent.name if parent is not None else ""


class SiteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Family-education sites. Filters: `kind`, `status`, `village`. The network's keepers
    (civil affairs, the women's federation, county coordinators) register and change them."""

    permission_classes = [RulesPermission]
    permission_required = "family.view_sites"
    serializer_class = SiteSerializer
    read_serializer_class = SiteSerializer
    filterset_fields = ["kind", "status", "village"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @property
    def write_permission_required(self) -> str | None:
        return "family.manage_sites" if self.action == "create" else None

    @property
    def object_permission(self) -> str:
        return "family.change_site" if self.action == "partial_update" else "family.view_site"

    def get_queryset(self) -> QuerySet[Site]:
        return Site.objects.for_user(user_of(self.request)).select_related("village__parent")

    def get_object(self) -> Site:
        site = access_site(user_of(self.request), self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, site)
        return site

    def _read(self, site: Site, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=site.pk)
        return Response(self.get_serializer(fresh).data, status=status)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        site = services.site_create(actor=user_of(request), data=dict(serializer.validated_data))
        return self._read(site, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        site = self.get_object()
        serializer = self.get_serializer(site, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.site_update(
            actor=user_of(request), site=site, data=dict(serializer.validated_data)
        )
        return self._read(site)


# Volunteers ------------------------------------------------------------------------------------


class VolunteerSerializer(ModelSerializer):
    """A volunteer or lecturer: the name masked; no ID number, no phone."""

    name = serializers.CharField(source="person.masked_name", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    cleared = serializers.BooleanField(source="is_cleared", read_only=True)

    class Meta:
        model = Volunteer
        fields = ["id", "name", "team", "team_name", "township", "township_name", "skills",
                  "availability", "status", "joined_on", "clearance", "clearance_on",
                  "cleared"]  # fmt: skip
        read_only_fields = fields


class VolunteerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Volunteers and lecturers the caller may see (a team lead: their teams'). Filters:
    `team`, `township`, `status`, `clearance`. Opening one is recorded in the audit log."""

    permission_classes = [RulesPermission]
    permission_required = "family.view_volunteers"
    object_permission = "family.view_volunteer"
    serializer_class = VolunteerSerializer
    filterset_fields = ["team", "township", "status", "clearance"]

    def get_queryset(self) -> QuerySet[Volunteer]:
        return Volunteer.objects.for_user(user_of(self.request)).select_related(
            "person", "team", "township"
        )

    def get_object(self) -> Volunteer:
        volunteer = access_volunteer(user_of(self.request), self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, volunteer)
        return volunteer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        volunteer = self.get_object()
        services.volunteer_view(actor=user_of(request), volunteer=volunteer)
        return Response(self.get_serializer(volunteer).data)


# Activities ------------------------------------------------------------------------------------


class ActivityHelperSerializer(ModelSerializer):
    name = serializers.CharField(source="volunteer.person.masked_name", read_only=True)
    # Plain text in the schema: users' "role" is an enum of another choice set.
    role = serializers.CharField(read_only=True, help_text="lecturer or volunteer")

    class Meta:
        model = Helper
        fields = ["volunteer", "name", "role"]
        read_only_fields = fields


class ActivitySerializer(ModelSerializer):
    """An activity as read, and as recorded: `lecturers` and `volunteers` are ids of volunteers
    the caller may see (only cleared ones where children take part)."""

    site = ScopedRelatedField(queryset=Site.objects.all(), required=False, allow_null=True)
    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, allow_null=True
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    place = serializers.CharField(read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    team_name = serializers.SerializerMethodField()
    helpers = ActivityHelperSerializer(source="helper_rows", many=True, read_only=True)
    lecturers = ScopedRelatedField(
        queryset=Volunteer.objects.all(), many=True, required=False, write_only=True
    )
    volunteers = ScopedRelatedField(
        queryset=Volunteer.objects.all(), many=True, required=False, write_only=True
    )

    class Meta:
        model = Activity
        fields = ["id", "kind", "title", "held_on", "site", "school", "place", "village",
                  "village_name", "team", "team_name", "topic", "method", "audience_children",
                  "audience_parents", "hours", "notes", "helpers", "lecturers", "volunteers",
                  "recorded_by", "created_at"]  # fmt: skip
        read_only_fields = ["id", "village", "recorded_by", "created_at"]
        extra_kwargs = {
            "audience_children": {"max_value": MAX_COUNT},
            "audience_parents": {"max_value": MAX_COUNT},
        }

    def get_team_name(self, activity: Activity) -> str:
        return activity.team.name if activity.team is not None else ""


class ActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Family activities the caller may see (a school: those held at it). Filters: `kind`,
    `site`, `school`, `team`, `village`, `topic`. The network's writers and team leads record
    them."""

    permission_classes = [RulesPermission]
    permission_required = "family.view_activities"
    object_permission = "family.view_activity"
    serializer_class = ActivitySerializer
    read_serializer_class = ActivitySerializer
    filterset_fields = ["kind", "site", "school", "team", "village", "topic"]

    @property
    def write_permission_required(self) -> str | None:
        return "family.record_activity" if self.action == "create" else None

    def _helpers(self) -> Prefetch:
        return Prefetch(
            "helper_rows",
            queryset=Helper.objects.select_related("volunteer__person").order_by("role", "pk"),
        )

    def get_queryset(self) -> QuerySet[Activity]:
        return (
            Activity.objects.for_user(user_of(self.request))
            .select_related("site", "school__organisation", "village", "team")
            .prefetch_related(self._helpers())
        )

    def get_object(self) -> Activity:
        activity = access_activity(user_of(self.request), self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, activity)
        models.prefetch_related_objects([activity], self._helpers())
        return activity

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = services.activity_record(
            actor=user_of(request), data=dict(serializer.validated_data)
        )
        fresh = self.get_queryset().get(pk=activity.pk)
        return Response(self.get_serializer(fresh).data, status=201)


def register(router: BaseRouter) -> None:
    """Add the app's viewsets to the API router."""
    router.register("family/sites", SiteViewSet, basename="family-site")
    router.register("family/volunteers", VolunteerViewSet, basename="family-volunteer")
    router.register("family/activities", ActivityViewSet, basename="family-activity")
