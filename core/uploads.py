"""Uploads are what their names claim: a file's content is checked against its extension.

An extension is only the uploader's word. A ".pdf" holding an HTML page runs as a page in a
browser that sniffs it, and a ".docx" that is really a macro-enabled document or a program
reaches whoever opens it. So each accepted extension has one checker in `CHECKERS` that
reads the content: signatures (magic numbers) through `filetype`, a maintained pure-Python
library; the parts an Office Open XML or OpenDocument archive must hold; the OLE2 header of
old Office files; and, for text, UTF-8 without NUL that a browser would not take for HTML.
An extension without a checker is refused: the check fails closed (docs/security.md).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Callable
from pathlib import PurePath

import filetype
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

HEAD_BYTES = 8192  # what `filetype` reads of a file to match signatures
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls (Compound File Binary)
# An archive member we read to identify the archive; real ones are a few KB.
MEMBER_LIMIT = 1024 * 1024
# What browsers take for HTML whatever the server says (WHATWG MIME Sniffing, "text/html"
# patterns: each tag name followed by a space or ">"), plus SVG and XML, which run scripts
# too. Leading whitespace is skipped, as browsers do.
MARKUP = re.compile(
    r"<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p"
    r"|svg|\?xml)[\s/>]|<!--",
    re.IGNORECASE,
)


def _head(file) -> bytes:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def _signature(extension: str) -> Callable:
    matcher = filetype.get_type(ext=extension)

    def check(file) -> bool:
        return bool(matcher.match(bytearray(_head(file))))

    return check


def _ole2(file) -> bool:
    return _head(file).startswith(OLE2_SIGNATURE)


def _member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    # A bounded read: a member that inflates past the limit is not the small part it claims.
    try:
        with archive.open(name) as member:
            data = member.read(MEMBER_LIMIT + 1)
    except KeyError:
        return None
    return data if len(data) <= MEMBER_LIMIT else None


def _archive_check(check_archive: Callable[[zipfile.ZipFile], bool]) -> Callable:
    def check(file) -> bool:
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                return check_archive(archive)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            return False
        finally:
            file.seek(0)

    return check


def _office_open_xml(main_part: str, content_type: str) -> Callable:
    """An OOXML package whose main part is `main_part` of `content_type` (so a macro-enabled
    .docm or .xlsm, whose main part has another content type, is not a .docx or .xlsx)."""

    def check_archive(archive: zipfile.ZipFile) -> bool:
        types = _member(archive, "[Content_Types].xml")
        return (
            types is not None
            and main_part in archive.namelist()
            and f'ContentType="{content_type}"'.encode() in types
        )

    return _archive_check(check_archive)


def _open_document(mimetype: str) -> Callable:
    """An OpenDocument package: its first member is "mimetype", holding exactly `mimetype`."""

    def check_archive(archive: zipfile.ZipFile) -> bool:
        members = archive.infolist()
        return (
            bool(members)
            and members[0].filename == "mimetype"
            and _member(archive, "mimetype") == mimetype.encode()
        )

    return _archive_check(check_archive)


def _plain_text(file) -> bool:
    """UTF-8 (a byte order mark allowed) without NUL, not starting like HTML, SVG or XML."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    start = ""
    try:
        for chunk in file.chunks():
            text = decoder.decode(chunk)
            if "\x00" in text:
                return False
            if len(start) < 1024:
                start += text[:1024]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return not MARKUP.match(start.lstrip(" \t\n\r\x0c"))


OOXML = "application/vnd.openxmlformats-officedocument"
# Extension → (what a person calls the type, the check its content must pass).
CHECKERS: dict[str, tuple[str, Callable]] = {
    "pdf": (_("a PDF document"), _signature("pdf")),
    "png": (_("a PNG image"), _signature("png")),
    "jpg": (_("a JPEG image"), _signature("jpg")),
    "jpeg": (_("a JPEG image"), _signature("jpg")),
    "docx": (
        _("a Word document (.docx)"),
        _office_open_xml("word/document.xml", f"{OOXML}.wordprocessingml.document.main+xml"),
    ),
    "xlsx": (
        _("an Excel workbook (.xlsx)"),
        _office_open_xml("xl/workbook.xml", f"{OOXML}.spreadsheetml.sheet.main+xml"),
    ),
    "doc": (_("a Word 97–2003 document (.doc)"), _ole2),
    "xls": (_("an Excel 97–2003 workbook (.xls)"), _ole2),
    "odt": (
        _("an OpenDocument text (.odt)"),
        _open_document("application/vnd.oasis.opendocument.text"),
    ),
    "txt": (_("plain UTF-8 text"), _plain_text),
}


def _extension(name: str) -> str:
    return PurePath(name or "").suffix[1:].lower()


def validate_file_content(file) -> None:
    """Refuse a new upload whose content is not what its extension says.

    A file already in storage was checked when it was uploaded, and is not read again on
    every save of the record that holds it.
    """
    if getattr(file, "_committed", False):
        return
    name = PurePath(file.name or "").name
    extension = _extension(name)
    if extension not in CHECKERS:
        raise ValidationError(
            _("Files of type “.%(extension)s” are not accepted."),
            params={"extension": extension},
            code="unchecked_type",
        )
    label, check = CHECKERS[extension]
    if not check(file):
        raise ValidationError(
            _(
                "“%(name)s” is not %(type)s: its content does not match its extension. "
                "Upload the real file, saved by the program that made it."
            ),
            params={"name": name, "type": label},
            code="content_mismatch",
        )


@deconstructible
class FileTypeValidator(FileExtensionValidator):
    """Accept only the listed extensions (Django's message for others), and only files
    whose content is of that type. Listing an extension without a checker is a mistake
    caught when the model loads, not a file let through."""

    def __init__(self, allowed_extensions, message=None, code=None):
        super().__init__(allowed_extensions, message, code)
        unchecked = sorted(set(self.allowed_extensions or ()) - set(CHECKERS))
        if self.allowed_extensions is None or unchecked:
            raise ImproperlyConfigured(
                f"No content check for the extensions {unchecked or 'of any type'}; "
                f"core.uploads.CHECKERS knows {sorted(CHECKERS)}."
            )

    def __call__(self, value):
        super().__call__(value)
        validate_file_content(value)
