"""Every marked string has a Simplified Chinese translation, and the compiled file is current."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_catalogue_is_complete_and_compiled() -> None:
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO))}
    source = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in po.translated_entries()}
    assert compiled == source, "locale/*.mo is stale: run `make messages`"


def test_every_marked_string_is_in_the_catalogue(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is missing: run `make e2e-deps` as root")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "weibao", tmp_path / "weibao", ignore=ignore)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    shutil.copy(ROOT / "manage.py", tmp_path)
    env = {**os.environ, "WEIBAO_VAR_DIR": str(tmp_path / "var")}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    po = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"no Chinese translation (run `make messages`): {missing[:20]}"


# Words that name different things in different places: a person's name (姓名), a unit's or a
# school's name (名称, 学校名称); a home address (地址), an IP address and a web address; the
# date range of a search and the units of a referral (From/To); a visit's due date and a
# feedback deadline. Each must carry a `pgettext` context so that one msgid has one meaning.
AMBIGUOUS = frozenset(
    {
        "name", "Name", "address", "Address", "from", "to", "From", "To", "due", "About",
        "outcome", "Audience", "audience", "pupils", "Open", "open", "All", "Start date",
        "End date", "number", "Number", "type", "Type", "level", "Level", "report", "Report",
    }
)  # fmt: skip


def test_ambiguous_words_carry_a_context() -> None:
    po = polib.pofile(str(PO))
    bare = sorted(
        f"{e.msgid!r} at {', '.join(f'{f}:{line}' for f, line in e.occurrences[:3])}"
        for e in po
        if not e.obsolete and not e.msgctxt and e.msgid in AMBIGUOUS
    )
    assert not bare, "give these a pgettext context (one msgid, one meaning):\n" + "\n".join(bare)


def test_one_context_one_translation_for_names() -> None:
    """A person's name reads 姓名 and a unit's name never does, wherever they are shown."""
    po = polib.pofile(str(PO))
    by_key = {(e.msgctxt, e.msgid): e.msgstr for e in po if not e.obsolete}
    assert by_key[("person", "name")] == "姓名"
    assert by_key[("person", "Name")] == "姓名"
    assert by_key[("unit", "name")] != "姓名"
    assert by_key[("school", "Name")] == "学校名称"
    assert by_key[("postal", "address")] == "地址"
    assert by_key[("network address", "address")] == "IP地址"
    assert by_key[("referral", "From")] == "发起单位"
