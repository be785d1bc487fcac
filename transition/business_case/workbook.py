"""The business case as an XLSX workbook finance can audit (docs/business-case.md).

Every money cell of the cash flow is a formula over named input cells, so the workbook
recomputes when someone changes an input in Excel or LibreOffice, and reads like the
documented formulas (`=Outsourced*(1+Indexation)^(A2-1)`). Only the payback month, the
break-even saving and the scenario and sensitivity tables are values, each labelled as
computed by Backsourcing. User text (the title, the process name) goes into text cells
through `core.spreadsheets.neutralise`, never into a formula (docs/security.md).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from core.spreadsheets import REPLACEMENT, neutralise

from .model import CaseInputs, CaseResult
from .scenarios import Scenario
from .sensitivity import Sensitivity

CURRENCY_CODE = re.compile(r"[A-Z]{3}")
PERCENT = "0.00%"
INTEGER = "0"
FACTOR = "0.000000"
BOLD = Font(bold=True)
INPUT_FONT = Font(color="0000FF")  # blue: the cells meant to be changed
COMPUTED = gettext_lazy("computed by Backsourcing")

# Cash-flow columns B to K as (header, formula of the year in column A of row {r}). Months
# per year as in docs/business-case.md: months 1..GoLive-1 pay the provider and a share of
# the transition cost, months from GoLive pay in-house, GoLive..GoLive+DualRunning-1 pay the
# provider as well, and the exit costs fall in month GoLive.
_BEFORE = "MAX(0,MIN(12*A{r},GoLive-1)-12*(A{r}-1))"
_DUAL = "MAX(0,MIN(12*A{r},GoLive-1+DualRunning)-MAX(12*(A{r}-1),GoLive-1))"
_INHOUSE = "MAX(0,12*A{r}-MAX(GoLive-1,12*(A{r}-1)))"
_EXIT = "TerminationFee+ExitAssistance+TupeCost+StrandedCost"
COLUMNS: tuple[tuple[Promise, str], ...] = (
    (gettext_lazy("Stay outsourced"), "=Outsourced*(1+Indexation)^(A{r}-1)"),
    (gettext_lazy("Provider paid"), f"=B{{r}}/12*({_BEFORE}+{_DUAL})"),
    (gettext_lazy("In-house run"), f"=InHouse*(1+LabourGrowth)^(A{{r}}-1)/12*{_INHOUSE}"),
    (
        gettext_lazy("Transition"),
        f"=IF(GoLive=1,IF(A{{r}}=1,TransitionCost,0),TransitionCost*{_BEFORE}/(GoLive-1))",
    ),
    (
        gettext_lazy("Exit costs"),
        f"=IF(AND(GoLive>12*(A{{r}}-1),GoLive<=12*A{{r}}),{_EXIT},0)",
    ),
    (gettext_lazy("In-house scenario cost"), "=SUM(C{r}:F{r})"),
    (gettext_lazy("Net cash flow"), "=B{r}-G{r}"),
    (gettext_lazy("Cumulative"), "=SUM(H$2:H{r})"),
    (gettext_lazy("Discount factor"), "=1/(1+DiscountRate)^A{r}"),
    (gettext_lazy("Discounted"), "=H{r}*J{r}"),
)
TOTALLED = "BCDEFGHK"
NET = 8  # column H


def case_workbook(
    result: CaseResult,
    *,
    title: str,
    scenarios: Sequence[Scenario] | None = None,
    sensitivity: Sensitivity | None = None,
) -> bytes:
    """The case as XLSX bytes: named inputs, a cash flow of formulas, optional value tables.

    `title` is user text (a process name, say) and lands as text, like every other text.
    """
    money = money_format(result.currency)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Inputs"
    _inputs_sheet(workbook, sheet, result, title=title, money=money)
    _cash_flow_sheet(workbook.create_sheet("Cash flow"), result, money=money)
    if scenarios:
        years = [_("Cost in year %(year)s") % {"year": n} for n in range(1, len(result.years) + 1)]
        headers = [
            _("Scenario"),
            *years,
            _("Total cost"),
            _("Present value of the cost"),
            _("NPV against staying"),
        ]
        rows = [
            [s.label, *s.yearly_cost, s.total_cost, s.pv_cost, s.npv_vs_stay] for s in scenarios
        ]
        _table_sheet(workbook.create_sheet("Scenarios"), headers, rows, money)
    if sensitivity is not None:
        headers = [_("Driver"), _("Low"), _("High"), _("NPV at low"), _("NPV at high"), _("Swing")]
        rows = [[_("Base case"), None, None, sensitivity.base_npv, sensitivity.base_npv, None]]
        rows += [
            [r.label, _Own(r.low_label), _Own(r.high_label), r.npv_low, r.npv_high, r.swing]
            for r in sensitivity.rows
        ]
        _table_sheet(workbook.create_sheet("Sensitivity"), headers, rows, money)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def money_format(currency: str) -> str:
    """An Excel number format showing the ISO code; the code is checked, never user text."""
    if not CURRENCY_CODE.fullmatch(currency):
        raise ValueError(f"Not an ISO 4217 currency code: {currency!r}")
    return f'#,##0.00 "{currency}"'


def _input_rows(inputs: CaseInputs, money: str) -> list[tuple[str, str, Decimal | int, str]]:
    hundred = Decimal(100)
    rows: list[tuple[str, str, Decimal | int, str]] = [
        (_("Horizon (years)"), "Horizon", inputs.horizon_years, INTEGER),
        (_("Discount rate a year"), "DiscountRate", inputs.discount_rate / hundred, PERCENT),
        (_("Outsourced cost, year 1"), "Outsourced", inputs.annual_outsourced, money),
        (
            _("Provider price indexation a year"),
            "Indexation",
            inputs.outsourced_indexation / hundred,
            PERCENT,
        ),
        (_("In-house run cost, year 1"), "InHouse", inputs.annual_inhouse, money),
        (_("In-house cost growth a year"), "LabourGrowth", inputs.labour_growth / hundred, PERCENT),
        (_("One-off transition cost"), "TransitionCost", inputs.one_off_transition, money),
        (_("Go-live month as entered"), "GoLiveEntered", inputs.go_live_month, INTEGER),
        (_("Dual-running months"), "DualRunning", inputs.dual_running_months, INTEGER),
        (_("Termination fee"), "TerminationFee", inputs.termination_fee, money),
        (_("Exit assistance"), "ExitAssistance", inputs.exit_assistance, money),
        (_("TUPE one-off"), "TupeCost", inputs.tupe_one_off, money),
        (_("Stranded cost"), "StrandedCost", inputs.stranded_cost, money),
    ]
    if inputs.start_year is not None:
        rows.append((_("Calendar year of month 1"), "StartYear", inputs.start_year, INTEGER))
    return rows


def _inputs_sheet(
    workbook: Workbook, sheet: Worksheet, result: CaseResult, *, title: str, money: str
) -> None:
    inputs = result.inputs
    _text(sheet, 1, 1, title, bold=True)
    _text(sheet, 2, 1, _("Process"))
    _text(sheet, 2, 2, inputs.name)
    for column, header in enumerate((_("Input"), _("Value"), _("Name in formulas")), 1):
        _text(sheet, 4, column, header, bold=True)
    _text(sheet, 5, 1, _("Currency"))
    _text(sheet, 5, 2, inputs.currency)
    rows = _input_rows(inputs, money)
    for row, (label, name, value, number_format) in enumerate(rows, 6):
        _text(sheet, row, 1, label)
        _name(workbook, sheet, row, name, value, number_format, font=INPUT_FONT)
    # The engine takes a go-live before month 1 as month 1, and one after the horizon as the
    # month after it (docs/business-case.md); so do the formulas.
    row = 6 + len(rows)
    _text(sheet, row, 1, _("Go-live month used (1 to 12 × horizon + 1)"))
    _name(workbook, sheet, row, "GoLive", "=MIN(MAX(GoLiveEntered,1),12*Horizon+1)", INTEGER)
    if result.warnings:
        _text(sheet, row + 2, 1, _("Warnings (%(source)s)") % {"source": COMPUTED}, bold=True)
    for number, warning in enumerate(result.warnings, row + 3):
        _text(sheet, number, 1, warning)
    for letter, width in (("A", 44), ("B", 18), ("C", 18)):
        sheet.column_dimensions[letter].width = width


def _name(
    workbook: Workbook,
    sheet: Worksheet,
    row: int,
    name: str,
    value: Decimal | int | str,
    number_format: str,
    *,
    font: Font | None = None,
) -> None:
    _put(sheet, row, 2, value, number_format, font=font)
    _text(sheet, row, 3, name)
    workbook.defined_names[name] = DefinedName(name, attr_text=f"Inputs!$B${row}")


def _cash_flow_sheet(sheet: Worksheet, result: CaseResult, *, money: str) -> None:
    headers = [_("Year"), *(str(header) for header, _formula in COLUMNS)]
    calendar = result.inputs.start_year is not None
    if calendar:
        headers.append(_("Calendar year"))
    for column, header in enumerate(headers, 1):
        _text(sheet, 1, column, header, bold=True)
    first, last = 2, 1 + len(result.years)
    for row in range(first, last + 1):
        sheet.cell(row=row, column=1, value=row - 1)
        for column, (_header, formula) in enumerate(COLUMNS, 2):
            number_format = FACTOR if column == 10 else money
            _put(sheet, row, column, formula.format(r=row), number_format)
        if calendar:
            _put(sheet, row, len(headers), f"=StartYear+A{row}-1", INTEGER)
    total = last + 1
    _text(sheet, total, 1, _("Total"), bold=True)
    for letter in TOTALLED:
        column = ord(letter) - ord("A") + 1
        _put(sheet, total, column, f"=SUM({letter}{first}:{letter}{last})", money)
    _text(sheet, total + 2, 1, _("NPV of the net cash flow at the discount rate"), bold=True)
    _put(sheet, total + 2, NET, f"=NPV(DiscountRate,H{first}:H{last})", money)
    label = _("Payback month (%(source)s, from the monthly cash flow)")
    _text(sheet, total + 3, 1, label % {"source": COMPUTED})
    if result.payback_month is None:
        _text(sheet, total + 3, NET, _("not within the horizon"))
    elif result.payback_month == 0:
        _text(sheet, total + 3, NET, _("none needed: never below zero"))
    else:
        sheet.cell(row=total + 3, column=NET, value=result.payback_month)
    label = _("Break-even year-1 saving, outsourced minus in-house (%(source)s: NPV 0)")
    _text(sheet, total + 4, 1, label % {"source": COMPUTED})
    if result.break_even_saving is None:
        _text(sheet, total + 4, NET, _("none: the in-house cost does not move the NPV"))
    else:
        _put(sheet, total + 4, NET, result.break_even_saving, money)
    sheet.freeze_panes = "B2"
    for column in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 18


def _table_sheet(
    sheet: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[object]], money: str
) -> None:
    _text(
        sheet,
        1,
        1,
        _("Values %(source)s; the Cash flow sheet holds the formulas.") % {"source": COMPUTED},
    )
    for column, header in enumerate(headers, 1):
        _text(sheet, 3, column, header, bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = 24
    for row, values in enumerate(rows, 4):
        for column, value in enumerate(values, 1):
            if isinstance(value, str):
                _text(sheet, row, column, value)
            elif isinstance(value, Decimal):
                _put(sheet, row, column, value, money)


class _Own(str):
    """Text the engine made from numbers ("+10%"): no user text, so shown without a quote."""


def _text(sheet: Worksheet, row: int, column: int, value: str, *, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column)
    text = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)
    cell.value = text if isinstance(value, _Own) else neutralise(text)
    cell.data_type = "s"  # openpyxl would store text starting with "=" as a formula
    if bold:
        cell.font = BOLD


def _put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: str | Decimal | int,
    number_format: str,
    *,
    font: Font | None = None,
) -> None:
    # A number, or a formula of this module's own: never text that came from a user.
    cell = sheet.cell(row=row, column=column, value=value)
    cell.number_format = number_format
    if font is not None:
        cell.font = font
