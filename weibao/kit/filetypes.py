"""What an uploaded file is, by its content: the one check every upload field uses.

An upload field says what it accepts (`accept`: extensions, or the kinds below); a file is
taken only when its extension is one of those and its bytes are what the extension claims
(magic numbers: a PDF starts ``%PDF-``, a JPEG ``FF D8 FF``; an .xlsx/.docx is a zip holding
``[Content_Types].xml``; a .txt or .csv is text in UTF-8 or GB18030), so a .txt renamed .jpg is
refused. Each kind has its own size limit (settings.UPLOAD_MAX_BYTES, within
ATTACHMENT_MAX_BYTES). `weibao.core.services.validate_upload` calls it with the file's name.
"""

from __future__ import annotations

import codecs
import logging
import zipfile
from collections.abc import Iterable
from typing import IO

from django.conf import settings

logger = logging.getLogger(__name__)

# The kinds of file a field may accept, by extension.
KINDS: dict[str, tuple[str, ...]] = {
    "image": ("jpg", "jpeg", "png", "gif", "webp"),
    "document": ("pdf", "doc", "docx", "wps", "ofd", "txt"),
    "spreadsheet": ("xlsx", "xls", "et", "csv"),
    "presentation": ("ppt", "pptx"),
}
# The default size limit of each kind; settings.UPLOAD_MAX_BYTES overrides one, and no kind
# goes past ATTACHMENT_MAX_BYTES.
MAX_BYTES: dict[str, int] = {
    "image": 10 * 1024 * 1024,
    "document": 20 * 1024 * 1024,
    "spreadsheet": 20 * 1024 * 1024,
    "presentation": 20 * 1024 * 1024,
}

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .doc, .xls, .ppt, WPS .wps/.et
ZIP = b"PK\x03\x04"
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "doc": (OLE2,),
    "xls": (OLE2,),
    "ppt": (OLE2,),
    "wps": (OLE2, ZIP),
    "et": (OLE2, ZIP),
}
OFFICE_ZIP = frozenset({"docx", "xlsx", "pptx", "ofd"})
TEXT = frozenset({"txt", "csv"})
TEXT_SAMPLE_BYTES = 65536


def extensions(accept: Iterable[str]) -> tuple[str, ...]:
    """The extensions an `accept` list stands for: kinds expanded, in order, without repeats."""
    found: list[str] = []
    for item in accept:
        for ext in KINDS.get(item, (item.lower().lstrip("."),)):
            if ext not in found:
                found.append(ext)
    return tuple(found)


def kind_of(ext: str) -> str:
    return next((kind for kind, exts in KINDS.items() if ext in exts), "")


def max_bytes(ext: str) -> int:
    """The largest file of this extension's kind that may be uploaded."""
    kind = kind_of(ext)
    configured = getattr(settings, "UPLOAD_MAX_BYTES", {}) or {}
    overall = int(settings.ATTACHMENT_MAX_BYTES)
    return min(overall, int(configured.get(kind, MAX_BYTES.get(kind, overall))))


def content_matches(ext: str, handle: IO[bytes]) -> bool:
    """Whether the bytes look like the extension claims (magic numbers, zip directory, text)."""
    handle.seek(0)
    head = handle.read(TEXT_SAMPLE_BYTES if ext in TEXT else 16)
    handle.seek(0)
    if ext in SIGNATURES:
        return head.startswith(SIGNATURES[ext])
    if ext == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if ext in OFFICE_ZIP:
        if not head.startswith(ZIP):
            return False
        try:
            with zipfile.ZipFile(handle) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            handle.seek(0)
        return "[Content_Types].xml" in names or "OFD.xml" in names
    if ext in TEXT:
        if b"\x00" in head:
            return False
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            except UnicodeDecodeError:
                continue
            # Text has no control characters but tabs, line ends and form feeds.
            return not any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text)
        return False
    # An extension added in settings that no rule here knows: refuse rather than trust it.
    logger.warning("no content check for .%s files; add one in weibao.kit.filetypes", ext)
    return False
