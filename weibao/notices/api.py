"""The notices API: the liaison group's notices, replies and status, through the notices services.

Who sees what is the pages' rule (`Notice.objects.for_user` and the `notices.*` permissions): the
sending unit sees its notices and every recipient's state; a liaison sees the notices sent to
them and replies for their school.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from weibao.accounts.models import Division
from weibao.core.api import ModelSerializer, RulesPermission, user_of
from weibao.core.api_fields import BoundedDateTimeField
from weibao.core.models import Attachment
from weibao.notices import services
from weibao.notices.access import access_notice
from weibao.notices.models import Notice, NoticeRecipient, NoticeReply
from weibao.schools.models import School


def _files(owner: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": a.pk,
            "name": a.name,
            "size": a.size,
            "url": reverse("core:attachment_download", args=[a.pk]),
        }
        for a in Attachment.objects.for_owner(owner)
    ]


class NoticeSerializer(ModelSerializer):
    """A notice. `counts` is given to the sending unit only; `mine` to a recipient only."""

    sender_unit_name = serializers.CharField(source="sender_unit.name", read_only=True)
    files = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    mine = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = ["id", "title", "body", "deadline", "requires", "status", "sent_at",
                  "sender_unit", "sender_unit_name", "townships", "school_kinds", "files",
                  "counts", "mine"]  # fmt: skip
        read_only_fields = fields

    def get_files(self, notice: Notice) -> list[dict[str, Any]]:
        return _files(notice) if self.context.get("detail") else []

    def get_counts(self, notice: Notice) -> dict[str, int] | None:
        user = self.context["request"].user
        if not user.has_perm("notices.view_status", notice) or not hasattr(
            notice, "recipient_count"
        ):
            return None
        return {
            "recipients": notice.recipient_count,
            "read": notice.read_count,
            "replied": notice.replied_count,
            "overdue": notice.overdue_count,
        }

    def get_mine(self, notice: Notice) -> dict[str, Any] | None:
        rows = self.context.get("mine", {})
        row: NoticeRecipient | None = rows.get(notice.pk)
        if row is None:
            return None
        return {
            "school": row.school_id,
            "read_at": row.read_at,
            "replied_at": row.replied_at,
            "overdue": row.is_overdue(),
        }


class NoticeWriteSerializer(serializers.Serializer):
    """Input for a draft; the notices services do the real checks."""

    title = serializers.CharField(max_length=200)
    body = serializers.CharField(required=False, allow_blank=True)
    deadline = BoundedDateTimeField(required=False, allow_null=True)
    requires = serializers.ChoiceField(choices=Notice.Requires.choices, required=False)
    townships = serializers.PrimaryKeyRelatedField(
        queryset=Division.objects.townships(), many=True, required=False
    )
    # Plain strings (the service checks them): the same choice set under a second enum name
    # would make the schema ambiguous.
    school_kinds = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text=", ".join(School.Kind.values),
    )


class RecipientSerializer(ModelSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True)
    township = serializers.SerializerMethodField()
    liaison = serializers.CharField(source="user.full_name", read_only=True)
    state = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    late = serializers.BooleanField(source="is_late", read_only=True)

    class Meta:
        model = NoticeRecipient
        fields = ["id", "school", "school_name", "township", "user", "liaison", "read_at",
                  "replied_at", "reminded_at", "reminder_count", "state", "overdue",
                  "late"]  # fmt: skip
        read_only_fields = fields

    def get_township(self, row: NoticeRecipient) -> str:
        return services.township_of(row)

    def get_state(self, row: NoticeRecipient) -> str:
        return services.recipient_state(row, self.context["now"])

    def get_overdue(self, row: NoticeRecipient) -> bool:
        return row.is_overdue(self.context["now"])


class ReplySerializer(ModelSerializer):
    school = serializers.IntegerField(source="recipient.school_id", read_only=True)
    liaison = serializers.IntegerField(source="recipient.user_id", read_only=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = NoticeReply
        fields = ["id", "school", "liaison", "text", "is_late", "created_at", "files"]
        read_only_fields = fields

    def get_files(self, reply: NoticeReply) -> list[dict[str, Any]]:
        return _files(reply)


class ReplyWriteSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True)
    file = serializers.ListField(child=serializers.FileField(), required=False)


class NoticeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Notices the caller may see: their unit's (sender side) and those sent to them.

    Opening one (`retrieve`) marks it read for a recipient. `reply` (POST, multipart: `text`,
    `file` one or more) answers for the recipient's school. The sending unit creates drafts,
    `send`s them, reads `recipients` (each liaison's state) and `replies`, and `remind`s the
    overdue.
    """

    permission_classes = [RulesPermission]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["status", "requires"]

    @property
    def write_permission_required(self) -> str | None:
        return "notices.add_notice" if self.action == "create" else None

    @property
    def object_permission(self) -> str:
        return {
            "send": "notices.change_notice",
            "remind": "notices.change_notice",
            "recipients": "notices.view_status",
        }.get(self.action or "", "notices.view_notice")

    @property
    def write_object_permission(self) -> str | None:
        return "notices.reply_notice" if self.action == "reply" else None

    read_serializer_class = NoticeSerializer

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create":
            return NoticeWriteSerializer
        if self.action == "reply":
            return ReplyWriteSerializer
        return NoticeSerializer

    def get_queryset(self) -> QuerySet[Notice]:
        notices = Notice.objects.for_user(user_of(self.request)).select_related("sender_unit")
        if self.action == "list":
            notices = notices.with_counts().order_by(
                F("sent_at").desc(nulls_first=True), "-created_at", "-pk"
            )
        return notices.prefetch_related("townships")

    def get_object(self) -> Notice:
        """The notice through the one access helper (404 outside the caller's reach)."""
        notice = access_notice(user_of(self.request), self.kwargs[self.lookup_url_kwarg or "pk"])
        self.check_object_permissions(self.request, notice)
        prefetch_related_objects([notice], "townships")
        return notice

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if getattr(self, "request", None) is not None and self.request.user.is_authenticated:
            rows = NoticeRecipient.objects.filter(user=user_of(self.request)).order_by("-pk")
            context["mine"] = {row.notice_id: row for row in rows.select_related("notice")}
        return context

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        notice = self.get_object()
        services.notice_mark_read(actor=user_of(request), notice=notice)
        fresh = Notice.objects.with_counts().select_related("sender_unit").get(pk=notice.pk)
        context = {**self.get_serializer_context(), "detail": True}
        return Response(NoticeSerializer(fresh, context=context).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = services.notice_create(actor=user_of(request), data=serializer.validated_data)
        context = {**self.get_serializer_context(), "detail": True}
        return Response(NoticeSerializer(notice, context=context).data, status=201)

    @extend_schema(
        request=None,
        responses=inline_serializer("NoticeSent", {"recipients": serializers.IntegerField()}),
    )
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        """Send the draft to its audience; answers with how many liaisons it reached."""
        notice = self.get_object()
        count = services.notice_send(actor=user_of(request), notice=notice)
        return Response({"recipients": count})

    @extend_schema(
        request=None,
        responses=inline_serializer("NoticeReminded", {"reminded": serializers.IntegerField()}),
    )
    @action(detail=True, methods=["post"])
    def remind(self, request: Request, pk: str | None = None) -> Response:
        """Remind the overdue liaisons now; answers with how many."""
        notice = self.get_object()
        count = services.notice_remind_overdue(actor=user_of(request), notice=notice)
        return Response({"reminded": count})

    @extend_schema(responses=RecipientSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def recipients(self, request: Request, pk: str | None = None) -> Response:
        """Every recipient's state: read, replied, overdue (the sending unit only)."""
        notice = self.get_object()
        rows = services.status_rows(notice)
        context = {**self.get_serializer_context(), "now": timezone.now()}
        return Response(RecipientSerializer(rows, many=True, context=context).data)

    @extend_schema(methods=["GET"], responses=ReplySerializer(many=True))
    @extend_schema(methods=["POST"], request=ReplyWriteSerializer, responses={201: ReplySerializer})
    @action(detail=True, methods=["get", "post"], url_path="reply", pagination_class=None)
    def reply(self, request: Request, pk: str | None = None) -> Response:
        """GET: the replies the caller may see (own school's, or all for the sender).
        POST: reply for the caller's school."""
        notice = self.get_object()
        if request.method == "GET":
            replies = NoticeReply.objects.for_user(user_of(request)).filter(
                recipient__notice=notice
            )
            return Response(ReplySerializer(replies, many=True).data)
        recipient = (
            NoticeRecipient.objects.filter(notice=notice, user=user_of(request))
            .order_by("pk")
            .first()
        )
        if recipient is None:
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        uploads = request.FILES.getlist("file") or serializer.validated_data.get("file", [])
        reply = services.notice_reply(
            actor=user_of(request),
            recipient=recipient,
            text=serializer.validated_data.get("text", ""),
            uploads=uploads,
        )
        return Response(ReplySerializer(reply).data, status=201)


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("notices", NoticeViewSet, basename="notice")
