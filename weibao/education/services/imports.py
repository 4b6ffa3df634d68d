"""The Excel import of a school's sessions of a term, and its template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from weibao.accounts.models import Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.education.models import Session, Term, Topic
from weibao.education.services._common import MAX_ERRORS_KEPT, Errors, _add, _decimal
from weibao.education.services.sessions import may_record_at, session_create
from weibao.kit import spreadsheets
from weibao.kit.guards import raise_if, require, require_perm
from weibao.kit.spreadsheets import Column, Report, RowError
from weibao.legalvp.models import Appointment
from weibao.schools.models import School

COLUMNS = (
    Column("date", gettext_lazy("Date"), example="2026-09-15", width=12),
    Column("status", gettext_lazy("Status"), example="held", width=10),
    Column("audience", pgettext_lazy("session", "Audience"), example="pupils", width=12),
    Column("grades", gettext_lazy("Grades"), required=False, example="三年级、四年级", width=16),
    Column("pupils_attending", gettext_lazy("Pupils attending"), required=False, example="120",
           width=10),
    Column("teachers_attending", gettext_lazy("Teachers attending"), required=False,
           example="6", width=10),
    Column("parents_attending", gettext_lazy("Parents attending"), required=False, example="0",
           width=10),
    Column("topics", gettext_lazy("Topics"), example="预防校园欺凌、防溺水", width=24),
    Column("speaker_kind", gettext_lazy("Speaker kind"), example="police officer", width=14),
    Column("speaker_name", gettext_lazy("Speaker's name"), example="吴军", width=12),
    Column("speaker_unit", gettext_lazy("Speaker's unit"), required=False, example="鳌溪派出所",
           width=20),
    Column("hours", gettext_lazy("Class hours"), required=False, example="1", width=8),
    Column("notice_sent", gettext_lazy("Notice to parents sent"), required=False, example="",
           width=10),
    Column("receipts_returned", gettext_lazy("Receipts returned"), required=False, example="",
           width=10),
    Column("notes", gettext_lazy("Notes"), required=False, width=30),
)  # fmt: skip
YES = {"1", "yes", "y", "true", "是", "已发", "已发放", "√"}
NO = {"", "0", "no", "n", "false", "否", "未发"}
TOPIC_SEPARATORS = "、，,;；/ "


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Value by every way of writing it: the value, and the label in each language."""
    found = {value.lower(): value for value in choices.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                found[str(label).strip().lower()] = value
    return found


@dataclass
class ImportReport(Report):
    created: int = 0


class _Importer:
    """Turns a row's texts into a session's data; the service checks the rest."""

    def __init__(self, term: Term, school: School) -> None:
        self.term, self.school = term, school
        self.statuses = _labels(Session.Status)
        self.audiences = _labels(Session.Audience)
        self.speakers = _labels(Session.SpeakerKind)
        self.topics = {t.name: t for t in Topic.objects.all()}
        self.units = {u.name: u for u in Organisation.objects.all()}
        links = Appointment.objects.filter(school_links__school=school).select_related("person")
        self.vps: dict[str, list[Appointment]] = {}
        for appointment in links.order_by("-term_start"):
            self.vps.setdefault(appointment.person.name, []).append(appointment)

    def choice(self, table: dict[str, str], texts: dict[str, str], key: str, errors: Errors) -> str:
        text = texts.get(key, "").strip()
        value = table.get(text.lower())
        if value is None:
            options = sorted({label for label in table if label.isascii()} - set(table.values()))
            _add(
                errors,
                key,
                _("Unknown value “%(value)s”; use one of: %(options)s.")
                % {"value": text, "options": ", ".join(options) or ", ".join(table.values())},
            )
            return ""
        return value

    def check(self, texts: dict[str, str]) -> dict[str, Any]:
        errors: Errors = {}
        data: dict[str, Any] = {"school": self.school, "division": None}
        try:
            day = date.fromisoformat(texts.get("date", "").strip()[:10])
        except ValueError:
            _add(errors, "date", _("Enter the date as YYYY-MM-DD."))
        else:
            if not self.term.start <= day <= self.term.end:
                _add(
                    errors,
                    "date",
                    _("The date is outside %(term)s (%(start)s to %(end)s).")
                    % {"term": self.term.name, "start": self.term.start, "end": self.term.end},
                )
            data["date"] = day
        data["status"] = self.choice(self.statuses, texts, "status", errors)
        data["audience"] = self.choice(self.audiences, texts, "audience", errors)
        data["speaker_kind"] = self.choice(self.speakers, texts, "speaker_kind", errors)
        data["grades"] = texts.get("grades", "")
        data["notes"] = texts.get("notes", "")
        counts = [(name, 0) for name in Session.GROUP_FIELDS.values()]
        for key, default in (*counts, ("receipts_returned", None)):
            text = texts.get(key, "").replace(",", "").strip()
            try:
                data[key] = int(text) if text else default
            except ValueError:
                _add(errors, key, _("Enter a whole number."))
        hours = _decimal(texts.get("hours", "").strip() or "1")
        if hours is None:
            _add(errors, "hours", _("Enter a number such as 1 or 1.5."))
        data["hours"] = hours
        notice = texts.get("notice_sent", "").strip().lower()
        if notice not in YES | NO:
            _add(errors, "notice_sent", _("Write yes or no."))
        data["notice_sent"] = notice in YES
        names = [
            name
            for name in "".join(
                " " if ch in TOPIC_SEPARATORS else ch for ch in texts.get("topics", "")
            ).split()
        ]
        unknown = [name for name in names if name not in self.topics]
        if unknown or not names:
            _add(
                errors,
                "topics",
                _("Unknown topic “%(names)s”: use the county's topic names.")
                % {"names": "、".join(unknown)}
                if unknown
                else _("Give at least one topic."),
            )
        data["topics"] = [self.topics[name] for name in names if name in self.topics]
        name = " ".join(texts.get("speaker_name", "").split())
        data["speaker_name"] = name
        unit_name = texts.get("speaker_unit", "").strip()
        if unit_name and unit_name not in self.units:
            _add(
                errors,
                "speaker_unit",
                _("There is no unit named “%(name)s”.") % {"name": unit_name},
            )
        data["speaker_unit"] = self.units.get(unit_name)
        if data["speaker_kind"] == Session.SpeakerKind.LEGAL_VP:
            found = self.vps.get(name, [])
            if not found:
                _add(
                    errors,
                    "speaker_name",
                    _("%(name)s is not a legal vice-principal of %(school)s.")
                    % {"name": name, "school": self.school.name},
                )
            else:
                when: date | None = data.get("date")
                fitting = [
                    a for a in found if when and a.term_start <= when <= (a.ended_on or a.term_end)
                ]
                data["appointment"] = (fitting or found)[0]
        raise_if(errors)
        return data


def sessions_template() -> bytes:
    """The import template, in the user's language, with one example row."""
    return spreadsheets.template_bytes(_("Sessions"), COLUMNS)


def sessions_import(*, actor: User, upload: IO[bytes], term: Term, school: School) -> ImportReport:
    """Import a school's sessions of a term from Excel. Every row is checked (by the session
    service too); if any row fails, nothing is written and every error is reported by row and
    column. Raises ValidationError when the file cannot be read at all."""
    require_perm(actor, "education.import_sessions")
    require(may_record_at(actor, school))
    importer = _Importer(term, school)
    checked = spreadsheets.check_rows(
        spreadsheets.read_rows(upload, COLUMNS),
        lambda _number, texts: importer.check(texts),
        COLUMNS,
        keep=MAX_ERRORS_KEPT,
    )
    report = ImportReport(good=checked.good, errors=checked.errors)
    # The rows that read well go through the service too, so its errors (a legal
    # vice-principal's term, a closed school) are reported with the others in one pass; when
    # anything failed, all of it is rolled back.
    headers = {column.key: str(column.header) for column in COLUMNS}
    headers.update(appointment=headers["speaker_name"], school=headers["date"], cases="")
    with transaction.atomic(durable=True):
        for number, data in report.good:
            try:
                with transaction.atomic():
                    session_create(actor=actor, data=data)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    column = headers.get(key, "")
                    report.errors.extend(RowError(number, column, m) for m in messages)
            else:
                report.created += 1
        if report.errors:
            transaction.set_rollback(True)
            report.created = 0
            report.errors.sort(key=lambda error: error.row)
            del report.errors[MAX_ERRORS_KEPT:]
            return report
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target=school,
            target_repr=_("Law-education sessions import"),
            operation="education_sessions_import",
            term=term.pk,
            created=report.created,
        )
    return report
