"""Shared test data: a small county with two schools, and a user for every kind of reader.

Like healthchecks' Alice/Bob/Charlie: school A's liaison, school B's liaison, a police officer, a
county coordinator, an outsider, a system administrator and an auditor.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from weibao.accounts.models import Division, Organisation, Role, User
from weibao.lib import idnumber

PASSWORD = "Weibao-test-2026"  # noqa: S105

COUNTY_CODE = "361025000000"


@dataclass
class County:
    county: Division
    township_a: Division
    township_b: Division
    village_a: Division
    village_b: Division
    procuratorate: Organisation
    education: Organisation
    police_a: Organisation
    township_gov_a: Organisation
    school_a: Organisation
    school_b: Organisation
    hotel: Organisation


def make_county() -> County:
    county = Division.objects.create(code=COUNTY_CODE, name="乐安县", level=Division.Level.COUNTY)
    ta = Division.objects.create(
        code="361025100000", name="鳌溪镇", level=Division.Level.TOWNSHIP, parent=county
    )
    tb = Division.objects.create(
        code="361025101000", name="公溪镇", level=Division.Level.TOWNSHIP, parent=county
    )
    va = Division.objects.create(
        code="361025100201", name="鳌溪村", level=Division.Level.VILLAGE, parent=ta
    )
    vb = Division.objects.create(
        code="361025101201", name="公溪村", level=Division.Level.VILLAGE, parent=tb
    )
    kind = Organisation.Kind
    proc = Organisation.objects.create(
        name="乐安县人民检察院", kind=kind.PROCURATORATE, division=county
    )
    edu = Organisation.objects.create(name="乐安县教育局", kind=kind.EDUCATION, division=county)
    return County(
        county=county,
        township_a=ta,
        township_b=tb,
        village_a=va,
        village_b=vb,
        procuratorate=proc,
        education=edu,
        police_a=Organisation.objects.create(
            name="鳌溪派出所", kind=kind.POLICE_STATION, division=ta
        ),
        township_gov_a=Organisation.objects.create(
            name="鳌溪镇人民政府", kind=kind.TOWNSHIP, division=ta
        ),
        school_a=Organisation.objects.create(
            name="鳌溪镇中心小学", kind=kind.SCHOOL_PRIMARY, division=va, parent=edu
        ),
        school_b=Organisation.objects.create(
            name="公溪镇中学", kind=kind.SCHOOL_SECONDARY, division=vb, parent=edu
        ),
        hotel=Organisation.objects.create(name="鳌溪宾馆", kind=kind.HOTEL, division=va),
    )


def make_user(username: str, organisation: Organisation, role: str, **extra: object) -> User:
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        full_name=str(extra.pop("full_name", username)),
        **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def logged_in(user: User) -> Client:
    """A test client signed in as `user`, with a verified one-time code where one is needed."""
    client = Client()
    client.force_login(user)
    if user.needs_otp:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def id_for(birth: date, seq: int = 123, prefix: str = "361025") -> str:
    return idnumber.make(prefix, birth, seq)


def xlsx_upload(header: Sequence[str], rows: Sequence[Sequence[Any]], name: str = "f.xlsx") -> Any:
    """An uploaded .xlsx file with a header row and the rows given."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def make_roster(county: County, actor: User) -> list[Any]:
    """Three teachers on school A's roster: 张伟, 王芳 and 李娜."""
    from weibao.staffchecks import services

    return [
        services.staff_add(
            actor=actor,
            unit=county.school_a,
            data={
                "name": name,
                "id_number": id_for(date(1980 + i, 3, 1), 100 + i),
                "role": "teacher",
                "start_date": date(2015, 9, 1),
            },
        )
        for i, name in enumerate(["张伟", "王芳", "李娜"])
    ]


ROLES = Role


def open_protected(client: Client, page: Any) -> bytes:
    """The file behind a protected export's page (core/export_ready.html): downloaded once
    through its link and decrypted with the password the page shows."""
    import msoffcrypto
    from django.urls import reverse

    from weibao.core.models import Attachment

    body = page.content.decode()
    password = body.split("<code>")[1].split("</code>")[0]
    attachment = Attachment.objects.latest("pk")
    url = reverse("core:attachment_download", args=[attachment.pk])
    assert url in body
    download: Any = client.get(url)
    office = msoffcrypto.OfficeFile(io.BytesIO(b"".join(download.streaming_content)))
    office.load_key(password=password)
    plain = io.BytesIO()
    office.decrypt(plain)
    return plain.getvalue()
