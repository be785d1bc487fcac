"""Contract documents are what their extension claims: content is checked, not only names."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from contracts import services
from contracts.models import ContractDocument
from core.uploads import CHECKERS, FileTypeValidator, validate_file_content
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# The smallest JPEG in common use: one grey pixel (JFIF, arithmetic coding).
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010101004800480000ffdb004300030202020203020202030303030406040404"
    "0404080606050609080a0a090809090a0c0f0c0a0b0e0b09090d110d0e0f101011100a0c12131210130f10"
    "1010ffc9000b080001000101011100ffcc000600101005ffda0008010100003f00d2cf20ffd9"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
OLE2 += b"\x00" * (512 - len(OLE2))
OOXML = "application/vnd.openxmlformats-officedocument"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1×1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x80")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def archive(members: dict[str, bytes]) -> bytes:
    """The same bytes on every call: each member dated 1 Jan 2026, not the moment of writing
    (two calls straddling a two-second tick of the zip clock used to differ)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, data in members.items():
            member = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            member.compress_type = (
                zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            )
            zipped.writestr(member, data)
    return buffer.getvalue()


def content_types(part: str, content_type: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    ).encode()


def docx(content_type=f"{OOXML}.wordprocessingml.document.main+xml") -> bytes:
    return archive(
        {
            "[Content_Types].xml": content_types("word/document.xml", content_type),
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def odt(mimetype=b"application/vnd.oasis.opendocument.text") -> bytes:
    return archive(
        {
            "mimetype": mimetype,
            "META-INF/manifest.xml": b"<manifest:manifest/>",
            "content.xml": b"<office:document-content/>",
        }
    )


ACCEPTED = {
    "terms.pdf": PDF,
    "terms.docx": docx(),
    "costs.xlsx": xlsx(),
    "old-terms.doc": OLE2,
    "old-costs.xls": OLE2,
    "terms.odt": odt(),
    "notes.txt": "\ufeffMinutes: Müller agreed — 3 < 4.\n".encode(),
    "scan.png": png(),
    "scan.jpg": JPEG,
}
REFUSED = {
    "HTML named .pdf": ("terms.pdf", HTML),
    "PNG named .docx": ("terms.docx", png()),
    "plain zip named .docx": ("terms.docx", archive({"readme.txt": b"hello"})),
    "EXE named .pdf": ("terms.pdf", EXE),
    "HTML named .txt": ("notes.txt", b"\n  " + HTML),
    "SVG named .txt": ("notes.txt", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>'),
    "macro-enabled document named .docx": (
        "terms.docx",
        docx(content_type="application/vnd.ms-word.document.macroEnabled.main+xml"),
    ),
    "spreadsheet named .odt": ("terms.odt", odt(b"application/vnd.oasis.opendocument.spreadsheet")),
    "zip named .doc": ("old.doc", docx()),
    "PNG named .jpg": ("scan.jpg", png()),
    "text with NUL named .txt": ("notes.txt", b"line\x00line"),
    "Latin-1 text named .txt": ("notes.txt", "Müller".encode("latin-1")),
}


def test_every_accepted_extension_has_a_content_check(settings):
    assert set(settings.CONTRACT_DOCUMENT_EXTENSIONS) <= set(CHECKERS)
    assert {name.rsplit(".", 1)[1] for name in ACCEPTED} == set(
        settings.CONTRACT_DOCUMENT_EXTENSIONS
    )


@pytest.mark.parametrize(("name", "content"), ACCEPTED.items(), ids=ACCEPTED.keys())
def test_a_real_file_of_each_accepted_type_passes(name, content):
    validate_file_content(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(("name", "content"), REFUSED.values(), ids=REFUSED.keys())
def test_a_file_whose_content_is_not_its_extension_is_refused(name, content):
    with pytest.raises(ValidationError) as refused:
        validate_file_content(SimpleUploadedFile(name, content))

    assert refused.value.code == "content_mismatch"
    assert f"“{name}” is not " in refused.value.messages[0]


def test_an_extension_without_a_check_is_refused_not_waved_through():
    with pytest.raises(ValidationError, match=r"“\.svg” are not accepted"):
        validate_file_content(SimpleUploadedFile("logo.svg", b"<svg/>"))

    with pytest.raises(ImproperlyConfigured, match="svg"):
        FileTypeValidator(["pdf", "svg"])


def test_the_check_leaves_the_file_readable_from_the_start():
    upload = SimpleUploadedFile("terms.docx", docx())

    validate_file_content(upload)

    assert upload.read(2) == b"PK"


REFUSED_IN_PAGES = {k: REFUSED[k] for k in list(REFUSED)[:5]}  # the five the issue names


@pytest.mark.parametrize(("name", "content"), REFUSED_IN_PAGES.values(), ids=REFUSED_IN_PAGES)
def test_the_upload_form_explains_the_refusal_next_to_the_file(
    client, operations_manager, settings, tmp_path, name, content
):
    settings.MEDIA_ROOT = tmp_path
    contract = ContractFactory()
    client.force_login(operations_manager)

    response = client.post(
        reverse("contracts:contract_document_upload", args=[contract.pk]),
        {"title": "Terms", "file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 400
    errors = response.context["document_form"].errors
    assert list(errors) == ["file"]
    assert "its content does not match its extension" in errors["file"][0]
    assert not ContractDocument.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_an_accepted_file_is_attached_through_the_page(
    client, operations_manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    contract = ContractFactory()
    client.force_login(operations_manager)

    response = client.post(
        reverse("contracts:contract_document_upload", args=[contract.pk]),
        {"title": "Terms", "file": SimpleUploadedFile("terms.docx", docx())},
    )

    assert response.status_code == 302
    assert contract.documents.get().file.read() == docx()


@pytest.mark.parametrize(("name", "content"), REFUSED_IN_PAGES.values(), ids=REFUSED_IN_PAGES)
def test_the_service_refuses_it_on_the_file_field(
    operations_manager, settings, tmp_path, name, content
):
    settings.MEDIA_ROOT = tmp_path

    with pytest.raises(ValidationError) as refused:
        services.document_add(
            contract=ContractFactory(),
            actor=operations_manager,
            title="Terms",
            file=SimpleUploadedFile(name, content),
        )

    assert list(refused.value.message_dict) == ["file"]
    assert not ContractDocument.objects.exists()


def test_the_admin_refuses_it_on_the_file_field(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    response = admin_client.post(
        reverse("admin:contracts_contractdocument_add"),
        {
            "contract": ContractFactory().pk,
            "title": "Terms",
            "file": SimpleUploadedFile("terms.pdf", HTML),
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "its content does not match its extension" in errors["file"][0]
    assert not ContractDocument.objects.exists()


def test_a_document_already_stored_is_not_read_again_when_its_title_changes(settings, tmp_path):
    # Checked once, at upload: a title edit neither reads storage nor blocks on a document
    # stored before the check existed.
    settings.MEDIA_ROOT = tmp_path
    document = ContractDocument.objects.create(
        contract=ContractFactory(), title="Old", file=SimpleUploadedFile("legacy.pdf", b"x")
    )

    document.title = "New"
    document.full_clean()
