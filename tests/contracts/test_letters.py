"""The notice letter: filled from the contract, from the default or an uploaded template,
in a sandbox, downloaded only by whoever may serve notice."""

import io
import re
from datetime import date

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from contracts import letters, services
from contracts.models import NoticeLetterTemplate
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.transition.factories import OutsourcedProcessFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

SERVED_ON = date(2027, 3, 31)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def template(*paragraphs: str) -> bytes:
    """A .docx whose body is `paragraphs`, one run each."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def text_of(content: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(content)).paragraphs)


@pytest.fixture
def contract(operations_manager):
    provider = ServiceProviderFactory(
        name="Acme",
        legal_name="Acme & Sons <Logistics> Ltd",
        address="1 Dock Road\r\nHull HU1 1AA",
        contact_name="Pat O'Provider",
    )
    return ContractFactory(
        provider=provider,
        reference="C-100",
        title="Warehousing & <Distribution>",
        termination_clause="clause 18.2",
        exit_assistance_months=6,
        owner=operations_manager,
    )


@pytest.fixture
def processes(contract):
    return [
        OutsourcedProcessFactory(contract=contract, name="Returns handling"),
        OutsourcedProcessFactory(contract=contract, name="Inbound logistics"),
    ]


def letter_for(contract, process_names=None, **signatory) -> letters.NoticeLetter:
    return letters.notice_letter_context(
        contract,
        served_on=SERVED_ON,
        exit_date=contract.exit_date_if_served(SERVED_ON),
        process_names=process_names,
        signatory=letters.Signatory(**({"name": "Olivia Ops", "role": "COO"} | signatory)),
    )


def letter_url(contract, **params) -> str:
    query = "&".join(
        f"{name}={value}"
        for name, values in params.items()
        for value in (values if isinstance(values, list) else [values])
    )
    return f"{reverse('contracts:notice_letter', args=[contract.pk])}?{query}"


def upload(admin_client, content: bytes, name: str = "letter.docx"):
    return admin_client.post(
        reverse("admin:contracts_noticelettertemplate_add"),
        {"file": SimpleUploadedFile(name, content), "note": "Legal's letter"},
    )


# Filling the letter


def test_default_letter_names_parties_contract_scope_and_dates(contract, settings):
    settings.COMPANY_NAME = "Backsourcing & Co"
    settings.COMPANY_ADDRESS = "9 Head Office Lane\nLeeds"

    content = letters.render_notice_letter(
        letter_for(contract, ["Inbound logistics", "Returns handling"])
    )

    text = text_of(content)
    assert "Backsourcing & Co" in text
    assert "9 Head Office Lane\nLeeds" in text
    assert "Acme & Sons <Logistics> Ltd" in text
    assert "1 Dock Road\nHull HU1 1AA" in text
    assert "For the attention of Pat O'Provider" in text
    assert "“Warehousing & <Distribution>” (reference C-100)" in text
    assert "which began on 1 January 2023" in text
    assert "In accordance with clause 18.2 of the Contract" in text
    assert (
        "the following services under the contract: Inbound logistics and Returns handling" in text
    )
    assert "This notice is served on 31 March 2027" in text
    assert "takes effect at the end of 31 December 2027" in text
    assert "for 6 months after the Termination Date, that is until 30 June 2028" in text
    assert "Olivia Ops\nCOO" in text.replace("\n\n", "\n")
    assert "24 November 2026" in text  # today, as the letter's date


def test_letter_without_processes_ends_the_whole_contract(contract):
    contract.exit_assistance_months = 0
    contract.termination_clause = ""

    letter = letter_for(contract, None, role="")
    text = text_of(letters.render_notice_letter(letter))

    assert letter.whole_contract is True
    assert "notice of termination of the whole contract." in text
    assert "In accordance with the termination provisions of the Contract" in text
    assert "termination assistance needed for an orderly transfer" in text
    assert "COO" not in text


def test_text_with_markup_characters_stays_text_in_the_document_xml(contract):
    contract.title = "</w:t></w:r><w:r><w:t>injected & {{ today }}"
    letter = letter_for(contract)

    content = letters.render_notice_letter(letter, template("Title: {{ contract_title }}"))

    assert text_of(content) == "Title: </w:t></w:r><w:r><w:t>injected & {{ today }}"


def test_the_default_template_passes_the_upload_check():
    letters.check_letter_template(letters.default_template())


def test_an_active_uploaded_template_is_used(contract, admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert upload(admin_client, template("Custom: {{ contract_reference }}")).status_code == 302
    uploaded = NoticeLetterTemplate.objects.get()
    assert text_of(letters.render_notice_letter(letter_for(contract))).startswith("Our company")

    services.letter_template_activate(template=uploaded, actor=uploaded.uploaded_by)

    assert text_of(letters.render_notice_letter(letter_for(contract))) == "Custom: C-100"


def test_one_template_is_active_at_a_time(admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first, second = (
        NoticeLetterTemplate.objects.create(file=SimpleUploadedFile(f"{n}.docx", template("x")))
        for n in ("first", "second")
    )
    services.letter_template_activate(template=first, actor=admin_user)
    services.letter_template_activate(template=second, actor=admin_user)

    assert list(NoticeLetterTemplate.objects.filter(is_active=True)) == [second]
    with pytest.raises(IntegrityError):
        NoticeLetterTemplate.objects.filter(pk=first.pk).update(is_active=True)


def test_activating_a_template_needs_the_change_permission(operations_manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    uploaded = NoticeLetterTemplate.objects.create(file=SimpleUploadedFile("a.docx", template("x")))
    with pytest.raises(PermissionDenied):
        services.letter_template_activate(template=uploaded, actor=operations_manager)


# Refused templates


@pytest.mark.parametrize(
    ("paragraphs", "message"),
    [
        (
            ["Dear {{ provider_contact }},", "{{ contract.title }}"],
            "Unknown placeholders: {{ contract }}, {{ provider_contact }}.",
        ),
        # Only in a branch the sample letters do not take.
        (["{% if whole_contract %}{{ secret }}{% endif %}"], "Unknown placeholders: {{ secret }}."),
        (
            ["Dear Sir,", "Ref {{ contract_reference }", "Yours"],
            "Jinja syntax error at line 3 (near “Ref {{ contract_reference }",
        ),
        (["{% if whole_contract %}", "unclosed"], "Jinja syntax error at line 2"),
    ],
)
def test_a_template_with_an_unknown_placeholder_or_bad_syntax_is_refused(paragraphs, message):
    with pytest.raises(ValidationError) as refused:
        letters.check_letter_template(template(*paragraphs))

    assert message in refused.value.messages[0]


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ provider_name.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ 'x' * 1000000000 }}",
        "{{ 2 ** 100000000 }}",
    ],
)
def test_the_sandbox_keeps_templates_from_python_internals_and_huge_values(expression, contract):
    with pytest.raises(ValidationError, match="may not"):
        letters.check_letter_template(template(expression))
    with pytest.raises(letters.LetterTemplateError) as failed:
        letters.render_notice_letter(letter_for(contract), template(expression))
    assert "<class" not in str(failed.value)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("letter.docx", template("Hello {{ nobody }}"), "Unknown placeholders: {{ nobody }}"),
        ("letter.docx", template("{{ today "), "Jinja syntax error at line 2"),
        ("letter.docx", b"%PDF-1.4\n%%EOF\n", "is not a Word document (.docx)"),
        ("letter.pdf", b"%PDF-1.4\n%%EOF\n", "File extension “pdf” is not allowed"),
        ("letter.docx", template("{{ ''.__class__.__mro__ }}"), "may not"),
    ],
)
def test_the_admin_refuses_a_bad_template_upload_with_a_message(
    admin_client, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path

    response = upload(admin_client, content, name)

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["file"])
    assert message in errors
    assert not NoticeLetterTemplate.objects.exists()


def test_the_admin_offers_the_default_template_and_the_placeholders(admin_client):
    add_page = admin_client.get(reverse("admin:contracts_noticelettertemplate_add"))
    default_url = reverse("admin:contracts_noticelettertemplate_default")
    assert default_url in add_page.content.decode()
    assert "effective_end_date" in add_page.content.decode()
    assert (
        default_url
        in admin_client.get(
            reverse("admin:contracts_noticelettertemplate_changelist")
        ).content.decode()
    )

    response = admin_client.get(default_url)

    assert response["Content-Type"] == DOCX_TYPE
    assert response.content == letters.default_template()


def test_the_admin_action_activates_exactly_one_template(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload(admin_client, template("Mine {{ contract_reference }}"))
    uploaded = NoticeLetterTemplate.objects.get()

    admin_client.post(
        reverse("admin:contracts_noticelettertemplate_changelist"),
        {"action": "activate", "_selected_action": [uploaded.pk]},
    )
    uploaded.refresh_from_db()
    assert uploaded.is_active
    assert (
        admin_client.get(
            reverse("admin:contracts_noticelettertemplate_change", args=[uploaded.pk])
        ).status_code
        == 200
    )

    admin_client.post(
        reverse("admin:contracts_noticelettertemplate_changelist"),
        {"action": "use_default", "_selected_action": [uploaded.pk]},
    )
    uploaded.refresh_from_db()
    assert not uploaded.is_active


# The download


def test_operations_manager_downloads_the_letter_as_an_attachment(
    client, operations_manager, contract, processes
):
    client.force_login(operations_manager)

    response = client.get(
        letter_url(contract, served_on="2027-03-31", processes=[p.pk for p in processes])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="notice-letter-C-100.docx"'
    assert "no-store" in response["Cache-Control"]
    text = text_of(response.content)
    assert "under the contract: Inbound logistics and Returns handling." in text
    assert "takes effect at the end of 31 December 2027" in text
    assert (operations_manager.get_full_name() or operations_manager.username) in text


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_only_who_may_serve_notice_downloads_the_letter(client, request, role, contract):
    user = request.getfixturevalue(role)
    OutsourcedProcessFactory(contract=contract, lead=user)
    client.force_login(user)

    assert client.get(letter_url(contract, served_on="2027-03-31")).status_code == 403


def test_without_a_day_the_letter_serves_notice_today(client, operations_manager, contract):
    client.force_login(operations_manager)

    response = client.get(reverse("contracts:notice_letter", args=[contract.pk]))

    assert response.status_code == 200
    assert "This notice is served on 24 November 2026" in text_of(response.content)


def test_signed_out_visitors_are_sent_to_sign_in(client, contract):
    response = client.get(letter_url(contract, served_on="2027-03-31"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"served_on": ""}, "Enter the day the provider receives the notice."),
        ({"served_on": "2027-02-30"}, "Enter a real date as YYYY-MM-DD"),
        ({"served_on": "31/03/2027"}, "Enter a real date as YYYY-MM-DD"),
        ({"served_on": "9999-12-31"}, "too far in the future"),
        ({"served_on": "2027-03-31", "processes": ["abc", "1"]}, "these are not: abc."),
    ],
)
def test_bad_parameters_get_a_page_saying_what_is_wrong(
    client, operations_manager, contract, params, message
):
    client.force_login(operations_manager)

    response = client.get(letter_url(contract, **params))

    assert response.status_code == 400
    assert message in response.content.decode()


def test_processes_of_another_contract_are_named_and_refused(
    client, operations_manager, contract, processes
):
    elsewhere = OutsourcedProcessFactory()
    client.force_login(operations_manager)

    response = client.get(
        letter_url(
            contract, served_on="2027-03-31", processes=[processes[0].pk, elsewhere.pk, 10**30]
        )
    )

    assert response.status_code == 400
    assert f"not under contract C-100: {elsewhere.pk}, {10**30}." in response.content.decode()


def test_the_attachment_name_carries_no_raw_user_text(client, operations_manager):
    contract = ContractFactory(reference='Ref "α"/../x;y\\z')
    client.force_login(operations_manager)

    response = client.get(letter_url(contract, served_on="2027-03-31"))

    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="notice-letter-Ref-..-x-y-z.docx"'
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+"', disposition)
    assert letters.notice_letter_filename('\r\n;"') == "notice-letter-contract.docx"


def test_a_broken_active_template_gets_a_message_not_a_crash(
    client, operations_manager, contract, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # Saved past the upload check, as a template from before a placeholder was renamed.
    NoticeLetterTemplate.objects.create(
        file=SimpleUploadedFile("old.docx", template("{{ process_names[5] }}")), is_active=True
    )
    client.force_login(operations_manager)

    response = client.get(letter_url(contract, served_on="2027-03-31"))

    assert response.status_code == 500
    assert "could not be filled" in response.content.decode()
