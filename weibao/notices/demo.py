"""The liaison group in the demo county: three notices from the education bureau, half-answered.

Runs after the schools demo (which appoints the liaisons); with no active liaison it does nothing.
The notices go out through the services (so the inboxes and audit log fill as in real use), then
their times are moved back to `as_of` so the status tables show a realistic mix: one notice past
its deadline with overdue and late schools, one still open, one that asked for no reply.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, User
from weibao.core.models import Attachment
from weibao.demo import names
from weibao.kit.spreadsheets import XLSX_CONTENT_TYPE, workbook_bytes
from weibao.notices import services
from weibao.notices.models import Notice, NoticeRecipient, NoticeReply
from weibao.schools.models import LiaisonAppointment

SENDER = "education"
# The demo accounts' schools are left unread and unanswered on the notices that want an answer,
# so whoever signs in as them can read and reply and watch the sender's counts change.
LEFT_FOR_THE_VISITOR = frozenset({"liaison_a", "liaison_b"})


@dataclass(frozen=True)
class DemoNotice:
    title: str
    body: str
    requires: str
    sent_days_ago: int
    deadline_days: int | None  # from as_of; negative is past
    read_share: float
    reply_share: float  # of the schools that read it
    late_share: float = 0.0  # of the replies, those sent after the deadline


NOTICES = (
    DemoNotice(
        "关于开展防溺水安全教育的通知",
        "各中小学校、幼儿园：\n\n为切实做好学生防溺水安全工作，请各校于本周内开展一次防溺水"
        "专题安全教育，组织学生观看警示教育片，向家长发送《致家长的一封信》，并填写附件回执表"
        "（含开展时间、参与学生人数、家长告知书回收情况），于截止时间前上传。\n\n县教育局",
        Notice.Requires.FILE,
        sent_days_ago=20,
        deadline_days=-5,
        read_share=0.9,
        reply_share=0.75,
        late_share=0.15,
    ),
    DemoNotice(
        "寒假前最后一堂课安排",
        "各学校：\n\n请于放假前安排“寒假前最后一堂课”，内容包括交通、防火、防溺水、网络安全"
        "和预防性侵害教育。请回复各校计划开展的日期和授课人。\n\n县教育局",
        Notice.Requires.REPLY,
        sent_days_ago=3,
        deadline_days=10,
        read_share=0.6,
        reply_share=0.4,
    ),
    DemoNotice(
        "关于转发《未成年人学校保护规定》学习材料的通知",
        "各学校：\n\n现将《未成年人学校保护规定》学习材料转发给你们，请组织教职工认真学习。"
        "\n\n县教育局",
        Notice.Requires.NONE,
        sent_days_ago=30,
        deadline_days=None,
        read_share=0.95,
        reply_share=0.0,
    ),
)

REPLY_TEXTS = (
    "已收到，我校将按要求落实。",
    "我校计划于放假前一周开展，由分管安全的副校长授课。",
    "已组织全体学生参加，家长告知书已全部回收。",
    "收到，按通知要求执行。",
)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _receipt(school: str, rng: random.Random) -> SimpleUploadedFile:
    """A filled-in receipt form, as a school would upload it."""
    content = workbook_bytes(
        "回执",
        ["学校", "开展日期", "参与学生人数", "家长告知书回收份数"],
        [[school, "2026-06-10", rng.randint(80, 1200), rng.randint(60, 1100)]],
        (30, 14, 14, 18),
    )
    return SimpleUploadedFile(f"{school}防溺水回执.xlsx", content, XLSX_CONTENT_TYPE)


def seed(*, seed: int, scale: float, as_of: date, progress: Callable[[str], None]) -> None:
    """Add the demo notices; does nothing if they exist or no liaison is appointed yet."""
    sender = User.objects.filter(username=SENDER, is_active=True).first()
    if sender is None or Notice.objects.filter(sender=sender, title=NOTICES[0].title).exists():
        return
    if not LiaisonAppointment.objects.active().exists():
        progress(_("notices: no campus liaisons appointed yet, skipped"))
        return
    rng = random.Random(seed)
    with transaction.atomic():
        for plan in NOTICES:
            _seed_notice(plan, sender=sender, as_of=as_of, rng=rng)
    progress(_("notices: %(n)d sent to the liaison group") % {"n": len(NOTICES)})


def _seed_notice(plan: DemoNotice, *, sender: User, as_of: date, rng: random.Random) -> None:
    # Sent with a far deadline (the service refuses one in the past), then moved back in time.
    notice = services.notice_create(
        actor=sender,
        data={
            "title": plan.title,
            "body": plan.body,
            "requires": plan.requires,
            "deadline": timezone.now() + timedelta(days=365) if plan.deadline_days else None,
        },
    )
    services.notice_send(actor=sender, notice=notice)
    sent_at = _at(as_of - timedelta(days=plan.sent_days_ago), 9, 30)
    deadline = (
        _at(as_of + timedelta(days=plan.deadline_days), 17)
        if plan.deadline_days is not None
        else None
    )
    Notice.objects.filter(pk=notice.pk).update(sent_at=sent_at, deadline=deadline)
    span = ((deadline or _at(as_of, 17)) - sent_at).total_seconds()

    by_school: dict[int, list[NoticeRecipient]] = {}
    for row in notice.recipients.select_related("user", "school__organisation").order_by("pk"):
        by_school.setdefault(row.school_id, []).append(row)
    for rows in by_school.values():
        if notice.wants_answer and any(r.user.username in LEFT_FOR_THE_VISITOR for r in rows):
            continue
        readers = [row for row in rows if rng.random() < plan.read_share]
        for row in readers:
            services.notice_mark_read(actor=row.user, notice=notice)
            read_at = sent_at + timedelta(seconds=rng.uniform(0.02, 0.4) * span)
            NoticeRecipient.objects.filter(pk=row.pk).update(read_at=read_at)
        if not readers or not notice.wants_answer or rng.random() >= plan.reply_share:
            continue
        replier = readers[0]
        late = rng.random() < plan.late_share
        reply = services.notice_reply(
            actor=replier.user,
            recipient=replier,
            text=rng.choice(REPLY_TEXTS),
            uploads=[_receipt(replier.school.name, rng)]
            if plan.requires == Notice.Requires.FILE
            else [],
        )
        if late and deadline is not None:
            replied_at = deadline + timedelta(hours=rng.uniform(2, 60))
        else:
            replied_at = sent_at + timedelta(seconds=rng.uniform(0.45, 0.95) * span)
        NoticeReply.objects.filter(pk=reply.pk).update(created_at=replied_at, is_late=late)
        NoticeRecipient.objects.filter(pk__in=[row.pk for row in rows]).update(
            replied_at=replied_at
        )
        NoticeRecipient.objects.filter(pk=replier.pk, read_at__gt=replied_at).update(
            read_at=replied_at
        )


def reset(*, progress: Callable[[str], None]) -> None:
    """Delete the demo county's notices, replies and their files.

    To run before the base county is deleted: the notices keep their senders, recipients and
    schools (protected foreign keys), so the county's users and units cannot go while they exist.
    """
    county = Division.objects.filter(code=names.COUNTY_CODE).first()
    if county is None:
        return
    notices = Notice.objects.filter(sender_unit__division__in=Division.objects.within(county))
    with transaction.atomic():
        owners = [
            (Notice, [str(pk) for pk in notices.values_list("pk", flat=True)]),
            (
                NoticeReply,
                [
                    str(pk)
                    for pk in NoticeReply.objects.filter(recipient__notice__in=notices).values_list(
                        "pk", flat=True
                    )
                ],
            ),
        ]
        for model, ids in owners:
            for attachment in Attachment.objects.filter(
                owner_type__app_label=model._meta.app_label,
                owner_type__model=model._meta.model_name,
                owner_id__in=ids,
            ):
                attachment.file.delete(save=False)
                attachment.delete()
        count, _by_model = notices.delete()
    progress(_("deleted notices: %(n)d") % {"n": count})
