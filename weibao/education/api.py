"""Law education in the API: sessions, coverage and the case library, written through the
education services under the same `rules` policy as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from weibao.accounts.models import Division, Organisation
from weibao.core.api import ModelSerializer, RulesPermission, user_of
from weibao.education import coverage, services
from weibao.education.access import access_term
from weibao.education.forms import CoverageFilterForm
from weibao.education.models import Session, TeachingCase, Topic
from weibao.legalvp.models import Appointment
from weibao.schools.models import School

STATUS_HELP = "planned, held or cancelled"


# Sessions --------------------------------------------------------------------------------------


class SessionSerializer(ModelSerializer):
    place = serializers.CharField(source="place_name", read_only=True)
    topics: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    cases: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    # Plain text in the schema: "status" enums of several apps would clash there.
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)

    class Meta:
        model = Session
        fields = ["id", "school", "division", "place", "organiser", "date", "status", "overdue",
                  "audience", "grades", "pupils_attending", "teachers_attending",
                  "parents_attending", "attendance", "topics", "speaker_kind", "appointment",
                  "speaker_name", "speaker_unit", "hours", "cases", "notice_sent",
                  "receipts_returned", "notes", "duty_record"]  # fmt: skip
        read_only_fields = fields


class SessionWriteSerializer(serializers.Serializer):
    """Input for create and update; the services do the real checks."""

    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, allow_null=True
    )
    division = serializers.PrimaryKeyRelatedField(
        queryset=Division.objects.all(), required=False, allow_null=True
    )
    date = serializers.DateField()
    status = serializers.CharField(max_length=10, help_text=STATUS_HELP)
    audience = serializers.ChoiceField(choices=Session.Audience.choices)
    grades = serializers.CharField(max_length=100, required=False, allow_blank=True)
    pupils_attending = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    teachers_attending = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    parents_attending = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    attendance = serializers.IntegerField(
        min_value=0,
        max_value=100_000,
        required=False,
        help_text="The total, for a client that does not count the groups apart: it counts "
        "for the audience's group (pupils for a mixed audience).",
    )
    topics = serializers.PrimaryKeyRelatedField(queryset=Topic.objects.all(), many=True)
    speaker_kind = serializers.ChoiceField(choices=Session.SpeakerKind.choices)
    appointment = serializers.PrimaryKeyRelatedField(
        queryset=Appointment.objects.all(), required=False, allow_null=True
    )
    speaker_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    speaker_unit = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    hours = serializers.DecimalField(max_digits=3, decimal_places=1, required=False)
    cases = serializers.PrimaryKeyRelatedField(
        queryset=TeachingCase.objects.published(), many=True, required=False
    )
    notice_sent = serializers.BooleanField(required=False)
    receipts_returned = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Law-education sessions the caller may see; schools record their own."""

    permission_classes = [RulesPermission]
    permission_required = "education.view_sessions"
    filterset_fields = ["school", "status", "audience", "speaker_kind", "speaker_unit", "topics"]

    @property
    def write_permission_required(self) -> str | None:
        return "education.add_session" if self.action == "create" else None

    @property
    def write_object_permission(self) -> str:
        return "education.change_session"

    read_serializer_class = SessionSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action in ("create", "update", "partial_update"):
            return SessionWriteSerializer
        return SessionSerializer

    def get_queryset(self) -> QuerySet[Session]:
        sessions = Session.objects.for_user(user_of(self.request))
        term_id = self.request.query_params.get("term")
        if term_id and self.action == "list":
            term = access_term(user_of(self.request), term_id) if term_id.isdigit() else None
            sessions = sessions.in_term(term) if term else sessions.none()
        return sessions.select_related("school__organisation", "division").prefetch_related(
            "topics", "cases"
        )

    def _read(self, session: Session, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=session.pk)
        return Response(SessionSerializer(fresh).data, status=status)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_create(actor=user_of(request), data=serializer.validated_data)
        return self._read(session, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.session_update(
            actor=user_of(request), session=session, data=serializer.validated_data
        )
        return self._read(session)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.session_delete(actor=user_of(request), session=self.get_object())
        return Response(status=204)


# Coverage --------------------------------------------------------------------------------------


class CoverageViewSet(viewsets.ViewSet):
    """The coverage of a term (`term`, default the current one), with the page's filters:
    `township` (division id), `school_kind`, `topic`, `speaker_unit`."""

    permission_classes = [RulesPermission]
    permission_required = "education.view_coverage"

    @extend_schema(
        parameters=[
            OpenApiParameter("term", int),
            OpenApiParameter("township", int),
            OpenApiParameter("school_kind", str),
            OpenApiParameter("topic", int),
            OpenApiParameter("speaker_unit", int),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        form = CoverageFilterForm(request.query_params or None)
        term, filters = form.chosen()
        if form.is_bound and form.errors:
            return Response(form.errors, status=400)
        if term is None:
            return Response({"term": ["No term has been set up yet."]}, status=404)
        report = coverage.coverage_report(term, filters)
        return Response(_coverage_data(report))


def _coverage_data(report: coverage.CoverageReport) -> dict[str, Any]:
    figures = report.figures
    return {
        "term": {"id": report.term.pk, "name": report.term.name,
                 "start": report.term.start, "end": report.term.end},
        "rule": {
            "min_pupil_sessions": report.rule.min_pupil_sessions,
            "min_parent_sessions": report.rule.min_parent_sessions,
            "kindergarten_parent_sessions": report.rule.kindergarten_parent_sessions,
        },
        "total": {"required": report.total.required, "met": report.total.met,
                  "share": report.total.share},
        "townships": [
            {
                "township": row.township.pk if row.township else None,
                "name": row.name,
                "required": row.required,
                "met": row.met,
                "share": row.share,
                "schools": [
                    {
                        "school": s.school.pk,
                        "name": s.school.organisation.name,
                        "kind": s.school.kind,
                        "required": s.required,
                        "pupil_sessions": s.pupil_sessions,
                        "parent_sessions": s.parent_sessions,
                        "need_pupils": s.need_pupils,
                        "need_parents": s.need_parents,
                        "met": s.met,
                    }
                    for s in row.schools
                ],
            }
            for row in report.townships
        ],
        "figures": {
            "sessions_held": figures.sessions_held,
            "sessions_in_schools": figures.sessions_in_schools,
            "sessions_outside": figures.sessions_outside,
            "reached": figures.reached,
            "reached_total": figures.reached_total,
            "hours": str(figures.hours),
            "topics": [{"topic": t.pk, "name": t.name, "sessions": n} for t, n in figures.topics],
            "planned": figures.planned,
            "overdue": figures.overdue,
        },
    }  # fmt: skip


# Cases -----------------------------------------------------------------------------------------


class TeachingCaseSerializer(ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="proposed, published or rejected")
    topics: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = TeachingCase
        fields = [
            "id", "title", "summary", "statute", "article", "age_group", "topics", "status",
            "proposing_unit", "decided_at", "decision_note", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class TeachingCaseWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    statute = serializers.CharField(max_length=200)
    article = serializers.CharField(max_length=100, required=False, allow_blank=True)
    age_group = serializers.ChoiceField(choices=TeachingCase.AgeGroup.choices)
    topics = serializers.PrimaryKeyRelatedField(queryset=Topic.objects.all(), many=True)
    confirm = serializers.BooleanField(
        required=False, default=False, help_text="Save despite the privacy warnings."
    )


class TeachingCaseDecisionSerializer(serializers.Serializer):
    publish = serializers.BooleanField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class TeachingCaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The case library: `q` searches the words, `topic`, `age_group`, `status` filter.

    A text with an ID or phone number is refused; one with a name from the people register or
    a school name is refused under `confirm` until sent again with `confirm: true`."""

    permission_classes = [RulesPermission]
    permission_required = "education.view_cases"
    filterset_fields = ["age_group", "status", "topics"]

    @property
    def write_permission_required(self) -> str | None:
        return "education.propose_case" if self.action == "create" else None

    @property
    def write_object_permission(self) -> str:
        return "education.approve_case" if self.action == "decide" else "education.change_case"

    read_serializer_class = TeachingCaseSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action in ("create", "update", "partial_update"):
            return TeachingCaseWriteSerializer
        if self.action == "decide":
            return TeachingCaseDecisionSerializer
        return TeachingCaseSerializer

    def get_queryset(self) -> QuerySet[TeachingCase]:
        return TeachingCase.objects.for_user(user_of(self.request)).prefetch_related("topics")

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        cases = super().filter_queryset(queryset)
        if self.action == "list":
            cases = services.case_search(cases, self.request.query_params.get("q", ""))
        return cases

    def _read(self, case: TeachingCase, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(TeachingCaseSerializer(fresh).data, status=status)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        confirmed = data.pop("confirm", False)
        case = services.case_propose(actor=user_of(request), data=data, confirmed=confirmed)
        return self._read(case, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        confirmed = data.pop("confirm", False)
        services.case_update(actor=user_of(request), case=case, data=data, confirmed=confirmed)
        return self._read(case)

    @extend_schema(responses=TeachingCaseSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """A county coordinator publishes (`publish: true`) or rejects with a `note`."""
        case = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.case_decide(
            actor=user_of(request),
            case=case,
            publish=serializer.validated_data["publish"],
            note=serializer.validated_data.get("note", ""),
        )
        return self._read(case)


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("education/sessions", SessionViewSet, basename="education-session")
    router.register("education/coverage", CoverageViewSet, basename="education-coverage")
    router.register("education/cases", TeachingCaseViewSet, basename="education-case")
