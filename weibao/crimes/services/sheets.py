"""The register in Excel: the template, the import and the export.

One row per suspect, as the procuratorate's case system exports: the case's columns are
repeated on each of its suspects' rows, and the rows of one case number make one case. The
case's columns must agree on every row of the case (or be left empty after its first row).

A suspect is given by an ID number (Column(code=True): an ID number typed into a number cell
is refused), which gives the birth date and sex and finds the person of the register when there
is one, or by the age at the offence and the sex. The case's minor victims are one column, on
its first row: each victim as sex and age, separated by commas or semicolons ("女13；男15"); each
victim's offence is the case's.

Re-importing is idempotent by case number: a case in the file replaces the stored case of that
number, its suspects and victims becoming the file's (matched in order, so links made from them
stay). A file with any bad row writes nothing; every error names its row and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.crimes.models import Case, Decision, Offence, Sex, Suspect
from weibao.crimes.services.cases import case_check, case_save
from weibao.kit import crypto, spreadsheets
from weibao.kit.fielderrors import Errors, error, labels
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.spreadsheets import Column, Report, RowError
from weibao.lib import idnumber
from weibao.people.models import Person

MAX_ERRORS_KEPT = 1000
COLUMNS = (
    Column("number", pgettext_lazy("criminal case", "Case number"),
           example="乐检未刑诉〔2022〕12号", width=22),
    Column("offence", gettext_lazy("Offence"), example="盗窃", width=16),
    Column("offence_date", gettext_lazy("Offence date"), example="2022-03-15", width=12, date=True),
    Column("division", gettext_lazy("Township or village"), example="鳌溪镇", width=14),
    Column("joint", gettext_lazy("Joint crime"), required=False, example="是", width=8),
    Column("gang", gettext_lazy("Gang crime"), required=False, example="是", width=8),
    Column("participants", gettext_lazy("Participants"), required=False, example="3", width=8),
    Column("id_number", gettext_lazy("Suspect's ID number"), required=False, code=True, width=20),
    Column("age", gettext_lazy("Suspect's age at the offence"), required=False, example="15",
           width=8),
    Column("sex", gettext_lazy("Suspect's sex"), required=False, example="男", width=6),
    Column("arrest_kind", gettext_lazy("Arrest decision"), required=False, example="批准逮捕",
           width=12),
    Column("arrest_on", gettext_lazy("Arrest decision date"), required=False,
           example="2022-03-28", width=12, date=True),
    Column("prosecution_kind", gettext_lazy("Prosecution decision"), required=False,
           example="提起公诉", width=12),
    Column("prosecution_on", gettext_lazy("Prosecution decision date"), required=False,
           example="2022-05-10", width=12, date=True),
    Column("victims", gettext_lazy("Minor victims (sex and age)"), required=False,
           example="女13；男15", width=16),
    Column("notes", gettext_lazy("Notes"), required=False, width=30),
)  # fmt: skip


def header(key: str) -> str:
    """A column's header in the reader's language ("" for none)."""
    return next((str(column.header) for column in COLUMNS if column.key == key), "")


CASE_KEYS = ("number", "offence", "offence_date", "division", "joint", "gang", "participants")
YES = {"是", "y", "yes", "1", "true", "√", "有"}
NO = {"否", "n", "no", "0", "false", "", "无"}
# The names the case system writes (罪名 and 决定), whatever the page's language.
OFFENCE_NAMES = {
    "强奸": Offence.RAPE,
    "强制猥亵": Offence.INDECENT_ASSAULT,
    "强制猥亵、侮辱": Offence.INDECENT_ASSAULT,
    "猥亵儿童": Offence.CHILD_INDECENCY,
    "故意伤害": Offence.INJURY,
    "故意杀人": Offence.HOMICIDE,
    "抢劫": Offence.ROBBERY,
    "抢夺": Offence.SNATCHING,
    "盗窃": Offence.THEFT,
    "诈骗": Offence.FRAUD,
    "敲诈勒索": Offence.EXTORTION,
    "寻衅滋事": Offence.PROVOKING_TROUBLE,
    "聚众斗殴": Offence.AFFRAY,
    "贩卖毒品": Offence.DRUG_TRAFFICKING,
    "容留他人吸毒": Offence.HARBOURING_DRUG_USE,
    "帮助信息网络犯罪活动": Offence.CYBER_AID,
    "组织卖淫": Offence.ORGANISING_PROSTITUTION,
    "拐卖儿童": Offence.CHILD_TRAFFICKING,
    "其他": Offence.OTHER,
}
DECISION_NAMES = {
    "批准逮捕": Decision.Kind.ARREST,
    "批捕": Decision.Kind.ARREST,
    "不批准逮捕": Decision.Kind.NO_ARREST,
    "不捕": Decision.Kind.NO_ARREST,
    "提起公诉": Decision.Kind.PROSECUTE,
    "起诉": Decision.Kind.PROSECUTE,
    "不起诉": Decision.Kind.NOT_PROSECUTE,
    "附条件不起诉": Decision.Kind.CONDITIONAL,
}
VICTIM = re.compile(r"^(男|女|m|f|male|female)\s*(\d{1,3})\s*岁?$", re.IGNORECASE)
SEPARATORS = re.compile(r"[;；,，、\s]+")


@dataclass
class ImportReport(Report):
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def cases(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class _Row:
    number: int
    case: dict[str, Any]
    suspect: dict[str, Any] | None
    victims: list[dict[str, Any]]
    victims_given: bool
    notes: str


def _sex(text: str) -> str | None:
    return {"男": Sex.MALE, "女": Sex.FEMALE, "m": Sex.MALE, "f": Sex.FEMALE}.get(
        text.strip().lower(), labels(Sex).get(text.strip().lower())
    )


class _Importer:
    """Reads each row into case, suspect and victim data; the case checks come after."""

    def __init__(self) -> None:
        self.offences = {**labels(Offence), **OFFENCE_NAMES}
        self.kinds = {**labels(Decision.Kind), **DECISION_NAMES}
        self.divisions: dict[str, Division] = {}
        names: dict[str, list[Division]] = {}
        for division in Division.objects.filter(level__gte=Division.Level.TOWNSHIP):
            self.divisions[division.code] = division
            names.setdefault(division.name, []).append(division)
        for name, found in names.items():
            townships = [d for d in found if d.level == Division.Level.TOWNSHIP]
            if len(townships) == 1 or len(found) == 1:
                self.divisions.setdefault(name, (townships or found)[0])

    def _flag(self, errors: Errors, name: str, text: str) -> bool:
        value = text.strip().lower()
        if value in YES:
            return True
        if value not in NO:
            error(errors, name, _("Write 是 or 否."))
        return False

    def _date(self, errors: Errors, name: str, text: str) -> date | None:
        if not text:
            return None
        parsed = parse_date(text.strip()[:10].replace("/", "-").replace(".", "-"))
        if parsed is None:
            error(errors, name, _("Enter a date such as 2022-03-15."))
        return parsed

    def _kind(self, errors: Errors, name: str, text: str) -> str:
        if not text:
            return ""
        kind = self.kinds.get(text.strip().lower()) or self.kinds.get(text.strip())
        if kind is None:
            error(errors, name, _("Unknown decision “%(value)s”.") % {"value": text})
            return ""
        return str(kind)

    def check(self, texts: Mapping[str, str], number: int) -> _Row:
        errors: Errors = {}
        case: dict[str, Any] = {"number": " ".join(texts.get("number", "").split())}
        offence = texts.get("offence", "").strip()
        case["offence"] = self.offences.get(offence.lower()) or self.offences.get(
            offence.removesuffix("罪"), ""
        )
        if not case["offence"]:
            error(errors, "offence", _("Unknown offence “%(value)s”.") % {"value": offence})
        case["offence_date"] = self._date(errors, "offence_date", texts.get("offence_date", ""))
        place = texts.get("division", "").strip()
        case["division"] = self.divisions.get(place)
        if case["division"] is None:
            message = _("Unknown township or village “%(value)s”: give its name or code.")
            error(errors, "division", message % {"value": place}, "unknown")
        case["joint"] = self._flag(errors, "joint", texts.get("joint", ""))
        case["gang"] = self._flag(errors, "gang", texts.get("gang", ""))
        case["participants"] = texts.get("participants", "").strip()
        suspect = self._suspect(errors, texts, case["offence_date"])
        victims = self._victims(errors, texts.get("victims", ""))
        raise_if(errors)
        return _Row(
            number=number,
            case=case,
            suspect=suspect,
            victims=victims,
            victims_given=bool(texts.get("victims", "").strip()),
            notes=texts.get("notes", "").strip(),
        )

    def _suspect(
        self, errors: Errors, texts: Mapping[str, str], on: date | None
    ) -> dict[str, Any] | None:
        suspect: dict[str, Any] = {}
        for stage in Decision.Stage.values:
            suspect[f"{stage}_kind"] = self._kind(
                errors, f"{stage}_kind", texts.get(f"{stage}_kind", "")
            )
            suspect[f"{stage}_on"] = self._date(errors, f"{stage}_on", texts.get(f"{stage}_on", ""))
        code = texts.get("id_number", "").strip()
        if code:
            try:
                parsed = idnumber.parse(code)
            except ValueError as exc:
                error(errors, "id_number", str(exc))
                return None
            person = Person.objects.by_id_hash(crypto.blind_index(parsed.number)).first()
            if person is not None:
                suspect["person"] = person
            else:
                suspect["sex"] = parsed.sex
                if on is not None:
                    suspect["age_at_offence"] = idnumber.age_or_none(parsed.birth_date, on)
                    if suspect["age_at_offence"] is None:
                        error(errors, "id_number", _("Born after the offence date."))
            return suspect
        age, sex = texts.get("age", "").strip(), texts.get("sex", "").strip()
        if not age and not sex and not any(suspect.values()):
            return None  # a row of the case's victims only
        suspect["age_at_offence"] = age
        suspect["sex"] = _sex(sex) or ""
        if not suspect["sex"]:
            error(errors, "sex", _("Give the suspect's sex (男 or 女), or an ID number."))
        if not age:
            error(errors, "age", _("Give the suspect's age at the offence, or an ID number."))
        return suspect

    def _victims(self, errors: Errors, text: str) -> list[dict[str, Any]]:
        victims = []
        for part in SEPARATORS.split(text.strip()):
            if not part:
                continue
            found = VICTIM.match(part)
            if found is None:
                message = _("“%(value)s” is not a sex and an age such as 女13.") % {"value": part}
                error(errors, "victims", message)
                continue
            victims.append({"sex": _sex(found.group(1)), "age": int(found.group(2))})
        return victims


def _column(key: str) -> str:
    """The column of a service's error key (a case field, or suspects-<n>-<field>)."""
    name = key.rsplit("-", 1)[-1]
    name = {"age_at_offence": "age", "person": "id_number"}.get(name, name)
    if key.startswith("victims-"):
        name = "victims"
    return header(name)


def _group(report: ImportReport, rows: list[_Row]) -> dict[str, tuple[list[_Row], dict]]:
    """Rows by case number, each case's data, with a row error where the case's columns of a
    row disagree with its first row."""
    cases: dict[str, tuple[list[_Row], dict]] = {}
    for row in rows:
        key = row.case["number"]
        if key not in cases:
            data = {**row.case, "suspects": [], "victims": [], "notes": row.notes}
            cases[key] = ([], data)
        group, data = cases[key]
        first = group[0] if group else None
        if first is not None:
            for name in CASE_KEYS:
                if row.case[name] != first.case[name] and row.case[name] not in ("", None, False):
                    message = _("Differs from row %(row)d of the same case.") % {
                        "row": first.number
                    }
                    report.errors.append(RowError(row.number, header(name), message))
            if row.victims_given and data["victims"] and row.victims != first.victims:
                message = _("Differs from row %(row)d of the same case.") % {"row": first.number}
                report.errors.append(RowError(row.number, header("victims"), message))
        group.append(row)
        if row.suspect is not None:
            data["suspects"].append(row.suspect)
        if row.victims and not data["victims"]:
            data["victims"] = [{**v, "offence": data["offence"]} for v in row.victims]
    return cases


def _rows_of(group: list[_Row]) -> list[int]:
    """The row of each suspect, in order."""
    return [row.number for row in group if row.suspect is not None]


def _check_cases(report: ImportReport, cases: Mapping[str, tuple[list[_Row], dict]]) -> list:
    checked = []
    existing = dict(Case.objects.filter(number__in=list(cases)).values_list("number", "pk"))
    for number, (group, data) in cases.items():
        case = Case(pk=existing.get(number))
        try:
            checked.append((case, case_check(data, case=case if case.pk else None)))
        except ValidationError as exc:
            suspect_rows = _rows_of(group)
            for key, messages in exc.message_dict.items():
                row = group[0].number
                if key.startswith("suspects-"):
                    index = int(key.split("-")[1])
                    row = suspect_rows[index] if index < len(suspect_rows) else row
                column = _column(key) or header("number")
                report.errors.extend(RowError(row, column, m) for m in messages)
    return checked


def cases_import(*, actor: User, upload: IO[bytes]) -> ImportReport:
    """Import cases from Excel (one row per suspect), writing only if every row passes."""
    require_perm(actor, "crimes.keep_cases")
    importer = _Importer()
    read = spreadsheets.check_rows(
        spreadsheets.read_rows(upload, COLUMNS),
        lambda number, texts: importer.check(texts, number=number),
        COLUMNS,
        keep=MAX_ERRORS_KEPT,
    )
    report = ImportReport(errors=read.errors)
    rows = [row for _number, row in read.good]
    cases = _group(report, rows)
    checked = _check_cases(report, cases) if report.clean else []
    if not report.clean:
        # The cases' own errors come after the rows': all of them by row, within the bound.
        report.errors.sort(key=lambda e: e.row)
        del report.errors[MAX_ERRORS_KEPT:]
        return report
    with transaction.atomic(durable=True):
        for case, data in checked:
            if case.pk:
                case = Case.objects.select_for_update().get(pk=case.pk)
            created = case.pk is None
            changes = case_save(actor=actor, case=case, checked=data)
            if created:
                report.created += 1
            elif changes:
                report.updated += 1
            else:
                report.unchanged += 1
            report.good.append((0, case.pk))
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target_repr=_("Criminal cases import"),
            operation="crimes_import",
            rows=len(rows),
            created=report.created,
            updated=report.updated,
        )
    return report


def cases_template() -> bytes:
    return spreadsheets.template_bytes(_("Criminal cases"), COLUMNS)


def _yes(value: bool) -> str:
    return "是" if value else "否"


def export_rows(cases: QuerySet[Case]) -> Iterable[list[Any]]:
    """The cases in the import's columns, one row per suspect (a row for a case without any)."""
    cases = cases.select_related("division").prefetch_related("suspects__decisions", "victims")
    for case in cases:
        victims = "；".join(f"{v.get_sex_display()}{v.age}" for v in case.victims.all() if v.minor)
        head = [
            case.number,
            case.get_offence_display(),
            case.offence_date,
            case.division.code,
            _yes(case.joint),
            _yes(case.gang),
            case.participants,
        ]
        suspects: list[Suspect | None] = [*case.suspects.all()] or [None]
        for index, suspect in enumerate(suspects):
            tail: list[Any] = ["", "", "", "", "", "", ""]
            if suspect is not None:
                arrest, prosecution = suspect.arrest, suspect.prosecution
                tail = [
                    "",  # ID numbers never leave in an export of the register
                    suspect.age_at_offence,
                    suspect.get_sex_display(),
                    arrest.get_kind_display() if arrest else "",
                    arrest.decided_on if arrest else "",
                    prosecution.get_kind_display() if prosecution else "",
                    prosecution.decided_on if prosecution else "",
                ]
            yield [*head, *tail, victims if index == 0 else "", case.notes if index == 0 else ""]


def cases_export(*, actor: User, among: QuerySet[Case]) -> bytes:
    """The listed cases as Excel in the import's columns (audited)."""
    require_perm(actor, "crimes.view_cases")
    rows = list(export_rows(among))
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=_("Criminal cases export"),
        rows=len(rows),
    )
    return spreadsheets.workbook_bytes(
        _("Criminal cases"),
        [str(column.header) for column in COLUMNS],
        rows,
        [column.width for column in COLUMNS],
    )
