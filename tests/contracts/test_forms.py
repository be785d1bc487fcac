"""Register forms: choices from the code lists, defaults, and messages on the right field."""

from datetime import date

import pytest

from contracts.codes import country_choices, currency_choices, holiday_country_choices
from contracts.forms import ContractDocumentForm, ContractForm, ExitDateForm, ProviderForm
from tests.contracts.factories import ContractFactory, ServiceProviderFactory

pytestmark = pytest.mark.django_db


def test_provider_country_choices_are_iso_3166(operations_manager):
    form = ProviderForm(user=operations_manager)

    choices = form.fields["country"].choices

    assert choices[0] == ("", "—")
    assert choices[1:] == country_choices()


def test_contract_currency_and_governing_country_come_from_the_code_lists(operations_manager):
    form = ContractForm(user=operations_manager)

    assert list(form.fields["currency"].choices) == currency_choices()
    governing = list(form.fields["governing_country"].choices)
    assert governing[0][0] == ""
    assert governing[1:] == holiday_country_choices()


def test_new_contract_defaults_to_the_user_and_the_default_currency(operations_manager, settings):
    settings.DEFAULT_CURRENCY = "GBP"

    form = ContractForm(user=operations_manager)

    assert form.initial["owner"] == operations_manager.pk
    assert form["currency"].value() == "GBP"


def test_editing_keeps_the_contracts_own_owner(operations_manager, viewer):
    contract = ContractFactory(owner=viewer)

    form = ContractForm(instance=contract, user=operations_manager)

    assert form["owner"].value() == viewer.pk


def test_unknown_governing_country_is_refused_on_its_field(operations_manager):
    provider = ServiceProviderFactory()
    data = {
        "reference": "C-1",
        "title": "T",
        "provider": provider.pk,
        "owner": operations_manager.pk,
        "start_date": "2025-01-01",
        "end_date": "2026-12-31",
        "renewal": "none",
        "notice_period": "1",
        "notice_unit": "months",
        "governing_country": "XX",
        "annual_value": "0",
        "currency": "EUR",
        "termination_fee": "0",
        "exit_assistance_months": "0",
        "decision_lead_days": "90",
    }

    form = ContractForm(data, user=operations_manager)

    assert not form.is_valid()
    assert list(form.errors) == ["governing_country"]
    assert "Select a valid choice" in form.errors["governing_country"][0]


def test_date_fields_render_as_date_pickers_in_iso_format(operations_manager):
    contract = ContractFactory(start_date=date(2023, 1, 1))

    html = str(ContractForm(instance=contract, user=operations_manager)["start_date"])

    assert 'type="date"' in html
    assert 'value="2023-01-01"' in html


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("", "Enter the day notice would be received."),
        ("2027-13-01", "Enter a real date, e.g. 2027-03-31."),
    ],
)
def test_exit_date_form_explains_a_bad_date(value, error):
    form = ExitDateForm({"served_on": value})

    assert not form.is_valid()
    assert form.errors["served_on"] == [error]


def test_document_form_states_the_accepted_types_and_size(settings):
    settings.CONTRACT_DOCUMENT_EXTENSIONS = ["pdf", "docx"]
    settings.CONTRACT_DOCUMENT_MAX_BYTES = 5 * 1_048_576

    form = ContractDocumentForm()

    assert form.fields["file"].help_text == "pdf, docx; at most 5 MB."
    assert form.fields["file"].widget.attrs["accept"] == ".pdf,.docx"
