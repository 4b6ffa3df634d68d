"""People in the API: masked on the way out, written through the people services."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from weibao.accounts.models import Division, Organisation, User
from weibao.core.api import ModelSerializer, RulesPermission, user_of
from weibao.people import services
from weibao.people.access import access_person
from weibao.people.models import Guardianship, Person, PersonQuerySet, validate_birth_date


class GuardianshipSerializer(ModelSerializer):
    guardian_name = serializers.CharField(source="guardian.masked_name", read_only=True)
    guardian_phone = serializers.CharField(source="guardian.masked_phone", read_only=True)

    class Meta:
        model = Guardianship
        fields = ["guardian", "guardian_name", "guardian_phone", "relationship", "is_primary"]
        read_only_fields = fields


class PersonSerializer(ModelSerializer):
    """A person as the API shows them: name, ID number and phone masked."""

    name = serializers.CharField(source="masked_name", read_only=True)
    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    phone = serializers.CharField(source="masked_phone", read_only=True)
    age = serializers.IntegerField(read_only=True)
    left_behind = serializers.BooleanField(source="is_left_behind", read_only=True)
    guardians = GuardianshipSerializer(source="guardianships", many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "sex", "birth_date", "age", "id_number", "phone", "address",
                  "division", "hukou_division", "school", "grade", "class_name", "left_behind",
                  "guardians", "registered_by"]  # fmt: skip
        read_only_fields = fields


class PersonWriteSerializer(serializers.Serializer):
    """Input for create and update; the people services do the real checks."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=25, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Person.Sex.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(
        required=False, allow_null=True, validators=[validate_birth_date]
    )
    phone = serializers.CharField(max_length=25, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    division = serializers.PrimaryKeyRelatedField(
        queryset=Division.objects.all(), required=False, allow_null=True
    )
    hukou_division = serializers.PrimaryKeyRelatedField(
        queryset=Division.objects.all(), required=False, allow_null=True
    )
    school = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.schools(), required=False, allow_null=True
    )
    grade = serializers.CharField(max_length=20, required=False, allow_blank=True)
    class_name = serializers.CharField(max_length=20, required=False, allow_blank=True)


class RevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=services.REVEALABLE_FIELDS)
    reason = serializers.CharField(max_length=200)


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People the caller may see. `q` searches name, pinyin, initials or a whole ID number."""

    permission_classes = [RulesPermission]
    filterset_fields = ["school", "sex"]

    @property
    def permission_required(self) -> str:
        return "people.add_person" if self.action == "create" else "people.list_people"

    @property
    def object_permission(self) -> str:
        return {
            "update": "people.change_person",
            "partial_update": "people.change_person",
            "reveal": "people.reveal_person",
        }.get(self.action or "", "people.view_person")

    read_serializer_class = PersonSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action in ("create", "update", "partial_update"):
            return PersonWriteSerializer
        if self.action == "reveal":
            return RevealSerializer
        return PersonSerializer

    def _guardians(self, user: User) -> Prefetch:
        """A person's guardians, only those the caller may see."""
        guardians = Guardianship.objects.with_visible(user, "guardian").select_related("guardian")
        return Prefetch("guardianships", queryset=guardians)

    def get_queryset(self) -> PersonQuerySet:
        user = user_of(self.request)
        return (
            Person.objects.for_user(user)
            .select_related("left_behind")
            .prefetch_related(self._guardians(user))
        )

    def get_object(self) -> Person:
        """The person through the one access helper (404 outside the caller's scope)."""
        user = user_of(self.request)
        person = access_person(user, self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        self.check_object_permissions(self.request, person)
        prefetch_related_objects([person], self._guardians(user))
        return person

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        people = cast(PersonQuerySet, super().filter_queryset(queryset))
        if self.action != "list":
            return people
        params = self.request.query_params
        people = services.person_search(people, params.get("q", ""), actor=user_of(self.request))
        if params.get("minors") in ("1", "true", "on"):
            people = people.minors()
        return people

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        services.person_view(actor=user_of(request), person=person, via="api")
        return Response(PersonSerializer(person, context=self.get_serializer_context()).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            person = services.person_create(actor=user_of(request), data=serializer.validated_data)
        except services.DuplicatePerson as exc:
            return _duplicate_response(exc)
        return Response(self._read(person).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            services.person_update(
                actor=user_of(request), person=person, data=serializer.validated_data
            )
        except services.DuplicatePerson as exc:
            return _duplicate_response(exc)
        return Response(self._read(person).data)

    @extend_schema(
        responses=inline_serializer(
            "Revealed", {"field": serializers.CharField(), "value": serializers.CharField()}
        )
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str | None = None) -> Response:
        """The full ID number or phone; a reason is required and recorded."""
        person = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        value = services.person_reveal(
            actor=user_of(request),
            person=person,
            field=serializer.validated_data["field"],
            reason=serializer.validated_data["reason"],
        )
        response = Response({"field": serializer.validated_data["field"], "value": value})
        response["Cache-Control"] = "no-store"
        return response

    def _read(self, person: Person) -> PersonSerializer:
        fresh = self.get_queryset().get(pk=person.pk)
        return PersonSerializer(fresh, context=self.get_serializer_context())


def _duplicate_response(exc: services.DuplicatePerson) -> Response:
    """A 400 on id_number that gives the existing record's id when the caller may see it."""
    detail: dict[str, Any] = dict(exc.message_dict)
    if exc.existing is not None:
        detail["existing"] = exc.existing.pk
    return Response(detail, status=400)


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("people", PersonViewSet, basename="person")
