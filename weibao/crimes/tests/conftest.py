"""Crimes fixtures: the procuratorate's prosecutor, the education bureau's clerk, a person of the
register (a minor registered by the procuratorate, 14 on 2021-06-02), a civil-affairs bureau, and
`speech_rows()`: a workbook's rows built to match the speech's figures exactly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from weibao.accounts.models import Organisation, Role, User
from weibao.crimes import services
from weibao.crimes.models import Case
from weibao.people.models import Person
from weibao.testing import County, id_for, make_user, xlsx_upload

NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)  # 10:00 in the county
TODAY = date(2026, 9, 15)
HEADER = [
    "Case number", "Offence", "Offence date", "Township or village", "Joint crime",
    "Gang crime", "Participants", "Suspect's ID number", "Suspect's age at the offence",
    "Suspect's sex", "Arrest decision", "Arrest decision date", "Prosecution decision",
    "Prosecution decision date", "Minor victims (sex and age)", "Notes",
]  # fmt: skip

# The speech (2017 to September 2022): minor suspects arrested and prosecuted by the year of the
# decision, rising but for 2020 (76 and 74); prosecuted cases and gang ones (41 and 34: 82.9 %);
# suspects aged 14 or 15 rising; minor victims of sexual offences 7 in 2020, 2 in 2021 (-71.4 %).
ARRESTED = {2017: 7, 2018: 10, 2019: 14, 2020: 9, 2021: 17, 2022: 19}
PROSECUTED = {2017: 7, 2018: 10, 2019: 13, 2020: 9, 2021: 16, 2022: 19}
CASES = {2017: 4, 2018: 6, 2019: 7, 2020: 5, 2021: 9, 2022: 10}
GANG = {2017: 3, 2018: 5, 2019: 6, 2020: 4, 2021: 8, 2022: 8}
AGED_14_16 = {2017: 1, 2018: 2, 2019: 3, 2020: 4, 2021: 5, 2022: 6}
SEXUAL_VICTIMS = {2020: [3, 2, 2], 2021: [2]}  # per case against minors, adult suspects


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def prosecutor(county: County) -> User:
    return make_user("prosecutor", county.procuratorate, Role.CASE_WORKER)


@pytest.fixture
def proc_reader(county: County) -> User:
    """A read-only user of the procuratorate: reads cases, keeps none."""
    return make_user("proc_reader", county.procuratorate, Role.READ_ONLY)


@pytest.fixture
def education(county: County) -> User:
    return make_user("education", county.education, Role.CASE_WORKER)


@pytest.fixture
def civil_affairs(county: County) -> Organisation:
    return Organisation.objects.create(
        name="乐安县民政局", kind=Organisation.Kind.CIVIL_AFFAIRS, division=county.county
    )


@pytest.fixture
def minor(county: County) -> Person:
    """A boy registered by the procuratorate, born 2007-06-03: 13 on 2021-06-02, 14 the day
    after (周岁 count from the day after the birthday)."""
    person = Person(
        name="李小明",
        sex=Person.Sex.MALE,
        birth_date=date(2007, 6, 3),
        division=county.village_a,
        registered_by=county.procuratorate,
    )
    person.set_id_number(id_for(date(2007, 6, 3), 311))
    person.save()
    return person


@pytest.fixture
def girl(county: County) -> Person:
    person = Person(
        name="王小红",
        sex=Person.Sex.FEMALE,
        birth_date=date(2012, 2, 1),
        division=county.village_b,
        registered_by=county.procuratorate,
    )
    person.save()
    return person


def case_data(county: County, **extra: Any) -> dict[str, Any]:
    """A theft by two minors in township A, both arrested and prosecuted."""
    suspect = {
        "sex": "M",
        "age_at_offence": 15,
        "arrest_kind": "arrest",
        "arrest_on": date(2025, 3, 20),
        "prosecution_kind": "prosecute",
        "prosecution_on": date(2025, 5, 8),
    }
    data: dict[str, Any] = {
        "number": "乐检未刑诉〔2025〕1号",
        "offence": "theft",
        "offence_date": date(2025, 3, 1),
        "division": county.township_a,
        "joint": True,
        "gang": False,
        "participants": 2,
        "suspects": [suspect, {**suspect, "age_at_offence": 17, "sex": "F"}],
        "victims": [{"sex": "F", "age": 12}],
    }
    data.update(extra)
    return data


@pytest.fixture
def case(county: County, prosecutor: User) -> Case:
    return services.case_create(actor=prosecutor, data=case_data(county))


def speech_rows() -> list[list[Any]]:
    """One row per suspect, as the case system exports, matching the speech exactly."""
    rows: list[list[Any]] = []
    townships = ["鳌溪镇", "公溪镇", "361025100201", "361025101000"]
    for year in ARRESTED:
        suspects = ARRESTED[year]
        prosecuted = PROSECUTED[year]
        cases, gang = CASES[year], GANG[year]
        # Prosecuted suspects shared out over the year's cases: the gang cases first, each of
        # at least one; the arrested but not (yet) prosecuted join the last case.
        per_case = [1] * cases
        for index in range(prosecuted - cases):
            per_case[index % gang] += 1
        young = AGED_14_16[year]
        n = 0
        for k in range(cases):
            number = f"乐检未刑诉〔{year}〕{k + 1}号"
            offence_date = date(year, 1 + k % 6, 1 + k)
            members = per_case[k] + (suspects - prosecuted if k == cases - 1 else 0)
            is_gang = k < gang
            participants = max(members, 3) if is_gang else members
            for m in range(members):
                prosecute = m < per_case[k]
                age = 15 if n < young else 17
                if year == 2021 and n == young:
                    age = 13  # one under 14 (Criminal Law Art. 17(3), approved prosecution)
                n += 1
                rows.append([
                    number, "盗窃" if k % 2 else "抢劫", offence_date, townships[k % 4],
                    "是" if participants > 1 else "否", "是" if is_gang else "否", participants,
                    "", age, "男", "批准逮捕", offence_date + timedelta(days=20),
                    "提起公诉" if prosecute else "", offence_date + timedelta(days=60)
                    if prosecute else "", "", "",
                ])  # fmt: skip
    for year, cases_victims in SEXUAL_VICTIMS.items():
        for k, count in enumerate(cases_victims):
            offence_date = date(year, 3 + k, 10)
            victims = "；".join(f"女{10 + i}" for i in range(count))
            rows.append([
                f"乐检刑诉〔{year}〕{50 + k}号", "猥亵儿童" if k else "强奸", offence_date,
                "鳌溪镇", "否", "否", 1, "", 35, "男", "批准逮捕",
                offence_date + timedelta(days=15), "提起公诉", offence_date + timedelta(days=50),
                victims, "",
            ])  # fmt: skip
    # A theft against a minor in 2021: a victim, but not of a sexual offence.
    rows.append([
        "乐检刑诉〔2021〕60号", "盗窃", date(2021, 8, 1), "公溪镇", "否", "否", 1, "", 30, "男",
        "", "", "", "", "男9", "",
    ])  # fmt: skip
    return rows


def speech_upload() -> Any:
    return xlsx_upload(HEADER, speech_rows(), name="cases.xlsx")
