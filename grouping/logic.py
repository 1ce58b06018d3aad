"""Rows of `drglogic` parsed into typed conditions (docs/NORDDRG.md §3.5 and §5), checked at load time.

A condition is (op, value): op is '' (plain value), '+', '-', '<', '>' or '='; value is the cell
after the operator, trimmed. Cells whose operator a column does not know are rejected, so a table
either loads with a meaning for every cell or fails naming the row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONDITION_COLUMNS = [
    "icd",
    "mdc",
    "pdgprop",
    "or",
    "procpro1",
    "dgcat1",
    "agelim",
    "compl",
    "sex",
    "dgprop1",
    "dgprop2",
    "dgprop3",
    "dgprop4",
    "secproc1",
    "disch",
    "dur",
]
SET_COLUMNS = ["pdgprop", "dgprop1", "dgprop2", "dgprop3", "dgprop4", "procpro1"]
RTC_VALUES = set("0123456789A")


class RuleError(ValueError):
    """A drglogic cell that has no meaning; the message names row and column."""


@dataclass(frozen=True)
class Rule:
    """One drglogic row: result and parsed conditions (column -> (op, value)), empty cells left out."""

    ord: str
    drg: str
    rtc: str
    loc_drg: str
    conditions: dict[str, tuple[str, str]]
    cells: dict[str, str]  # the table's own text of every non-empty condition cell

    def cell(self, column: str) -> str:
        return self.cells.get(column, "")


def _split(cell: str) -> tuple[str, str]:
    if cell and cell[0] in "+-<>=":
        return cell[0], cell[1:].strip()
    return "", cell


class _Unreadable(Exception):
    """A cell a column's parser cannot read (turned into a RuleError naming row and column)."""


def _need(ok: bool) -> None:
    if not ok:
        raise _Unreadable


def _icd(op: str, value: str, cell: str) -> tuple[str, str] | None:
    return (op, "") if op in "+-" and op and not value else None  # anything else: always holds


def _member(op: str, value: str, cell: str) -> tuple[str, str]:
    _need(op in ("", "+", "-") and bool(value))
    return ("-" if op == "-" else "+", value)


def _or(op: str, value: str, cell: str) -> tuple[str, str]:
    if op in ("+", "-") and not value:
        return (op, "")
    if op == "-":
        return ("-", value)  # '-' with a value never holds (docs/NORDDRG.md §5)
    _need(op in ("", "+") and value in ("S", "P", "N", "Z"))
    return ("+", value)


def _secproc(op: str, value: str, cell: str) -> tuple[str, str]:
    if op == "-" and not value:
        return ("-", "")
    return _member(op, value, cell)


def _days(op: str, value: str, cell: str) -> tuple[str, str]:
    if op not in ("<", ">") or not re.fullmatch(r"\d+", value):
        raise _Unreadable("needs <n or >n (days)")
    return (op, value)


def _compl(op: str, value: str, cell: str) -> tuple[str, str]:
    _need(op in ("", "+", ">", "<", "-") and bool(re.fullmatch(r"\d+", value)))
    return ("+" if op == "" else op, value)


def _sex(op: str, value: str, cell: str) -> tuple[str, str]:
    _need(cell in ("M", "F", "-"))
    return ("", cell)


def _disch(op: str, value: str, cell: str) -> tuple[str, str]:
    _need(op in ("", "=", "-") and bool(value))
    return ("-" if op == "-" else "=", value)


_PARSERS = {
    "icd": _icd,
    "mdc": _member,
    "dgcat1": _member,
    **dict.fromkeys(SET_COLUMNS, _member),
    "or": _or,
    "secproc1": _secproc,
    "agelim": _days,
    "dur": _days,
    "compl": _compl,
    "sex": _sex,
    "disch": _disch,
}


def _parse(column: str, cell: str, where: str) -> tuple[str, str] | None:
    """The condition of one non-empty cell, or None when the cell is no condition."""
    if column not in _PARSERS:
        raise RuleError(f"{where}: unknown condition column {column}")
    op, value = _split(cell)
    try:
        return _PARSERS[column](op, value, cell)
    except _Unreadable as exc:
        if exc.args:
            raise RuleError(f"{where}, column {column}: '{cell}' {exc.args[0]}") from None
        raise RuleError(f"{where}, column {column}: cannot read '{cell}'") from None


def parse_rule(row: dict[str, str], where: str) -> Rule:
    """A drglogic row (lower-case column names, trimmed values) as a Rule."""
    if not row.get("ord"):
        raise RuleError(f"{where}, column ord: value required")
    if not row.get("drg"):
        raise RuleError(f"{where}, column drg: value required")
    rtc = row.get("rtc") or "0"
    if rtc not in RTC_VALUES:
        raise RuleError(f"{where}, column rtc: '{rtc}' is not 0-9 or A")
    conditions, cells = {}, {}
    for column in CONDITION_COLUMNS:
        cell = row.get(column, "")
        if cell:
            parsed = _parse(column, cell, where)
            if parsed is not None:
                conditions[column] = parsed
                cells[column] = cell
    return Rule(row["ord"], row["drg"], rtc, row.get("loc_drg", ""), conditions, cells)
