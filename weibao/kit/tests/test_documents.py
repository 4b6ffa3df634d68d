from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.shared import Pt

from weibao.kit.documents import OfficialDocument, chinese_date, render


def make() -> OfficialDocument:
    return OfficialDocument(
        title="法治副校长聘书",
        body=["兹聘请张三同志为鳌溪镇中心小学法治副校长。", "一、聘期三年。"],
        issuer="乐安县教育局",
        issued_on=date(2026, 9, 1),
        number="乐教聘〔2026〕3号",
    )


def test_chinese_date_has_no_leading_zeros() -> None:
    assert chinese_date(date(2026, 9, 1)) == "2026年9月1日"


def test_document_reads_back_with_chinese_text_and_gb9704_page() -> None:
    document = Document(io.BytesIO(render(make())))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts == [
        "乐教聘〔2026〕3号",
        "法治副校长聘书",
        "兹聘请张三同志为鳌溪镇中心小学法治副校长。",
        "一、聘期三年。",
        "乐安县教育局",
        "2026年9月1日",
    ]
    section = document.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.left_margin]
    assert [round(size.mm) for size in sizes if size is not None] == [210, 297, 37, 28]
    title = next(p for p in document.paragraphs if p.text == "法治副校长聘书")
    assert title.runs[0].font.size == Pt(22)
    fonts = title.runs[0]._element.get_or_add_rPr().get_or_add_rFonts()
    east_asia = fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    assert east_asia == "方正小标宋简体"
