"""Official documents (公文) as Word files, laid out after GB/T 9704-2012.

A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in 2号 (22 pt)
小标宋, body in 3号 (16 pt) 仿宋 with a fixed line pitch so that a page holds 22 lines; the
document number (发文字号) under the issuer's header line; the issuing body and date at the end,
right-aligned. Fonts are named, not embedded: Word and WPS on the office machines have them, and
the server needs none.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm type area
RED = RGBColor(0xC0, 0x00, 0x00)


@dataclass
class OfficialDocument:
    """The parts of one document. `body` is a list of paragraphs; a paragraph starting with a
    heading marker such as "一、" is set in 黑体, like a first-level heading."""

    title: str
    body: Sequence[str]
    issuer: str
    issued_on: date
    number: str = ""
    recipient: str = ""
    header: str = ""  # 发文机关标志, printed in red above the number, e.g. "乐安县人民检察院文件"
    extra: dict[str, str] = field(default_factory=dict)


def chinese_date(day: date) -> str:
    """2026年11月29日: GB/T 9704 writes dates in Arabic numerals without leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def _run(paragraph: Paragraph, text: str, font: str, size: Pt, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = size
    run.bold = bold
    # Word picks East Asian glyphs from the eastAsia font slot, not from `name`.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _paragraph(
    document: DocxDocument, align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = False
) -> Paragraph:
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 16 pt
    return paragraph


def _is_heading(text: str) -> bool:
    return len(text) > 2 and text[1] == "、" and text[0] in "一二三四五六七八九十"


def render(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes."""
    document = Document()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    if doc.header:
        header = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER)
        _run(header, doc.header, TITLE_FONT, Pt(36))
        header.runs[0].font.color.rgb = RED
    if doc.number:
        _run(_paragraph(document, WD_ALIGN_PARAGRAPH.CENTER), doc.number, BODY_FONT, Pt(16))
        _paragraph(document)
    _run(_paragraph(document, WD_ALIGN_PARAGRAPH.CENTER), doc.title, TITLE_FONT, Pt(22))
    _paragraph(document)
    if doc.recipient:
        _run(_paragraph(document), f"{doc.recipient}：", BODY_FONT, Pt(16))
    for text in doc.body:
        if _is_heading(text):
            _run(_paragraph(document, indent=True), text, HEADING_FONT, Pt(16))
        else:
            _run(_paragraph(document, WD_ALIGN_PARAGRAPH.JUSTIFY, True), text, BODY_FONT, Pt(16))
    for label, value in doc.extra.items():
        _run(_paragraph(document, indent=True), f"{label}：{value}", BODY_FONT, Pt(16))
    _paragraph(document)
    _paragraph(document)
    for text in (doc.issuer, chinese_date(doc.issued_on)):
        signature = _paragraph(document, WD_ALIGN_PARAGRAPH.RIGHT)
        signature.paragraph_format.right_indent = Pt(64)  # four characters from the right edge
        _run(signature, text, BODY_FONT, Pt(16))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
