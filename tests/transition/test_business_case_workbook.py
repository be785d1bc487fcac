"""The business-case workbook holds real formulas, and they compute the engine's figures."""

import io
import re
import zipfile
from dataclasses import replace
from decimal import Decimal

import formulas
import pytest
from openpyxl import load_workbook

from tests.transition.business_case_example import DOCS_EXAMPLE
from transition.business_case import run_case, scenarios, sensitivity
from transition.business_case.workbook import case_workbook, money_format

CENT = Decimal("0.01")

# The example of docs/business-case.md over three years, without renegotiation.
EXAMPLE = replace(DOCS_EXAMPLE, horizon_years=3, renegotiation_change=Decimal(0))
YEAR_COLUMNS = "BCDEFGHIK"  # the YearFlow money fields in order; J is the discount factor


def evaluate(content: bytes, tmp_path) -> dict[str, object]:
    """Every cell's value as the `formulas` evaluator computes it, keyed "SHEET!A1"."""
    path = tmp_path / "case.xlsx"
    path.write_bytes(content)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = {}
    for key, ranges in solution.items():
        if "]" in key and ":" not in key:
            values[key.split("]", 1)[1].replace("'!", "!")] = ranges.value[0, 0]
    return values


def cents(value: object) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def year_figures(flow) -> list[Decimal]:
    return [
        flow.stay_cost,
        flow.outsourced_paid,
        flow.inhouse_run,
        flow.transition,
        flow.exit_costs,
        flow.inhouse_cost,
        flow.net_cash_flow,
        flow.cumulative,
        flow.discounted,
    ]


def assert_evaluates_to_case(values: dict[str, object], case) -> None:
    for row, flow in enumerate(case.years, 2):
        computed = [cents(values[f"CASH FLOW!{column}{row}"]) for column in YEAR_COLUMNS]
        assert computed == year_figures(flow), f"year {flow.year}"
    npv_row = len(case.years) + 4
    assert cents(values[f"CASH FLOW!H{npv_row}"]) == case.npv
    assert cents(values[f"CASH FLOW!K{npv_row - 2}"]) == case.npv  # the discounted column's sum


def test_money_cells_of_the_cash_flow_are_formulas_over_named_inputs():
    workbook = load_workbook(io.BytesIO(case_workbook(run_case(EXAMPLE), title="IT")))
    names = workbook.defined_names
    assert {"Outsourced", "Indexation", "InHouse", "GoLive", "DiscountRate", "TupeCost"} <= set(
        names
    )
    assert names["Outsourced"].attr_text == "Inputs!$B$8"
    assert workbook["Inputs"]["B8"].value == 120000
    assert workbook["Inputs"]["B7"].value == pytest.approx(0.08)
    assert workbook["Inputs"]["B7"].number_format == "0.00%"
    sheet = workbook["Cash flow"]
    for row in (2, 3, 4, 5):
        cells = [sheet.cell(row=row, column=column).value for column in range(2, 12)]
        cells = [cell for cell in cells if cell is not None]  # the totals row skips I and J
        assert cells
        assert all(isinstance(cell, str) and cell.startswith("=") for cell in cells)
    assert sheet["B2"].value == "=Outsourced*(1+Indexation)^(A2-1)"
    assert "InHouse*(1+LabourGrowth)^(A3-1)" in sheet["D3"].value
    assert "TerminationFee+ExitAssistance+TupeCost+StrandedCost" in sheet["F4"].value
    assert sheet["H5"].value == "=SUM(H2:H4)"
    assert sheet["H7"].value == "=NPV(DiscountRate,H2:H4)"
    assert sheet["B2"].number_format == '#,##0.00 "EUR"'


def test_evaluated_example_gives_the_hand_figures_and_the_engines(tmp_path):
    case = run_case(EXAMPLE)
    values = evaluate(case_workbook(case, title="IT"), tmp_path)
    year_1 = [cents(values[f"CASH FLOW!{column}2"]) for column in "BCDEFGHI"]
    # Stay: 12 months at 10,000. Provider: 6 months before go-live and 2 dual-running months
    # at 10,000. In-house: 6 months at 7,500. Transition: 60,000 over months 1-6. Exit costs:
    # 10,000 + 5,000 + 8,000 + 2,000 in month 7.
    hand_year_1 = (120000, 80000, 45000, 60000, 25000, 210000, -90000, -90000)
    assert year_1 == [Decimal(amount) for amount in hand_year_1]
    nets = [cents(values[f"CASH FLOW!H{row}"]) for row in (2, 3, 4)]
    assert nets == [Decimal(-90000), Decimal(123600 - 93600), Decimal(127308 - 97344)]
    assert cents(values["CASH FLOW!I4"]) == Decimal(-30036)
    rate = Decimal("1.08")
    hand_npv = Decimal(-90000) / rate + 30000 / rate**2 + 29964 / rate**3
    assert cents(values["CASH FLOW!H7"]) == hand_npv.quantize(CENT) == Decimal("-33826.78")
    assert_evaluates_to_case(values, case)


@pytest.mark.parametrize(
    ("go_live", "dual", "horizon"),
    [
        (1, 0, 2),  # the whole transition cost in month 1
        (1, 3, 1),
        (12, 0, 2),
        (13, 5, 3),  # go-live on a year boundary
        (20, 30, 3),  # dual running past the horizon
        (25, 2, 2),  # never within a 2-year horizon
        (36, 1, 3),  # the last month
        (0, 1, 2),  # before the case starts: month 1
        (50, 0, 3),  # after the horizon: the month after it
    ],
)
def test_evaluated_formulas_equal_the_engine_to_the_cent(tmp_path, go_live, dual, horizon):
    inputs = replace(
        EXAMPLE, go_live_month=go_live, dual_running_months=dual, horizon_years=horizon
    )
    case = run_case(inputs)
    assert_evaluates_to_case(evaluate(case_workbook(case, title="IT"), tmp_path), case)


def test_an_input_changed_in_the_workbook_recomputes_the_case(tmp_path):
    workbook = load_workbook(io.BytesIO(case_workbook(run_case(EXAMPLE), title="IT")))
    inputs = workbook["Inputs"]
    assert inputs["C13"].value == "GoLiveEntered"
    inputs["B8"] = 150000  # Outsourced
    inputs["B13"] = 16
    stream = io.BytesIO()
    workbook.save(stream)
    changed = replace(EXAMPLE, annual_outsourced=Decimal(150000), go_live_month=16)
    assert_evaluates_to_case(evaluate(stream.getvalue(), tmp_path), run_case(changed))


def test_payback_and_break_even_are_values_labelled_as_computed_by_backsourcing():
    case = run_case(replace(EXAMPLE, horizon_years=5, start_year=2026))
    assert case.payback_month is not None
    assert case.break_even_saving is not None
    sheet = load_workbook(io.BytesIO(case_workbook(case, title="IT")))["Cash flow"]
    assert "computed by Backsourcing" in sheet["A10"].value
    assert sheet["H10"].value == case.payback_month
    assert "computed by Backsourcing" in sheet["A11"].value
    assert cents(sheet["H11"].value) == case.break_even_saving
    assert sheet["L1"].value == "Calendar year"
    assert sheet["L3"].value == "=StartYear+A3-1"


def test_no_payback_within_the_horizon_says_so():
    sheet = load_workbook(io.BytesIO(case_workbook(run_case(EXAMPLE), title="IT")))["Cash flow"]
    assert run_case(EXAMPLE).payback_month is None
    assert sheet["H8"].value == "not within the horizon"


def test_scenarios_and_sensitivity_sheets_hold_the_engines_values():
    options = scenarios(EXAMPLE)
    tornado = sensitivity(EXAMPLE)
    content = case_workbook(run_case(EXAMPLE), title="IT", scenarios=options, sensitivity=tornado)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Inputs", "Cash flow", "Scenarios", "Sensitivity"]
    sheet = workbook["Scenarios"]
    assert "computed by Backsourcing" in sheet["A1"].value
    assert [cell.value for cell in sheet[3]][-1] == "NPV against staying"
    for row, option in enumerate(options, 4):
        assert sheet.cell(row=row, column=1).value == option.label
        assert cents(sheet.cell(row=row, column=2).value) == option.yearly_cost[0]
        assert cents(sheet.cell(row=row, column=7).value) == option.npv_vs_stay
    sheet = workbook["Sensitivity"]
    assert cents(sheet["D4"].value) == tornado.base_npv == run_case(EXAMPLE).npv
    for row, driver in enumerate(tornado.rows, 5):
        values = [cell.value for cell in sheet[row]]
        assert values[:3] == [driver.label, driver.low_label, driver.high_label]
        assert [cents(value) for value in values[3:]] == [
            driver.npv_low,
            driver.npv_high,
            driver.swing,
        ]


def test_a_formula_in_the_title_name_or_a_warning_lands_as_text(tmp_path):
    title = '=HYPERLINK("https://evil.example","Open")'
    case = run_case(replace(EXAMPLE, name="@SUM(1+1)*cmd|' /C calc'!A0"))
    case = replace(case, warnings=["=1+1"])
    content = case_workbook(case, title=title)
    inputs = load_workbook(io.BytesIO(content))["Inputs"]
    assert inputs["A1"].data_type == "s"
    assert inputs["A1"].value == "'" + title
    assert inputs["B2"].value == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert inputs["A21"].value == "Warnings (computed by Backsourcing)"
    assert inputs["A22"].value == "'=1+1"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert re.findall(r"<f>(.*?)</f>", sheet_xml) == ["MIN(MAX(GoLiveEntered,1),12*Horizon+1)"]
    values = evaluate(content, tmp_path)
    assert values["INPUTS!A1"] == "'" + title
    assert values["INPUTS!A22"] == "'=1+1"


def test_only_a_three_letter_code_goes_into_a_number_format():
    assert money_format("CHF") == '#,##0.00 "CHF"'
    for bad in ('EU"R', "eur", "EURO", ""):
        with pytest.raises(ValueError, match="currency code"):
            money_format(bad)
