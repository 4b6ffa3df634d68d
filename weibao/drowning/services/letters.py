"""The letter to parents (告家长书): one per school and season, as a Word document after
GB/T 9704 and a print view, with the six don'ts, the parents' four knows and the hazardous
waters in the school's catchment; the parents' receipts recorded per pupil, from the class list
or an Excel upload (every row checked; nothing written unless every row passes); coverage of
the receipts per school and per township.

The letter's text is Chinese in any UI: it is a Chinese official document sent home.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.drowning.models import (
    CATCHMENT_METRES,
    Catchment,
    LetterReceipt,
    ParentLetter,
    Season,
)
from weibao.kit import crypto, spreadsheets
from weibao.kit.documents import OfficialDocument, chinese_date, render
from weibao.kit.fielderrors import Errors, error
from weibao.kit.guards import raise_if, require_perm
from weibao.lib import idnumber
from weibao.people.models import Person
from weibao.schools.models import School

LETTER_WATERS = 30  # the nearest waters named in a letter
MAX_ERRORS_KEPT = 500
FIRST_YEAR = 2000

SIX_DONTS = (
    "不私自下水游泳；",
    "不擅自与他人结伴游泳；",
    "不在无家长或教师带领的情况下游泳；",
    "不到无安全设施、无救援人员的水域游泳；",
    "不到不熟悉的水域游泳；",
    "不熟悉水性的学生不擅自下水施救。",
)
FOUR_KNOWS = (
    ("知去向", "知道孩子去哪里"),
    ("知同伴", "知道孩子和谁在一起"),
    ("知内容", "知道孩子在做什么"),
    ("知归时", "知道孩子什么时候回家"),
)
SEASON_WORDS = {Season.SUMMER: "暑假", Season.WINTER: "寒假", Season.HOLIDAY: "节假日"}

RECEIPT_COLUMNS = [
    spreadsheets.Column(
        "id_number", gettext_lazy("ID number"), example="361025201501011234", width=22, code=True
    ),
    spreadsheets.Column(
        "name",
        pgettext_lazy("person", "Name"),
        required=False,
        example="张小明",
        person_name=True,
    ),
    spreadsheets.Column(
        "received_on", gettext_lazy("Received on"), required=False, example="2026-06-28", date=True
    ),
]


# Issuing --------------------------------------------------------------------------------------


def letter_create(*, actor: User, school: School, data: dict[str, Any]) -> ParentLetter:
    """Issue the school's letter for a season of a year (one a season)."""
    require_perm(actor, "drowning.issue_letter", school)
    year: Any = data.get("year")
    issued_on: Any = data.get("issued_on")
    letter = ParentLetter(
        school=school,
        year=year,
        season=data.get("season") or "",
        issued_on=issued_on,
        note=" ".join((data.get("note") or "").split(" ")).strip(),
        created_by=actor,
    )
    errors: Errors = {}
    today = timezone.localdate()
    if letter.year is not None and not FIRST_YEAR <= letter.year <= today.year + 1:
        error(
            errors,
            "year",
            _("Give a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR,
                                                          "last": today.year + 1},
        )  # fmt: skip
    if letter.issued_on is not None and letter.issued_on > today:
        error(errors, "issued_on", _("The letter cannot be dated in the future."), "future")
    if (
        letter.year
        and letter.season
        and ParentLetter.objects.filter(
            school=school, year=letter.year, season=letter.season
        ).exists()
    ):
        error(
            errors,
            "season",
            _("This school already has a letter for the %(season)s of %(year)d.")
            % {"season": letter.get_season_display(), "year": letter.year},
            "duplicate",
        )
    try:
        letter.full_clean(exclude=["created_by"], validate_constraints=False)
    except ValidationError as exc:
        for name, field_errors in exc.error_dict.items():
            errors.setdefault(name, []).extend(field_errors)
    raise_if(errors)
    try:
        with transaction.atomic(durable=True):
            letter.save()
            record(
                AuditEvent.Action.CREATE,
                actor=actor,
                target=letter,
                target_repr=str(letter),
                operation="letter_create",
                school=school.pk,
            )
    except IntegrityError:
        raise ValidationError(
            {"season": _("This school already has a letter for this season.")}
        ) from None
    return letter


# The document ---------------------------------------------------------------------------------


def letter_waters(letter: ParentLetter) -> list[Catchment]:
    """The hazardous waters in the school's catchment, nearest first (at most LETTER_WATERS)."""
    return list(
        Catchment.objects.filter(school=letter.school)
        .select_related("water__village__parent")
        .order_by("distance_m", "water_id")[:LETTER_WATERS]
    )


def letter_paragraphs(letter: ParentLetter, waters: list[Catchment]) -> list[str]:
    season = SEASON_WORDS.get(Season(letter.season), "假期")
    school = letter.school.name
    body = [
        f"{letter.year}年{season}即将来临。溺水是造成中小学生意外死亡的主要原因之一，"
        "夏季和节假日尤为多发。《中华人民共和国未成年人保护法》第十八条规定，父母或者其他监护人"
        "应当提高户外安全保护意识，避免未成年人发生溺水事故；《中华人民共和国家庭教育促进法》"
        "第十六条要求家长对孩子进行防溺水等方面的安全知识教育。家长是孩子的第一监护人，"
        "请切实履行监护职责，配合学校做好防溺水工作。",
        "一、教育孩子做到“六不”",
        *[f"{number}. {text}" for number, text in enumerate(SIX_DONTS, start=1)],
        "同时教育孩子学会自救，发现有人落水时立即大声呼救、拨打110或119并告知附近大人，"
        "不盲目下水施救。",
        "二、家长做到“四知”",
        *[f"{number}. {word}：{text}。" for number, (word, text) in enumerate(FOUR_KNOWS, 1)],
        "三、学校周边的危险水域",
    ]
    if waters:
        body.append(
            f"经排查，{school}周边{CATCHMENT_METRES // 1000}公里范围内登记的危险水域"
            f"{'（距离最近的' + str(len(waters)) + '处）' if len(waters) >= LETTER_WATERS else ''}"
            "如下，请务必告诫孩子远离："
        )
        for number, catchment in enumerate(waters, start=1):
            water = catchment.water
            village = water.village
            place = f"{village.parent.name}{village.name}" if village.parent else village.name
            body.append(
                f"（{number}）{place}{water.name}（{water.get_kind_display()}），"
                f"距学校约{catchment.distance_m}米。"
            )
    else:
        body.append(
            f"经排查，{school}周边{CATCHMENT_METRES // 1000}公里范围内暂无登记的危险水域，"
            "但仍请告诫孩子远离江河、水库、池塘、沟渠等一切水域。"
        )
    if letter.note:
        body.append(letter.note)
    body.append(
        "请家长认真阅读本告家长书，签署回执后交班主任。让我们携起手来，共同守护孩子的生命安全！"
    )
    return body


def letter_document(
    letter: ParentLetter, waters: list[Catchment] | None = None
) -> OfficialDocument:
    waters = letter_waters(letter) if waters is None else waters
    season = SEASON_WORDS.get(Season(letter.season), "假期")
    return OfficialDocument(
        title=f"{letter.year}年{season}防溺水安全告家长书",
        recipient="尊敬的家长",
        body=letter_paragraphs(letter, waters),
        issuer=letter.school.name,
        issued_on=letter.issued_on,
        extra={
            "回执": "本人已认真阅读告家长书，将切实履行监护职责。",
            "学生姓名": "__________　班级：__________",
            "家长签名": "__________　日期：__________",
        },
    )


def letter_download(*, actor: User, letter: ParentLetter) -> bytes:
    """The letter as a Word document after GB/T 9704; the download is on the record."""
    require_perm(actor, "drowning.view_letter", letter)
    content = render(letter_document(letter))
    record(
        AuditEvent.Action.DOWNLOAD,
        actor=actor,
        target=letter,
        target_repr=str(letter),
        document="parent_letter",
    )
    return content


def issued_on_text(letter: ParentLetter) -> str:
    return chinese_date(letter.issued_on)


# Receipts -------------------------------------------------------------------------------------


def _check_received_on(errors: Errors, day: date | None, letter: ParentLetter) -> None:
    if day is None:
        error(errors, "received_on", _("Give the date the receipt came back."), "required")
    elif day > timezone.localdate():
        error(errors, "received_on", _("The date cannot be in the future."), "future")
    elif day < letter.issued_on:
        error(errors, "received_on", _("The date is before the letter was issued."), "early")


def receipts_set(
    *,
    actor: User,
    letter: ParentLetter,
    shown: list[int],
    received: list[int],
    received_on: date | None,
) -> tuple[int, int]:
    """The class list's save: of the pupils `shown` on the page, those in `received` have a
    receipt, the others none. Returns (added, removed)."""
    require_perm(actor, "drowning.record_receipt", letter)
    errors: Errors = {}
    _check_received_on(errors, received_on, letter)
    pupils = set(letter.pupils().filter(pk__in=shown).values_list("pk", flat=True))
    wanted = set(received)
    if wanted - pupils:
        error(errors, "received", _("Some of the pupils ticked are not on this school's list."))
    raise_if(errors)
    assert received_on is not None
    with transaction.atomic(durable=True):
        have = set(
            LetterReceipt.objects.filter(letter=letter, pupil_id__in=pupils).values_list(
                "pupil_id", flat=True
            )
        )
        add = sorted(wanted - have)
        remove = sorted((pupils - wanted) & have)
        LetterReceipt.objects.bulk_create(
            [
                LetterReceipt(
                    letter=letter,
                    pupil_id=pk,
                    received_on=received_on,
                    via=LetterReceipt.Via.CLASS_LIST,
                    recorded_by=actor,
                )
                for pk in add
            ],
            ignore_conflicts=True,
        )
        LetterReceipt.objects.filter(letter=letter, pupil_id__in=remove).delete()
        if add or remove:
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=letter,
                target_repr=str(letter),
                operation="receipts_set",
                added=len(add),
                removed=len(remove),
            )
    return len(add), len(remove)


@dataclass
class ReceiptReport(spreadsheets.Report):
    created: int = 0
    already: int = 0
    rows: int = 0


def _receipt_checker(letter: ParentLetter) -> Any:
    """A row's check: the ID number of one of the school's pupils, the name (if given) as in
    the register, a date neither in the future nor before the letter."""
    pupils = letter.pupils()
    today = timezone.localdate()

    def check(row: dict[str, str]) -> tuple[int, date]:
        errors: Errors = {}
        text = row.get("id_number", "").strip().upper()
        pupil = None
        try:
            number = idnumber.parse(text).number
        except ValueError:
            error(errors, "id_number", _("Not a valid ID number."))
        else:
            pupil = pupils.by_id_hash(crypto.blind_index(number)).only("pk", "name").first()
            if pupil is None:
                error(errors, "id_number", _("No pupil of this school has this ID number."))
            elif row.get("name") and row["name"] != pupil.name:
                error(errors, "name", _("The name is not the one in the register."))
        received_text = row.get("received_on", "")
        received: date | None = today
        if received_text:
            try:
                received = date.fromisoformat(received_text[:10])
            except ValueError:
                error(errors, "received_on", _("Write the date as 2026-06-28."))
            else:
                _check_received_on(errors, received, letter)
        raise_if(errors)
        assert pupil is not None and received is not None
        return pupil.pk, received

    return check


def receipts_import(*, actor: User, letter: ParentLetter, upload: IO[bytes]) -> ReceiptReport:
    """Receipts from an Excel list of pupils' ID numbers: every row checked, written only if
    every row passes (a pupil already on file is counted, not doubled). Raises ValidationError
    when the file cannot be read at all."""
    require_perm(actor, "drowning.record_receipt", letter)
    check = _receipt_checker(letter)
    first_row: dict[int, int] = {}

    def check_once(number: int, texts: dict[str, str]) -> tuple[int, date]:
        pk, received = check(texts)
        if getattr(texts, "problems", None):
            return pk, received  # check_row refuses the row for its unreadable cells
        if pk in first_row:
            message = _("The same pupil as in row %(row)d.") % {"row": first_row[pk]}
            raise ValidationError({"id_number": [message]})
        first_row[pk] = number
        return pk, received

    read = spreadsheets.check_rows(
        spreadsheets.read_rows(upload, RECEIPT_COLUMNS),
        check_once,
        RECEIPT_COLUMNS,
        keep=MAX_ERRORS_KEPT,
    )
    report = ReceiptReport(good=read.good, errors=read.errors, rows=read.rows)
    if not report.rows:
        raise ValidationError(_("The file has no rows below the headers."))
    if not report.clean:
        return report
    with transaction.atomic(durable=True):
        have = set(LetterReceipt.objects.filter(letter=letter).values_list("pupil_id", flat=True))
        new = [
            LetterReceipt(
                letter=letter,
                pupil_id=pk,
                received_on=received,
                via=LetterReceipt.Via.UPLOAD,
                recorded_by=actor,
            )
            for _number, (pk, received) in report.good
            if pk not in have
        ]
        LetterReceipt.objects.bulk_create(new, ignore_conflicts=True)
        report.created = len(new)
        report.already = len(report.good) - len(new)
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target=letter,
            target_repr=str(letter),
            operation="receipts_import",
            rows=len(report.good),
            created=report.created,
        )
    return report


def receipts_template() -> bytes:
    return spreadsheets.template_bytes(_("Letter receipts"), RECEIPT_COLUMNS)


# Coverage -------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    """Pupils and receipts of one school's letter, or of a township's letters."""

    label: str
    pupils: int = 0
    receipts: int = 0
    letter: ParentLetter | None = None
    letters: int = 0

    @property
    def share(self) -> Any:
        from weibao.core.contract import percent

        return percent(self.receipts, self.pupils)


def pupil_counts(school_org_ids: list[int]) -> dict[int, int]:
    """Pupils in the register by school unit."""
    rows = (
        Person.objects.filter(school_id__in=school_org_ids)
        .values("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["school_id"]: row["n"] for row in rows}


def coverage(letters: QuerySet[ParentLetter]) -> tuple[list[CoverageRow], list[CoverageRow]]:
    """(one row per letter, one row per township) for the letters given: a fixed number of
    queries whatever their number."""
    listed = list(
        letters.select_related("school__organisation__division")
        .annotate(receipt_count=Count("receipts"))
        .order_by("school__organisation__division__code", "school__organisation__name", "pk")
    )
    counts = pupil_counts([letter.school.organisation_id for letter in listed])
    rows: list[CoverageRow] = []
    by_township: dict[str, CoverageRow] = {}
    codes = {letter.school.organisation.division.code[:9] + "000" for letter in listed}
    names = dict(Division.objects.filter(code__in=codes).values_list("code", "name"))
    for letter in listed:
        pupils = counts.get(letter.school.organisation_id, 0)
        receipts = letter.receipt_count
        rows.append(CoverageRow(letter.school.name, pupils, receipts, letter, 1))
        code = letter.school.organisation.division.code[:9] + "000"
        township = by_township.setdefault(code, CoverageRow(names.get(code, code)))
        township.pupils += pupils
        township.receipts += receipts
        township.letters += 1
    return rows, [by_township[code] for code in sorted(by_township)]


def without_receipt(letter: ParentLetter) -> QuerySet[Person]:
    """The school's pupils with no receipt of the letter, by grade, class and name."""
    received = LetterReceipt.objects.filter(letter=letter).values("pupil_id")
    return (
        letter.pupils()
        .exclude(pk__in=received)
        .only("pk", "name", "grade", "class_name", "school_id")
        .order_by("grade", "class_name", "name_pinyin", "pk")
    )


def receipts_by_pupil(letter: ParentLetter, pupils: list[int]) -> dict[int, LetterReceipt]:
    found: dict[int, LetterReceipt] = {}
    for receipt in LetterReceipt.objects.filter(letter=letter, pupil_id__in=pupils):
        found[receipt.pupil_id] = receipt
    return found


__all__ = [
    "RECEIPT_COLUMNS",
    "CoverageRow",
    "ReceiptReport",
    "coverage",
    "issued_on_text",
    "letter_create",
    "letter_document",
    "letter_download",
    "letter_waters",
    "pupil_counts",
    "receipts_by_pupil",
    "receipts_import",
    "receipts_set",
    "receipts_template",
    "without_receipt",
]
