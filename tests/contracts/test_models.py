"""Contract and provider models: validation by field, database constraints, dated methods."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from contracts import dates
from contracts.models import Contract, ContractDocument
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def build_contract(**overrides) -> Contract:
    """An unsaved, otherwise valid contract with saved provider and owner."""
    overrides.setdefault("provider", ServiceProviderFactory())
    overrides.setdefault("owner", UserFactory())
    return ContractFactory.build(**overrides)


def field_errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_a_valid_contract_passes_full_clean():
    build_contract().full_clean()


def test_end_before_start_is_rejected_on_end_date():
    errors = field_errors(build_contract(start_date=date(2025, 1, 1), end_date=date(2024, 12, 31)))
    assert errors["end_date"] == ["The end date cannot be before the start date."]


@pytest.mark.parametrize("term", [None, 0])
def test_automatic_renewal_without_a_term_is_rejected_on_the_term(term):
    errors = field_errors(build_contract(renewal="automatic", renewal_term_months=term))
    assert "renewal term of at least one month" in errors["renewal_term_months"][0]


def test_no_renewal_drops_a_stray_renewal_term():
    contract = build_contract(renewal="none", renewal_term_months=12)
    contract.full_clean()
    assert contract.renewal_term_months is None


@pytest.mark.parametrize(
    ("unit", "period", "valid"),
    [
        # Initial term 2024-01-01..2024-03-31: three calendar months, 91 days.
        ("months", 3, True),
        ("months", 4, False),
        ("days", 91, True),
        ("days", 92, False),
    ],
)
def test_notice_longer_than_the_initial_term_is_rejected(unit, period, valid):
    contract = build_contract(
        start_date=date(2024, 1, 1),
        end_date=date(2024, 3, 31),
        notice_unit=unit,
        notice_period=period,
    )
    if valid:
        contract.full_clean()
        return
    errors = field_errors(contract)
    assert errors["notice_period"] == [
        "The notice period cannot be longer than the initial term (1 Jan 2024 to 31 Mar 2024)."
    ]


def test_an_unknown_notice_unit_is_a_field_error_not_a_crash():
    errors = field_errors(build_contract(notice_unit="weeks"))
    assert list(errors) == ["notice_unit"]


@pytest.mark.parametrize("field", ["annual_value", "termination_fee"])
def test_negative_money_is_rejected_on_its_field(field):
    errors = field_errors(build_contract(**{field: Decimal("-0.01")}))
    assert errors[field] == ["Ensure this value is greater than or equal to 0."]


def test_money_is_decimal_never_float():
    contract = ContractFactory(annual_value=Decimal("1234.56"))
    contract.refresh_from_db()
    assert contract.annual_value == Decimal("1234.56")
    assert isinstance(contract.annual_value, Decimal)


@pytest.mark.parametrize("code", ["XX", "gb", "GBR"])
def test_provider_country_must_be_an_iso_code(code):
    errors = field_errors(ServiceProviderFactory.build(country=code))
    assert "country" in errors


@pytest.mark.parametrize("code", ["EURO", "XYZ", "eur"])
def test_contract_currency_must_be_an_iso_4217_code(code):
    errors = field_errors(build_contract(currency=code))
    assert "is not an ISO 4217 currency code" in errors["currency"][0]


@pytest.mark.parametrize("code", ["ZZ", "gb"])
def test_governing_country_without_a_holiday_calendar_is_rejected(code):
    errors = field_errors(build_contract(governing_country=code))
    assert errors["governing_country"] == [
        f"No public-holiday calendar is known for country “{code}”."
    ]


def test_governing_country_is_optional():
    build_contract(governing_country="").full_clean()


def _write_bypassing_validation(contract: Contract, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(**values)


@pytest.mark.parametrize(
    "values",
    [
        {"end_date": date(2022, 12, 31)},
        {"renewal_term_months": None},
        {"renewal_term_months": 0},
        {"annual_value": Decimal("-1")},
        {"termination_fee": Decimal("-1")},
    ],
    ids=["end-before-start", "automatic-without-term", "automatic-term-zero", "value", "fee"],
)
def test_database_constraints_reject_rows_written_around_validation(values):
    contract = ContractFactory()
    _write_bypassing_validation(contract, **values)
    contract.refresh_from_db()
    assert contract.end_date == date(2027, 12, 31)
    assert contract.renewal_term_months == 12


def test_database_rejects_an_invalid_contract_saved_without_full_clean():
    with pytest.raises(IntegrityError), transaction.atomic():
        build_contract(start_date=date(2025, 1, 1), end_date=date(2024, 1, 1)).save()
    assert not Contract.objects.exists()


def _worked_example_1(**overrides) -> Contract:
    fields = {
        "start_date": date(2020, 1, 1),
        "end_date": date(2024, 12, 31),
        "renewal": "automatic",
        "renewal_term_months": 12,
        "notice_period": 3,
        "notice_unit": "months",
    }
    return ContractFactory(**(fields | overrides))


@time_machine.travel(date(2026, 11, 24), tick=False)
def test_date_methods_default_to_today_worked_example_1():
    contract = _worked_example_1()
    assert contract.current_term_end() == date(2026, 12, 31)
    assert contract.next_notice_deadline() == date(2027, 9, 30)
    assert contract.exit_date_if_served() == date(2027, 12, 31)
    assert contract.decision_date() == date(2027, 7, 2)


def test_date_methods_delegate_to_the_engine_for_a_given_date():
    contract = _worked_example_1(exit_assistance_months=6)
    on = date(2026, 11, 24)
    assert contract.current_term_end(on) == dates.current_term_end(contract.terms, on)
    assert contract.next_notice_deadline(on) == date(2027, 9, 30)
    assert contract.exit_date_if_served(on) == date(2027, 12, 31)
    assert contract.decision_date(on) == date(2027, 7, 2)
    assert contract.assistance_end(date(2027, 12, 31)) == date(2028, 6, 30)
    assert contract.status(on) == dates.status(contract.terms, on)


# 23:30 UTC on 30 September is already 1 October in London (BST, UTC+1): the deadline
# of 2026-09-30 has passed there, so the next one is a year later.
@time_machine.travel("2026-09-30T23:30:00+00:00", tick=False)
def test_today_is_the_date_in_time_zone_not_utc(settings):
    settings.TIME_ZONE = "Europe/London"
    contract = _worked_example_1()
    assert contract.next_notice_deadline() == date(2027, 9, 30)
    settings.TIME_ZONE = "UTC"
    assert contract.next_notice_deadline() == date(2026, 9, 30)


def test_termination_for_convenience_worked_example_through_the_model():
    contract = ContractFactory(
        start_date=date(2025, 7, 1),
        end_date=date(2027, 6, 30),
        renewal="automatic",
        renewal_term_months=24,
        notice_period=90,
        notice_unit="days",
        termination_for_convenience=True,
    )
    assert contract.exit_date_if_served(date(2026, 11, 24)) == date(2027, 2, 22)


@pytest.mark.parametrize(("on", "expired"), [(date(2027, 3, 28), False), (date(2027, 3, 29), True)])
def test_a_contract_without_renewal_expires_after_its_end_date(on, expired):
    contract = ContractFactory(renewal="none", renewal_term_months=None, end_date=date(2027, 3, 28))
    assert contract.is_expired(on) is expired
    assert contract.get_status_display(on) == ("Expired" if expired else "Ending")


def test_contract_changes_keep_a_field_history():
    contract = ContractFactory(title="Before")
    contract.title = "After"
    contract.save()
    latest, earliest = contract.history.all()[0], contract.history.all()[1]
    changes = latest.diff_against(earliest).changes
    assert [(c.field, c.old, c.new) for c in changes] == [("title", "Before", "After")]


def _document(name: str, size: int) -> ContractDocument:
    content = (b"%PDF-1.4\n" + b"x" * size)[:size]  # a PDF by its content, of `size` bytes
    return ContractDocument(
        contract=ContractFactory(),
        title="Master services agreement",
        file=SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    )


def test_a_document_of_an_accepted_type_and_size_is_valid(settings):
    settings.CONTRACT_DOCUMENT_MAX_BYTES = 1024
    _document("msa.pdf", 1024).full_clean()


@pytest.mark.parametrize("name", ["payload.exe", "msa.pdf.sh", "noextension"])
def test_a_document_of_another_type_is_rejected(name):
    errors = field_errors(_document(name, 10))
    assert "File extension" in errors["file"][0]
    assert "not allowed" in errors["file"][0]


def test_an_oversized_document_is_rejected_with_both_sizes(settings):
    settings.CONTRACT_DOCUMENT_MAX_BYTES = 1024
    errors = field_errors(_document("msa.pdf", 2048))
    assert errors["file"] == ["The file is 2.0\xa0KB; documents may be at most 1.0\xa0KB."]


# Notice terms: the window, the method and its transit, the governing region


def test_notice_terms_are_entered_and_read_by_the_engine():
    notice_terms = {
        "notice_window_months",
        "notice_method",
        "notice_transit_days",
        "governing_subdivision",
    }
    assert notice_terms <= set(Contract.INPUT_FIELDS)
    assert notice_terms - {"notice_method"} <= set(Contract.TERM_FIELDS)


def test_a_contract_with_every_notice_term_passes_full_clean():
    build_contract(
        notice_window_months=9,
        notice_method=Contract.NoticeMethod.REGISTERED_POST,
        notice_transit_days=2,
        governing_country="GB",
        governing_subdivision="GB-SCT",
    ).full_clean()


@pytest.mark.parametrize(
    ("window", "period", "unit", "notice"),
    [(3, 3, "months", "3 months"), (2, 3, "months", "3 months"), (3, 89, "days", "89 days")],
)
def test_a_window_not_longer_than_the_notice_period_is_rejected_with_both(
    window, period, unit, notice
):
    errors = field_errors(
        build_contract(notice_window_months=window, notice_period=period, notice_unit=unit)
    )
    assert errors["notice_window_months"] == [
        f"A notice window of {window} months is not longer than the notice period of "
        f"{notice}: the window would close before it opens."
    ]


def test_a_window_of_three_months_is_longer_than_88_days_notice_in_every_month():
    build_contract(notice_window_months=3, notice_period=88, notice_unit="days").full_clean()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("notice_window_months", 0, "Ensure this value is greater than or equal to 1."),
        ("notice_window_months", 121, "Ensure this value is less than or equal to 120."),
        ("notice_transit_days", 61, "Ensure this value is less than or equal to 60."),
        ("notice_transit_days", -1, "Ensure this value is greater than or equal to 0."),
        ("notice_method", "pigeon", "Value 'pigeon' is not a valid choice."),
    ],
)
def test_notice_terms_out_of_range_are_rejected_on_their_field(field, value, message):
    errors = field_errors(build_contract(**{field: value}))
    assert errors[field] == [message]


def test_sixty_transit_days_and_a_ten_year_window_are_the_limits():
    build_contract(notice_transit_days=60, notice_window_months=120).full_clean()


def test_a_subdivision_without_a_governing_country_is_rejected():
    errors = field_errors(build_contract(governing_country="", governing_subdivision="GB-SCT"))
    assert errors["governing_subdivision"] == [
        "A governing subdivision (“GB-SCT”) needs a governing country."
    ]


@pytest.mark.parametrize("code", ["DE-BY", "GB-XYZ", "SCT", "GB-"])
def test_a_subdivision_that_is_not_a_region_of_the_governing_country_is_rejected(code):
    errors = field_errors(build_contract(governing_country="GB", governing_subdivision=code))
    assert errors["governing_subdivision"] == [
        f"The governing subdivision “{code}” is not a region of GB with a public-holiday "
        "calendar; use an ISO 3166-2 code such as GB-ENG, GB-NIR, GB-SCT, GB-WLS."
    ]


def test_a_subdivision_of_a_country_without_regional_calendars_is_rejected():
    errors = field_errors(build_contract(governing_country="NL", governing_subdivision="NL-NH"))
    assert errors["governing_subdivision"] == [
        "NL has no regional public-holiday calendars: leave the governing subdivision "
        "(“NL-NH”) empty."
    ]


def test_a_subdivision_is_stored_as_an_upper_case_iso_code():
    contract = build_contract(governing_country="US", governing_subdivision="us-ny")
    contract.full_clean()
    assert contract.governing_subdivision == "US-NY"


@pytest.mark.parametrize(
    "values",
    [
        {"notice_window_months": 0},
        {"notice_window_months": 121},
        {"notice_window_months": 3},  # the factory's notice period is 3 months
        {"notice_transit_days": 61},
        {"governing_subdivision": "GB-SCT"},  # no governing country
        {"governing_country": "GB", "governing_subdivision": "DE-BY"},
    ],
    ids=[
        "window-zero",
        "window-over-120",
        "window-not-longer-than-notice",
        "transit-over-60",
        "subdivision-without-country",
        "subdivision-of-another-country",
    ],
)
def test_database_constraints_reject_notice_terms_written_around_validation(values):
    contract = ContractFactory()
    _write_bypassing_validation(contract, **values)
    contract.refresh_from_db()
    assert contract.notice_window_months is None
    assert contract.governing_subdivision == ""


def test_database_accepts_a_region_of_the_governing_country():
    contract = ContractFactory(governing_country="GB", governing_subdivision="GB-SCT")
    contract.refresh_from_db()
    assert contract.governing_subdivision == "GB-SCT"


@time_machine.travel(date(2026, 1, 5), tick=False)
def test_window_and_dispatch_methods_default_to_today_worked_examples_5_and_7():
    contract = _worked_example_1(notice_window_months=9, notice_transit_days=2)
    assert contract.notice_window() == (date(2026, 3, 31), date(2026, 9, 30))
    # Deadline Wednesday 30 Sep 2026; two business days back is Monday 28th.
    assert contract.dispatch_by() == date(2026, 9, 28)
    assert contract.notice_window_reason() == (
        "Notice received on 5 Jan 2026 is before the notice window opens on 31 Mar 2026 "
        "(at most 9 months before the term end 31 Dec 2026)."
    )
    assert contract.notice_window_reason(date(2026, 3, 31)) is None


def test_window_and_dispatch_methods_are_none_once_no_deadline_is_left():
    contract = ContractFactory(
        renewal="none",
        renewal_term_months=None,
        end_date=date(2027, 3, 28),
        notice_window_months=6,
    )
    after_deadline = date(2027, 1, 1)
    assert contract.notice_window(after_deadline) is None
    assert contract.dispatch_by(after_deadline) is None
    assert contract.notice_window_reason(after_deadline) is None


def test_a_scottish_contract_counts_st_andrews_day_and_an_english_one_does_not():
    # docs/domain.md worked example 8.
    scottish = ContractFactory(
        start_date=date(2024, 4, 1),
        end_date=date(2027, 3, 31),
        renewal="none",
        renewal_term_months=None,
        notice_period=4,
        governing_country="GB",
        governing_subdivision="GB-SCT",
    )
    english = ContractFactory(
        start_date=date(2024, 4, 1),
        end_date=date(2027, 3, 31),
        renewal="none",
        renewal_term_months=None,
        notice_period=4,
        governing_country="GB",
        governing_subdivision="GB-ENG",
    )
    on = date(2026, 11, 1)
    assert scottish.next_notice_deadline(on) == date(2026, 11, 27)
    assert english.next_notice_deadline(on) == date(2026, 11, 30)
