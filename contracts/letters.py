"""The notice letter: a Word document filled from a contract (docs/user-guide.md).

A template is a .docx holding Jinja placeholders (docxtpl). An administrator may upload
one (`NoticeLetterTemplate`); otherwise `default_template()`, built here with python-docx,
is used, so no binary file lives in the repository. Templates are filled in a sandboxed
Jinja environment: a template is an upload, and an upload must not reach Python's
internals. Placeholders are escaped, because the text lands in the document's XML, where
a "<" or "&" in a contract title would otherwise break the file. An unknown placeholder
is an error, not a blank in a legal letter; uploads are refused until they fill cleanly.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import docx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from core.clock import local_today
from core.formats import long_date
from core.uploads import FileTypeValidator

if TYPE_CHECKING:
    from .models import Contract

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024
# Filling a template inflates its parts in memory; a "letter" bigger than this is a zip bomb.
TEMPLATE_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Beyond these, `*` and `**` in a template only serve to exhaust memory or CPU.
MAX_REPEATED_LENGTH = 100_000
MAX_EXPONENT = 100


class LetterTemplateError(Exception):
    """The letter template could not be filled; the message says why, for an administrator."""


@dataclass(frozen=True)
class Signatory:
    """Who signs the letter, as printed under the signature line."""

    name: str
    role: str = ""


@dataclass(frozen=True)
class NoticeLetter:
    """The placeholders of a notice letter template: each field is one, by the same name.

    Dates are written out for people ("31 March 2027"); empty text means "not recorded".
    """

    company_name: str
    company_address: str
    provider_name: str  # the legal name, or the name when no legal name is recorded
    provider_address: str
    provider_contact_name: str
    contract_reference: str
    contract_title: str
    start_date: str
    termination_clause: str  # e.g. "clause 18.2"
    whole_contract: bool
    process_names: tuple[str, ...]  # empty when the whole contract ends
    scope: str  # "the whole contract" or "the following services …: A and B"
    served_on: str  # the day the provider receives the notice
    effective_end_date: str  # the last day of service
    exit_assistance_months: int
    assistance_end: str  # the requested end of termination assistance
    signatory_name: str
    signatory_role: str
    today: str

    def as_context(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}


PLACEHOLDERS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(NoticeLetter))


def _text(value: str) -> str:
    # Form input arrives with CRLF; docxtpl turns "\n" into a line break, a CR into nothing.
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def scope_text(process_names: Sequence[str]) -> str:
    if not process_names:
        return _("the whole contract")
    return _("the following services under the contract: %(names)s") % {
        "names": get_text_list(list(process_names), _("and"))
    }


def notice_letter_context(
    contract: Contract,
    *,
    served_on: date,
    exit_date: date,
    process_names: list[str] | None,
    signatory: Signatory,
) -> NoticeLetter:
    """The letter for notice on `contract` received on `served_on`, ending service on
    `exit_date` (the date engine's answer), for the named processes or, without names, the
    whole contract."""
    provider = contract.provider
    names = tuple(process_names or ())
    return NoticeLetter(
        company_name=_text(settings.COMPANY_NAME),
        company_address=_text(settings.COMPANY_ADDRESS),
        provider_name=_text(provider.legal_name or provider.name),
        provider_address=_text(provider.address),
        provider_contact_name=_text(provider.contact_name),
        contract_reference=contract.reference,
        contract_title=_text(contract.title),
        start_date=long_date(contract.start_date),
        termination_clause=_text(contract.termination_clause),
        whole_contract=not names,
        process_names=names,
        scope=scope_text(names),
        served_on=long_date(served_on),
        effective_end_date=long_date(exit_date),
        exit_assistance_months=contract.exit_assistance_months,
        assistance_end=(
            long_date(contract.assistance_end(exit_date)) if contract.exit_assistance_months else ""
        ),
        signatory_name=_text(signatory.name),
        signatory_role=_text(signatory.role),
        today=long_date(local_today()),
    )


class LetterEnvironment(SandboxedEnvironment):
    """Jinja for letter templates: sandboxed, strict about unknown names, escaping text."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=True)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exponent {right} is too large")
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if (
                    isinstance(sequence, str | list | tuple)
                    and isinstance(times, int)
                    and len(sequence) * times > MAX_REPEATED_LENGTH
                ):
                    raise SecurityError("repetition is too long")
        return super().call_binop(context, operator, left, right)


def _fill(template_bytes: bytes, letter: NoticeLetter) -> bytes:
    """Fill the template; Jinja's and docxtpl's errors pass through to the caller."""
    document = DocxTemplate(io.BytesIO(template_bytes))
    document.render(letter.as_context(), jinja_env=LetterEnvironment())
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def active_template_bytes() -> bytes | None:
    """The administrators' active template, or None to use the default."""
    # Imported here: models import this module for the upload check.
    from .models import NoticeLetterTemplate

    template = NoticeLetterTemplate.objects.filter(is_active=True).first()
    if template is None:
        return None
    try:
        with template.file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError as error:
        raise LetterTemplateError(
            _("The file of the active notice letter template “%(name)s” is missing.")
            % {"name": template}
        ) from error


def render_notice_letter(context: NoticeLetter, template_bytes: bytes | None = None) -> bytes:
    """The filled letter as .docx bytes, from `template_bytes`, else the active uploaded
    template, else the default. Raises LetterTemplateError when the template fails."""
    if template_bytes is None:
        template_bytes = active_template_bytes() or default_template()
    try:
        return _fill(template_bytes, context)
    except TemplateError as error:
        raise LetterTemplateError(
            _("The notice letter template could not be filled: %(error)s")
            % {"error": error.message}
        ) from error


# Checking an uploaded template

SAMPLE_LETTERS = (
    NoticeLetter(
        company_name="Example Holdings plc",
        company_address="1 Sample Street\nLondon EC1A 1AA",
        provider_name="Acme Outsourcing Ltd",
        provider_address="2 Provider Road\nManchester M1 1AA",
        provider_contact_name="Pat Provider",
        contract_reference="C-0001",
        contract_title="Payroll & HR services <sample>",
        start_date="1 January 2023",
        termination_clause="clause 18.2",
        whole_contract=False,
        process_names=("Payroll", "Recruitment"),
        scope=scope_text(["Payroll", "Recruitment"]),
        served_on="30 September 2027",
        effective_end_date="31 December 2027",
        exit_assistance_months=6,
        assistance_end="30 June 2028",
        signatory_name="Sam Signer",
        signatory_role="Chief Operating Officer",
        today="15 September 2027",
    ),
    # The other side of every condition a template is likely to hold.
    NoticeLetter(
        company_name="Example Holdings plc",
        company_address="",
        provider_name="Acme Outsourcing Ltd",
        provider_address="",
        provider_contact_name="",
        contract_reference="C-0002",
        contract_title="Facilities",
        start_date="1 January 2023",
        termination_clause="",
        whole_contract=True,
        process_names=(),
        scope=scope_text([]),
        served_on="30 September 2027",
        effective_end_date="31 December 2027",
        exit_assistance_months=0,
        assistance_end="",
        signatory_name="Sam Signer",
        signatory_role="",
        today="15 September 2027",
    ),
)


def _line_text(error: TemplateSyntaxError) -> str:
    """The text (tags stripped) of the line of `error`, from the lines docxtpl attaches."""
    lines = list(getattr(error, "docx_context", None) or [])
    if error.lineno is None or not lines:
        return ""
    # docxtpl attaches seven lines starting three before the one at fault.
    index = min(error.lineno - 1 - max(error.lineno - 4, 0), len(lines) - 1)
    return html.unescape(lines[index]).strip()[:100]


def _refuse_unknown_placeholders(template_bytes: bytes) -> None:
    document = DocxTemplate(io.BytesIO(template_bytes))
    used = document.get_undeclared_template_variables(jinja_env=LetterEnvironment())
    unknown = sorted(set(used) - set(PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(names)s. The placeholders are: %(known)s."),
            params={
                "names": ", ".join(f"{{{{ {name} }}}}" for name in unknown),
                "known": ", ".join(PLACEHOLDERS),
            },
            code="unknown_placeholder",
        )


def _not_filled(error: object) -> ValidationError:
    return ValidationError(
        _("The template could not be filled: %(error)s"),
        params={"error": error},
        code="template_error",
    )


def check_letter_template(template_bytes: bytes) -> None:
    """Refuse a template that does not fill cleanly with the sample letters, naming the
    unknown placeholders or the line of a syntax error."""
    try:
        for sample in SAMPLE_LETTERS:
            docx.Document(io.BytesIO(_fill(template_bytes, sample)))
    except TemplateSyntaxError as error:
        near = _line_text(error)
        raise ValidationError(
            _("Jinja syntax error at line %(line)s%(near)s: %(error)s"),
            params={
                "line": error.lineno,
                "near": _(" (near “%(text)s”)") % {"text": near} if near else "",
                "error": error.message,
            },
            code="template_syntax",
        ) from error
    except SecurityError as error:
        raise ValidationError(
            _("The template uses something letter templates may not: %(error)s"),
            params={"error": error.message},
            code="template_unsafe",
        ) from error
    except UndefinedError as error:
        _refuse_unknown_placeholders(template_bytes)  # the clearer message, when it applies
        raise _not_filled(error.message) from error
    except TemplateError as error:
        raise _not_filled(error.message) from error
    except Exception as error:
        # Whatever else a malformed document makes docxtpl or lxml raise, the upload is
        # refused with a message rather than failing the request.
        raise _not_filled(str(error) or type(error).__name__) from error
    # Names in branches the samples did not take.
    _refuse_unknown_placeholders(template_bytes)


_is_docx = FileTypeValidator(["docx"])


def validate_letter_template(file: Any) -> None:
    """A new upload must be a real .docx of reasonable size that fills cleanly."""
    if getattr(file, "_committed", False):
        return
    _is_docx(file)
    if file.size > TEMPLATE_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; letter templates may be at most %(limit)s."),
            params={"size": filesizeformat(file.size), "limit": filesizeformat(TEMPLATE_MAX_BYTES)},
            code="file_too_large",
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > TEMPLATE_MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("The document unpacks to %(size)s; letter templates may unpack to %(limit)s."),
            params={
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(TEMPLATE_MAX_UNPACKED_BYTES),
            },
            code="file_too_large",
        )
    check_letter_template(data)


# The default template


@functools.cache
def default_template() -> bytes:
    """A plain business letter holding the placeholders, used until an administrator
    activates their own; a starting point to download from the admin."""
    document = docx.Document()
    section = document.sections[0]
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.5)
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    style.paragraph_format.space_after = Pt(6)
    properties = document.core_properties
    # Plain values: docxtpl escapes what it fills here and python-docx escapes it again.
    properties.author = ""
    properties.title = "Notice of termination"
    properties.comments = ""
    properties.keywords = ""
    properties.subject = ""

    def paragraph(text: str = "", *, bold: bool = False, right: bool = False) -> None:
        added = document.add_paragraph()
        added.add_run(text).bold = bold
        if right:
            added.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    paragraph("{{ company_name }}", bold=True, right=True)
    paragraph("{%p if company_address %}")
    paragraph("{{ company_address }}", right=True)
    paragraph("{%p endif %}")
    paragraph("{{ today }}", right=True)
    paragraph()
    paragraph("{{ provider_name }}", bold=True)
    paragraph("{%p if provider_contact_name %}")
    paragraph("For the attention of {{ provider_contact_name }}")
    paragraph("{%p endif %}")
    paragraph("{%p if provider_address %}")
    paragraph("{{ provider_address }}")
    paragraph("{%p endif %}")
    paragraph()
    paragraph(
        "Notice of termination: {{ contract_title }} (reference {{ contract_reference }})",
        bold=True,
    )
    paragraph("Dear {{ provider_contact_name or 'Sir or Madam' }},")
    paragraph(
        "We refer to the contract “{{ contract_title }}” (reference {{ contract_reference }}) "
        "between {{ company_name }} and {{ provider_name }}, which began on {{ start_date }} "
        "(the “Contract”)."
    )
    paragraph(
        "In accordance with {{ termination_clause or 'the termination provisions' }} of the "
        "Contract, we hereby give you notice of termination of {{ scope }}."
    )
    paragraph(
        "This notice is served on {{ served_on }}. The termination takes effect at the end "
        "of {{ effective_end_date }} (the “Termination Date”)."
    )
    paragraph("{%p if exit_assistance_months %}")
    paragraph(
        "In accordance with the Contract, we request that you provide termination assistance "
        "for {{ exit_assistance_months }} months after the Termination Date, that is until "
        "{{ assistance_end }}, to ensure an orderly transfer of the services to us or to a "
        "successor provider."
    )
    paragraph("{%p else %}")
    paragraph(
        "We request that you provide the termination assistance needed for an orderly "
        "transfer of the services to us or to a successor provider."
    )
    paragraph("{%p endif %}")
    paragraph(
        "Please confirm receipt of this notice in writing and name the person who will "
        "coordinate the exit on your side."
    )
    paragraph("Yours faithfully,")
    paragraph()
    paragraph()
    paragraph("______________________________")
    paragraph("{{ signatory_name }}", bold=True)
    paragraph("{%p if signatory_role %}")
    paragraph("{{ signatory_role }}")
    paragraph("{%p endif %}")
    paragraph("For and on behalf of {{ company_name }}")

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def notice_letter_filename(reference: str) -> str:
    """The attachment's name: the reference reduced to [A-Za-z0-9._-], so no user text
    reaches the Content-Disposition header."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", reference).strip(".-")
    return f"notice-letter-{safe or 'contract'}.docx"
