"""The auditor reads an event's detail as labelled lines, not as a Python dict."""

from __future__ import annotations

from django.utils import translation

from weibao.audit.templatetags.weibao_audit import audit_lines


def test_a_change_reads_old_to_new_and_keys_are_labelled() -> None:
    detail = {"changes": {"name": ["张*", "张*丰"]}, "reason": "核实", "via": "page", "rows": 3}
    with translation.override("zh-hans"):
        lines = audit_lines(detail)
    assert ("name", "张* → 张*丰") in lines
    assert ("事由", "核实") in lines or any(text == "核实" for _label, text in lines)
    assert all("{" not in text and "'" not in text for _label, text in lines)


def test_lists_none_and_odd_rows_do_not_break_the_page() -> None:
    with translation.override("en"):
        assert audit_lines({"townships": ["鳌溪镇", "公溪镇"], "note": None}) == [
            ("townships", "鳌溪镇, 公溪镇"),
            ("note", "—"),
        ]
        assert audit_lines("a plain string") == [("", "a plain string")]
        assert audit_lines(None) == []
