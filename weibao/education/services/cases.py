"""The case library: propose, change and decide teaching cases, with the privacy check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.core.services import notify
from weibao.education import privacy
from weibao.education.models import TeachingCase, Topic
from weibao.education.services._common import Errors, _add, _changes_with_m2m, _restore
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message

CASE_FIELDS = ("title", "summary", "statute", "article", "age_group")
CASE_TEXT_FIELDS = ("title", "summary", "statute", "article")


class PrivacyWarning(ValidationError):
    """The case's text may identify someone; save again with `confirmed` to accept."""

    def __init__(self, report: privacy.PrivacyReport) -> None:
        self.report = report
        super().__init__({"confirm": report.warning_messages})


def case_check(data: Mapping[str, Any]) -> privacy.PrivacyReport:
    """The privacy check of a case's texts (see weibao.education.privacy)."""
    texts = {name: str(data.get(name) or "") for name in CASE_TEXT_FIELDS}
    return privacy.check_texts(texts)


def _apply_case(
    case: TeachingCase, data: Mapping[str, Any], errors: Errors, *, confirmed: bool
) -> list[Topic] | None:
    for name in CASE_FIELDS:
        if name in data:
            setattr(case, name, str(data[name] or "").strip())
    case.title = " ".join(case.title.split())
    for name, message in (
        ("title", _("Give the case a title.")),
        ("summary", _("Write the case.")),
        ("statute", _("Name the law the case teaches.")),
    ):
        if not getattr(case, name):
            _add(errors, name, message)
    if case.age_group not in TeachingCase.AgeGroup.values:
        _add(errors, "age_group", _("Choose the age group."))
    topics = list(data["topics"]) if "topics" in data else None
    if (topics is not None and not topics) or (case.pk is None and topics is None):
        _add(errors, "topics", _("Choose at least one topic."))
    report = case_check({name: getattr(case, name) for name in CASE_TEXT_FIELDS})
    for name, messages in report.errors.items():
        errors.setdefault(name, []).extend(messages)
    if not errors and report.warnings and not confirmed:
        raise PrivacyWarning(report)
    return topics


def case_propose(*, actor: User, data: Mapping[str, Any], confirmed: bool = False) -> TeachingCase:
    """Propose a teaching case for the library; a county coordinator publishes it.

    Refuses ID and phone numbers in the text; names from the people register and school names
    raise PrivacyWarning unless `confirmed`.
    """
    require_perm(actor, "education.propose_case")
    case = TeachingCase(proposing_unit=actor.organisation, proposed_by=actor)
    errors: Errors = {}
    topics = _apply_case(case, data, errors, confirmed=confirmed)
    raise_if(errors)
    with transaction.atomic():
        case.full_clean(exclude=["topics"])
        case.save()
        case.topics.set(topics or [])
        changes = diff(case, {}, ("title", "statute", "article", "age_group", "status"))
        _changes_with_m2m(changes, "topics", [], topics)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=case,
            target_repr=case.title,
            changes=changes,
            confirmed_warnings=bool(confirmed),
        )
    return case


def case_update(
    *, actor: User, case: TeachingCase, data: Mapping[str, Any], confirmed: bool = False
) -> TeachingCase:
    require_perm(actor, "education.change_case", case)
    before = snapshot(case, CASE_FIELDS)
    old_topics = list(case.topics.all())
    errors: Errors = {}
    try:
        topics = _apply_case(case, data, errors, confirmed=confirmed)
        raise_if(errors)
    except ValidationError:
        _restore(case, before)
        raise
    with transaction.atomic(durable=True):
        case.full_clean(exclude=["topics"])
        case.save()
        if topics is not None:
            case.topics.set(topics)
        changes = diff(case, before, ("title", "statute", "article", "age_group", "summary"))
        if "summary" in changes:
            changes["summary"] = ["…", "…"]  # the text itself stays out of the log
        _changes_with_m2m(changes, "topics", old_topics, topics)
        if changes:
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=case,
                target_repr=case.title,
                changes=changes,
                confirmed_warnings=bool(confirmed),
            )
    return case


@transaction.atomic
def case_decide(*, actor: User, case: TeachingCase, publish: bool, note: str = "") -> TeachingCase:
    """A county coordinator publishes a case (it joins the library) or rejects it."""
    require_perm(actor, "education.approve_case", case)
    case = TeachingCase.objects.select_for_update().get(pk=case.pk)
    if case.status == TeachingCase.Status.PUBLISHED and publish:
        raise ValidationError({"status": [_("This case is already published.")]})
    note = " ".join((note or "").split())[:200]
    if not publish and not note:
        raise ValidationError({"note": [_("Say why the case is rejected.")]})
    before = {"status": case.status}
    case.status = TeachingCase.Status.PUBLISHED if publish else TeachingCase.Status.REJECTED
    case.approver = actor if publish else None
    case.decided_at = timezone.now()
    case.decision_note = note
    case.save(update_fields=["status", "approver", "decided_at", "decision_note", "updated_at"])
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=case,
        target_repr=case.title,
        changes=diff(case, before, ("status",)),
        note=note,
    )
    notify(
        recipients=[case.proposed_by] if case.proposed_by is not None else [],
        title=Message(gettext_noop("Your teaching case was published"))
        if publish
        else Message(gettext_noop("Your teaching case was not published")),
        link=case.get_absolute_url(),
        kind="education.case_decided",
    )
    return case


def case_search(cases: models.QuerySet[TeachingCase], words: str) -> models.QuerySet[TeachingCase]:
    """Cases whose title, summary, statute or article contain every word."""
    for word in (words or "").split()[:8]:
        cases = cases.filter(
            models.Q(title__icontains=word)
            | models.Q(summary__icontains=word)
            | models.Q(statute__icontains=word)
            | models.Q(article__icontains=word)
        )
    return cases
