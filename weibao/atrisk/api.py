"""The at-risk API: the same for_user QuerySets and services as the pages, masked on the way out."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from weibao.accounts.models import Organisation
from weibao.atrisk import services
from weibao.atrisk.access import access_event, access_file, reportable_people
from weibao.atrisk.forms import FileFilterForm
from weibao.atrisk.models import (
    AtRiskFile,
    Behaviour,
    Measure,
    MisconductEvent,
    RiskWarning,
)
from weibao.core.api import ModelSerializer, RulesPermission, user_of
from weibao.people.models import Person


def _drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    )


def _overview_schema() -> serializers.Serializer:
    """The shape of GET files/overview/ (the schema said a file; found by schemathesis)."""

    def counts(name: str, key: str) -> serializers.ListSerializer:
        label = serializers.CharField(allow_null=True)  # a file without a township: null
        item = inline_serializer(name, {key: label, "n": serializers.IntegerField()})
        return serializers.ListSerializer(child=item)

    month = inline_serializer(
        "FileOverviewMonth",
        {
            "month": serializers.CharField(),
            "new": serializers.IntegerField(),
            "closed": serializers.IntegerField(),
        },
    )
    return inline_serializer(
        "FileOverview",
        {
            "total": serializers.IntegerField(),
            "grades": counts("FileOverviewGrade", "grade"),
            "townships": counts("FileOverviewTownship", "township__name"),
            "sexes": counts("FileOverviewSex", "sex"),
            "ages": counts("FileOverviewAge", "age"),
            "codes": counts("FileOverviewCode", "behaviour__code"),
            "group_events": serializers.IntegerField(),
            "months": serializers.ListSerializer(child=month),
        },
    )


class FileSerializer(ModelSerializer):
    """A file as the API shows it: the minor's name and ID number masked."""

    name = serializers.CharField(source="person.masked_name", read_only=True)
    id_number = serializers.CharField(source="person.masked_id_number", read_only=True)
    sex = serializers.CharField(source="person.sex", read_only=True)
    age = serializers.IntegerField(source="person.age", read_only=True)
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)
    grade_reason = serializers.CharField(source="grade_reason_text", read_only=True)

    class Meta:
        model = AtRiskFile
        fields = [
            "id",
            "name",
            "id_number",
            "sex",
            "age",
            "school",
            "township",
            "unit",
            "worker",
            "grade",
            "grade_label",
            "grade_rule",
            "grade_reason",
            "score",
            "score_parts",
            "opened_at",
            "closed_at",
            "closed_reason",
        ]
        read_only_fields = fields


class EventSerializer(ModelSerializer):
    codes: Any = serializers.SlugRelatedField(
        source="behaviours", slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = MisconductEvent
        fields = [
            "id",
            "occurred_on",
            "place",
            "description",
            "reporting_unit",
            "codes",
            "repeated",
            "refuses_correction",
            "grave",
            "crime_class",
            "is_group",
            "sealed",
        ]
        read_only_fields = fields


class EventWriteSerializer(serializers.Serializer):
    """Input for a report; the service checks who may report whom and what is valid."""

    people = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), many=True)
    occurred_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    codes = serializers.SlugRelatedField(
        slug_field="code", queryset=Behaviour.objects.all(), many=True
    )
    repeated = serializers.BooleanField(required=False, default=False)
    refuses_correction = serializers.BooleanField(required=False, default=False)
    grave = serializers.BooleanField(required=False, default=False)
    crime_class = serializers.CharField(required=False, default="other")
    sealed = serializers.BooleanField(required=False, default=False)
    share_with = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.active(), many=True, required=False
    )


class MeasureSerializer(ModelSerializer):
    class Meta:
        model = Measure
        fields = [
            "id",
            "file",
            "kind",
            "category",
            "issuing_unit",
            "decided_on",
            "notes",
            "sealed",
            "event",
        ]
        read_only_fields = fields


class WarningSerializer(ModelSerializer):
    class Meta:
        model = RiskWarning
        fields = ["id", "file", "kind", "detail", "created_at", "resolved_at"]
        read_only_fields = fields


class FileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """At-risk files the caller may see; filters as on the list page (q, grade, township, school,
    age, worker, overdue, closed). Every retrieve is audited as a view."""

    permission_classes = [RulesPermission]
    permission_required = "atrisk.list_files"
    object_permission = "atrisk.view_file"
    serializer_class = FileSerializer

    def get_queryset(self) -> QuerySet[AtRiskFile]:
        return AtRiskFile.objects.for_user(user_of(self.request)).select_related("person")

    def get_object(self) -> AtRiskFile:
        file = access_file(user_of(self.request), self.kwargs["pk"])
        self.check_object_permissions(self.request, file)
        return file

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.action != "list":
            return queryset
        form = FileFilterForm(self.request.query_params or None, user=user_of(self.request))
        return form.filter(cast(Any, queryset))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        file = self.get_object()
        services.file_view(actor=user_of(request), file=file, via="api")
        return Response(self.get_serializer(file).data)

    @extend_schema(
        responses=inline_serializer(
            "FileTimeline",
            {"events": EventSerializer(many=True), "measures": MeasureSerializer(many=True)},
        )
    )
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        """The events and measures of the file that the caller may see (sealed ones hidden)."""
        file = self.get_object()
        user = user_of(request)
        services.file_view(actor=user, file=file, via="api_timeline")
        events = (
            MisconductEvent.objects.for_user(user)
            .filter(involved__file=file)
            .prefetch_related(Prefetch("behaviours", queryset=Behaviour.objects.order_by("code")))
        )
        measures = Measure.objects.for_user(user).filter(file=file)
        return Response(
            {
                "events": EventSerializer(events, many=True).data,
                "measures": MeasureSerializer(measures, many=True).data,
            }
        )

    @extend_schema(responses=_overview_schema())
    @action(detail=False, methods=["get"])
    def overview(self, request: Request) -> Response:
        """Counts by grade, township, age group, sex, behaviour code; group events; per month."""
        data = services.overview(self.get_queryset())
        data["grades"] = [{"grade": str(label), "n": n} for label, n in data["grades"]]
        data["sexes"] = [{"sex": str(label), "n": n} for label, n in data["sexes"]]
        data["ages"] = [{"age": label, "n": n} for label, n in data["ages"]]
        data["months"] = [{"month": m, "new": a, "closed": b} for m, a, b in data["months"]]
        return Response(data)


class EventViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Misconduct events the caller may see; POST reports one (opening files when needed)."""

    permission_classes = [RulesPermission]
    permission_required = "atrisk.list_files"
    write_permission_required = "atrisk.report_event"

    read_serializer_class = EventSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return EventWriteSerializer if self.action == "create" else EventSerializer

    def get_queryset(self) -> QuerySet[MisconductEvent]:
        return MisconductEvent.objects.for_user(user_of(self.request)).prefetch_related(
            Prefetch("behaviours", queryset=Behaviour.objects.order_by("code"))
        )

    def get_object(self) -> MisconductEvent:
        event = access_event(user_of(self.request), self.kwargs["pk"])
        self.check_object_permissions(self.request, event)
        return event

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = cast(serializers.Serializer, self.get_serializer(data=request.data))
        # Only the minors the caller may report (the one rule: access.reportable_people) can be
        # named: others look exactly like unknown ids.
        people_field = cast(serializers.ManyRelatedField, serializer.fields["people"])
        people_field.child_relation.queryset = reportable_people(user_of(request))  # type: ignore[arg-type]
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["behaviours"] = data.pop("codes")
        try:
            event = services.event_record(
                actor=user_of(request),
                people=data.pop("people"),
                data=data,
                share_with=data.pop("share_with", []),
            )
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc
        body = EventSerializer(event).data
        body["files"] = list(event.files.values_list("pk", flat=True))
        return Response(body, status=201)


class MeasureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Measures the caller may see (schools never see police, order or prosecution measures)."""

    permission_classes = [RulesPermission]
    permission_required = "atrisk.list_files"
    serializer_class = MeasureSerializer
    filterset_fields = ["file", "category"]

    def get_queryset(self) -> QuerySet[Measure]:
        return Measure.objects.for_user(user_of(self.request))


class WarningViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Open warnings on the files the caller sees; `mine=1` for the caller's own caseload."""

    permission_classes = [RulesPermission]
    permission_required = "atrisk.list_files"
    serializer_class = WarningSerializer

    def get_queryset(self) -> QuerySet[RiskWarning]:
        user = user_of(self.request)
        warnings = RiskWarning.objects.for_user(user).open()
        if self.request.query_params.get("mine") in ("1", "true"):
            warnings = warnings.filter(file__worker=user)
        return warnings


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("atrisk/files", FileViewSet, basename="atrisk-file")
    router.register("atrisk/events", EventViewSet, basename="atrisk-event")
    router.register("atrisk/measures", MeasureViewSet, basename="atrisk-measure")
    router.register("atrisk/warnings", WarningViewSet, basename="atrisk-warning")
