"""Terms, their coverage rule and the county's topic list (the bureau and coordinators)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.education.models import CoverageRule, Term, Topic
from weibao.education.services._common import Errors, _add, _restore
from weibao.kit.guards import raise_if, require_perm

TERM_FIELDS = ("name", "start", "end")
RULE_FIELDS = ("min_pupil_sessions", "min_parent_sessions", "kindergarten_parent_sessions")
TOPIC_FIELDS = ("name", "position", "is_active")


def _apply_term(term: Term, data: Mapping[str, Any], errors: Errors) -> None:
    for name in TERM_FIELDS:
        if name in data:
            setattr(term, name, data[name])
    term.name = " ".join(str(term.name or "").split())
    if not term.name:
        _add(errors, "name", _("Give the term a name, e.g. 2026-2027学年第一学期."))
    if term.start is None:
        _add(errors, "start", _("Give the term's first day."))
    if term.end is None:
        _add(errors, "end", _("Give the term's last day."))
    elif term.start is not None and term.end < term.start:
        _add(errors, "end", _("The last day cannot be before the first day."))
    if term.start is not None and term.end is not None and term.end >= term.start:
        overlapping = Term.objects.filter(start__lte=term.end, end__gte=term.start)
        if term.pk:
            overlapping = overlapping.exclude(pk=term.pk)
        other = overlapping.first()
        if other is not None:
            _add(errors, "start", _("The term overlaps %(term)s.") % {"term": other.name})
    if term.name and Term.objects.filter(name=term.name).exclude(pk=term.pk).exists():
        _add(errors, "name", _("A term of this name exists."))


@transaction.atomic
def term_create(*, actor: User, data: Mapping[str, Any]) -> Term:
    """Add a term; its coverage rule is the county default until one is set."""
    require_perm(actor, "education.manage_terms")
    term = Term()
    errors: Errors = {}
    _apply_term(term, data, errors)
    raise_if(errors)
    term.full_clean()
    term.save()
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=term,
        target_repr=term.name,
        changes=diff(term, {}, TERM_FIELDS),
    )
    return term


@transaction.atomic(durable=True)
def term_update(*, actor: User, term: Term, data: Mapping[str, Any]) -> Term:
    require_perm(actor, "education.manage_terms")
    before = snapshot(term, TERM_FIELDS)
    errors: Errors = {}
    _apply_term(term, data, errors)
    if errors:
        _restore(term, before)
        raise ValidationError(errors)
    term.full_clean()
    term.save()
    changes = diff(term, before, TERM_FIELDS)
    if changes:
        record(
            AuditEvent.Action.UPDATE, actor=actor, target=term, target_repr=term.name,
            changes=changes,
        )  # fmt: skip
    return term


@transaction.atomic(durable=True)
def coverage_rule_set(*, actor: User, term: Term, data: Mapping[str, Any]) -> CoverageRule:
    """Set a term's coverage rule: a new row, so the rule's history stays."""
    require_perm(actor, "education.manage_terms")
    current = term.rule
    before = snapshot(current, RULE_FIELDS)
    rule = CoverageRule(term=term, set_by=actor, set_at=timezone.now())
    errors: Errors = {}
    for name in RULE_FIELDS:
        value = data.get(name, before[name])
        try:
            number = int(value)
        except (TypeError, ValueError):
            _add(errors, name, _("Enter a whole number."))
            continue
        if not 0 <= number <= 20:
            _add(errors, name, _("Enter a number from 0 to 20."))
        setattr(rule, name, number)
    raise_if(errors)
    rule.full_clean()
    rule.save()
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=term,
        target_repr=term.name,
        changes=diff(rule, before, RULE_FIELDS),
        rule=rule.pk,
    )
    return rule


# Topics ----------------------------------------------------------------------------------------


def _apply_topic(topic: Topic, data: Mapping[str, Any], errors: Errors) -> None:
    for name in TOPIC_FIELDS:
        if name in data and not (name == "position" and data[name] is None):
            setattr(topic, name, data[name])
    topic.name = " ".join(str(topic.name or "").split())
    if not topic.name:
        _add(errors, "name", _("Give the topic a name."))
    elif Topic.objects.filter(name=topic.name).exclude(pk=topic.pk).exists():
        _add(errors, "name", _("This topic is already on the list."))


@transaction.atomic(durable=True)
def topic_create(*, actor: User, data: Mapping[str, Any]) -> Topic:
    require_perm(actor, "education.manage_topics")
    topic = Topic()
    if data.get("position") is None:
        last = Topic.objects.aggregate(last=models.Max("position"))["last"] or 0
        topic.position = last + 1
    errors: Errors = {}
    _apply_topic(topic, data, errors)
    raise_if(errors)
    topic.full_clean()
    topic.save()
    record(
        AuditEvent.Action.CREATE, actor=actor, target=topic, target_repr=topic.name,
        changes=diff(topic, {}, TOPIC_FIELDS),
    )  # fmt: skip
    return topic


@transaction.atomic(durable=True)
def topic_update(*, actor: User, topic: Topic, data: Mapping[str, Any]) -> Topic:
    """Rename, reorder or retire a topic (a retired topic stays on the records that use it)."""
    require_perm(actor, "education.manage_topics")
    before = snapshot(topic, TOPIC_FIELDS)
    errors: Errors = {}
    _apply_topic(topic, data, errors)
    if errors:
        _restore(topic, before)
        raise ValidationError(errors)
    topic.full_clean()
    topic.save()
    changes = diff(topic, before, TOPIC_FIELDS)
    if changes:
        record(
            AuditEvent.Action.UPDATE, actor=actor, target=topic, target_repr=topic.name,
            changes=changes,
        )  # fmt: skip
    return topic
