"""Liaison group pages: the sender's list, form and status table; the liaison's inbox and reply."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from weibao.accounts.http import AuthedRequest
from weibao.core.models import Attachment
from weibao.core.views import export_response
from weibao.kit.forms import apply_errors
from weibao.kit.guards import require_perm
from weibao.kit.pages import paginate, render_list
from weibao.notices import services
from weibao.notices.access import access_notice, access_reply
from weibao.notices.forms import NoticeAttachmentForm, NoticeForm, ReplyForm
from weibao.notices.models import Notice, NoticeRecipient, NoticeReply

# Sender side ---------------------------------------------------------------------------------


@login_required
@permission_required("notices.view_sent", raise_exception=True)
def notice_list(request: AuthedRequest) -> HttpResponse:
    # Drafts first, then the newest sent (GROUP BY drops the model's default ordering).
    notices = (
        Notice.objects.sent_by_unit(request.user)
        .with_counts()
        .select_related("sender")
        .order_by(F("sent_at").desc(nulls_first=True), "-created_at", "-pk")
    )
    context = {"page": paginate(request, notices)}
    return render_list(request, "notices/notice_list.html", "notices/_notice_table.html", context)


@login_required
@permission_required("notices.add_notice", raise_exception=True)
def notice_create(request: AuthedRequest) -> HttpResponse:
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft was saved. Attach files, then send it."))
            return redirect(notice)
    context = {"form": form}
    return render(request, "notices/notice_form.html", context, status=400 if form.errors else 200)


@login_required
def notice_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = access_notice(request.user, pk)
    require_perm(request.user, "notices.change_notice", notice)
    if notice.status != Notice.Status.DRAFT:
        messages.error(request, _("Only a draft can be changed; this notice was sent."))
        return redirect(notice)
    form = NoticeForm(request.POST or None, notice=notice)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_update(actor=request.user, notice=notice, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(notice)
    context = {"form": form, "notice": notice}
    return render(request, "notices/notice_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def notice_attach(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = access_notice(request.user, pk)
    require_perm(request.user, "notices.change_notice", notice)
    form = NoticeAttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.notice_attach(
                actor=request.user, notice=notice, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The file was attached."))
            return redirect(notice)
    return _render_sender(request, notice, attach_form=form, status=400)


@login_required
@require_POST
def notice_send(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = access_notice(request.user, pk)
    require_perm(request.user, "notices.change_notice", notice)
    try:
        count = services.notice_send(actor=request.user, notice=notice)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        text = ngettext(
            "The notice was sent to %(count)d liaison.",
            "The notice was sent to %(count)d liaisons.",
            count,
        )
        messages.success(request, text % {"count": count})
    return redirect(notice)


@login_required
@require_POST
def notice_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = access_notice(request.user, pk)
    require_perm(request.user, "notices.change_notice", notice)
    try:
        services.notice_withdraw(actor=request.user, notice=notice)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The notice was withdrawn."))
    return redirect(notice)


@login_required
@require_POST
def notice_remind(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = access_notice(request.user, pk)
    require_perm(request.user, "notices.change_notice", notice)
    count = services.notice_remind_overdue(actor=request.user, notice=notice)
    if count:
        text = ngettext(
            "%(count)d overdue liaison was reminded.",
            "%(count)d overdue liaisons were reminded.",
            count,
        )
        messages.success(request, text % {"count": count})
    else:
        messages.info(request, _("No one is overdue."))
    return redirect(notice)


@login_required
def notice_export(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = access_notice(request.user, pk)
    require_perm(request.user, "notices.view_status", notice)
    content = services.notice_export_status(actor=request.user, notice=notice)
    filename = f"notice-{notice.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    return export_response(request, name=filename, content=content)


def _render_sender(
    request: AuthedRequest, notice: Notice, *, attach_form: Any = None, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    rows = services.status_rows(notice)
    latest: dict[int, NoticeReply] = {}
    replies = NoticeReply.objects.filter(recipient__notice=notice).order_by("created_at", "pk")
    for reply in replies:
        latest[reply.recipient_id] = reply
    table = [
        {
            "recipient": r,
            "township": services.township_of(r),
            "state": services.recipient_state(r, now),
            "overdue": r.is_overdue(now),
            "reply": latest.get(r.pk),
        }
        for r in rows
    ]
    can_change = request.user.has_perm("notices.change_notice", notice)
    context = {
        "notice": notice,
        "attachments": Attachment.objects.for_owner(notice),
        "table": table,
        "counts": {
            "recipients": len(rows),
            "read": sum(1 for r in rows if r.read_at),
            "replied": sum(1 for r in rows if r.replied_at),
            "overdue": sum(1 for row in table if row["overdue"]),
        },
        "can_change": can_change,
        "is_draft": notice.status == Notice.Status.DRAFT,
        "attach_form": attach_form
        or (
            NoticeAttachmentForm() if can_change and notice.status == Notice.Status.DRAFT else None
        ),
    }
    return render(request, "notices/notice_detail_sender.html", context, status=status)


# Both sides ----------------------------------------------------------------------------------


@login_required
def notice_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The sender side sees the status table; a liaison the notice and their reply form."""
    notice = access_notice(request.user, pk)
    if request.user.has_perm("notices.view_status", notice):
        return _render_sender(request, notice)
    return _render_recipient(request, notice)


def _own_recipient(request: AuthedRequest, notice: Notice) -> NoticeRecipient:
    rows = NoticeRecipient.objects.filter(notice=notice, user=request.user)
    recipient = rows.select_related("school__organisation").order_by("pk").first()
    if recipient is None:
        raise Http404
    return recipient


def _render_recipient(
    request: AuthedRequest, notice: Notice, *, form: ReplyForm | None = None
) -> HttpResponse:
    recipient = _own_recipient(request, notice)
    if form is None:
        services.notice_mark_read(actor=request.user, notice=notice)
    replies = list(
        NoticeReply.objects.for_user(request.user)
        .filter(recipient__notice=notice, recipient__school=recipient.school)
        .select_related("recipient__user")
    )
    attachments: dict[str, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(
        owner_type__app_label="notices",
        owner_type__model="noticereply",
        owner_id__in=[str(reply.pk) for reply in replies],
    ):
        attachments.setdefault(attachment.owner_id, []).append(attachment)
    history = [(reply, attachments.get(str(reply.pk), [])) for reply in replies]
    replied = any(True for _reply in replies)
    can_reply = (
        notice.status == Notice.Status.SENT
        and notice.wants_answer
        and not (replied and notice.is_past_deadline)
    )
    context = {
        "notice": notice,
        "recipient": recipient,
        "attachments": Attachment.objects.for_owner(notice),
        "history": history,
        "form": form or (ReplyForm() if can_reply else None),
        "overdue": recipient.is_overdue() and not replied,
    }
    return render(
        request, "notices/notice_detail.html", context, status=400 if form is not None else 200
    )


# Liaison side --------------------------------------------------------------------------------


@login_required
@permission_required("notices.view_inbox", raise_exception=True)
def inbox(request: AuthedRequest) -> HttpResponse:
    """The liaison's notices: unread first, then by deadline (soonest first)."""
    rows = (
        NoticeRecipient.objects.filter(user=request.user)
        .exclude(notice__status=Notice.Status.DRAFT)
        .select_related("notice__sender_unit", "school__organisation")
        .annotate(
            unread=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("unread", F("notice__deadline").asc(nulls_last=True), "-notice__sent_at")
    )
    context = {"page": paginate(request, rows), "now": timezone.now()}
    return render_list(request, "notices/inbox.html", "notices/_inbox_table.html", context)


@login_required
@require_POST
def notice_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = access_notice(request.user, pk)
    require_perm(request.user, "notices.reply_notice", notice)
    recipient = _own_recipient(request, notice)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            reply = services.notice_reply(
                actor=request.user,
                recipient=recipient,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if reply.is_late:
                messages.warning(request, _("Your reply was sent after the deadline."))
            else:
                messages.success(request, _("Your reply was sent."))
            return redirect(notice)
    return _render_recipient(request, notice, form=form)


@login_required
def reply_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One school's reply, with its files; audited as a view."""
    reply = access_reply(request.user, pk)
    services.reply_view(actor=request.user, reply=reply)
    context = {
        "reply": reply,
        "notice": reply.recipient.notice,
        "attachments": Attachment.objects.for_owner(reply),
        "history": NoticeReply.objects.filter(
            recipient__notice=reply.recipient.notice, recipient__school=reply.recipient.school
        ).select_related("recipient__user"),
    }
    return render(request, "notices/reply_detail.html", context)
