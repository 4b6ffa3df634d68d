"""Checks that a teaching case cannot identify a child.

ID numbers and mobile numbers are refused outright; names from the people register and school
names are warned about (the author confirms the text is anonymised to save anyway). The register
is searched with one query: the text's name-like substrings (a common surname followed by one to
three more Chinese characters) are looked up by exact name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from weibao.lib import idnumber
from weibao.lib._text import to_halfwidth
from weibao.lib.phone import normalise_mobile

# The most common surnames (about nine in ten people carry one of them), and compound ones.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤詹饶游危聂艾蓝乐单解傅宁"
)
COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙"})
_HAN = re.compile(r"[\u4e00-\u9fff]+")
# Runs of digits (an X may end an ID number); separators inside a phone number are allowed.
_ID_CANDIDATE = re.compile(r"(?<![0-9])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")
_MOBILE_CANDIDATE = re.compile(r"(?<![0-9])(1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4})(?![0-9])")


@dataclass
class PrivacyReport:
    """What a case's texts reveal: errors (refused) and warnings (confirm to save), by field."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def warning_messages(self) -> list[str]:
        return [message for messages in self.warnings.values() for message in messages]


def id_numbers_in(text: str) -> list[str]:
    """Valid citizen ID numbers written in the text (full-width digits too)."""
    found = []
    for match in _ID_CANDIDATE.finditer(to_halfwidth(text)):
        try:
            found.append(idnumber.parse(match.group(1)).number)
        except ValueError:
            continue
    return found


def mobiles_in(text: str) -> list[str]:
    """Mainland mobile numbers written in the text."""
    found = []
    for match in _MOBILE_CANDIDATE.finditer(to_halfwidth(text)):
        try:
            found.append(normalise_mobile(match.group(1)))
        except ValueError:
            continue
    return found


def name_candidates(text: str) -> set[str]:
    """Substrings that could be a person's name: a surname and one to three more characters."""
    candidates: set[str] = set()
    for run in _HAN.findall(text):
        for start in range(len(run)):
            two = run[start : start + 2]
            if two in COMPOUND_SURNAMES:
                lengths: Iterable[int] = (3, 4)
            elif run[start] in SURNAMES:
                lengths = (2, 3, 4)
            else:
                continue
            for length in lengths:
                if start + length <= len(run):
                    candidates.add(run[start : start + length])
    return candidates


def register_names_in(texts: Mapping[str, str]) -> dict[str, list[str]]:
    """Field -> the names of the people register that appear in it (one query in all)."""
    from weibao.people.models import Person

    by_field = {name: name_candidates(text) for name, text in texts.items()}
    everything = set().union(*by_field.values()) if by_field else set()
    if not everything:
        return {}
    known = set(
        Person.objects.filter(name__in=everything).values_list("name", flat=True).distinct()
    )
    found: dict[str, list[str]] = {}
    for name, candidates in by_field.items():
        hits = sorted(candidates & known)
        # "张伟" inside "张伟明" is not a second name: keep the longest.
        hits = [hit for hit in hits if not any(hit != other and hit in other for other in hits)]
        if hits:
            found[name] = hits
    return found


def school_names_in(texts: Mapping[str, str]) -> dict[str, list[str]]:
    """Field -> the names of school units that appear in it."""
    from weibao.accounts.models import Organisation

    schools = Organisation.objects.schools().values_list("name", flat=True)
    found: dict[str, list[str]] = {}
    names = list(schools)
    for name, text in texts.items():
        hits = sorted(school for school in names if school and school in text)
        if hits:
            found[name] = hits
    return found


def check_texts(texts: Mapping[str, str]) -> PrivacyReport:
    """Check a case's texts by field: ID and mobile numbers are errors, names are warnings."""
    report = PrivacyReport()
    for name, text in texts.items():
        if id_numbers_in(text):
            report.errors.setdefault(name, []).append(
                _(
                    "The text contains an ID number. Remove it: a teaching case must not "
                    "identify anyone."
                )
            )
        if mobiles_in(text):
            report.errors.setdefault(name, []).append(
                _(
                    "The text contains a phone number. Remove it: a teaching case must not "
                    "identify anyone."
                )
            )
    for name, hits in register_names_in(texts).items():
        report.warnings.setdefault(name, []).append(
            _("“%(names)s” looks like a name in the people register; use a pseudonym (小A).")
            % {"names": "”、“".join(hits)}
        )
    for name, hits in school_names_in(texts).items():
        report.warnings.setdefault(name, []).append(
            _("“%(names)s” names a school; say “a primary school in the county” instead.")
            % {"names": "”、“".join(hits)}
        )
    return report
