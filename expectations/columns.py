"""Column helpers the rules are written in: SKS code validity and code-list membership, SOR
validity, and the Drools null semantics (a comparison with a missing value does not fire).

A coded attribute `x` of an evaluation frame carries `x__from`, `x__to`, `x__gaps` (the code's
validity: first day, last day, the days between its spans) and `x__lists` (map<list name,
struct<valid_from, valid_to, gaps>>: the code lists it belongs to and when). A SOR attribute `u`
carries `u__from`, `u__to`, `u__gaps`, `u__psych`, `u__hospital`. Validity and membership are
compared by Danish calendar day (a code valid to 2018-12-31 is valid all that day, to midnight in
Copenhagen); a day in a gap is outside both. Gaps are rare: the lambdas over them (which Spark
evaluates without generated code) run only for the codes and units that have one; measured at
scale 0.1, unguarded they cost the engine ~10 s of 130.
"""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F

from lprflow.localtime import local_date


def col(name: str) -> Column:
    return F.col(name)


def day(ts: Column | str) -> Column:
    """The Danish calendar day of an instant (Drools' toLocalDate())."""
    return local_date(col(ts) if isinstance(ts, str) else ts)


def in_gap(gaps: Column, d: Column) -> Column:
    """Day d falls in one of the gaps (false when there are none or d is null)."""
    hit = F.exists(gaps, lambda g: (g["from_day"] <= d) & (g["to_day"] >= d))
    return F.coalesce(F.when(F.size(gaps) > 0, hit), F.lit(False))


def gap_covers(gaps: Column, first: Column, last: Column) -> Column:
    """The whole period first..last lies in one gap (false for an open or missing end)."""
    hit = F.exists(gaps, lambda g: (g["from_day"] <= first) & (g["to_day"] >= last))
    return F.coalesce(F.when(F.size(gaps) > 0, hit), F.lit(False))


def _c(x: Column | str) -> Column:
    return col(x) if isinstance(x, str) else x


def in_list_at(attr: str, list_name: str, ts: Column | str) -> Column:
    """kodelisterPaaDato(ts) contains list_name."""
    return lists_contain_at(col(f"{attr}__lists"), list_name, ts)


def lists_contain_at(lists: Column, list_name: str, ts: Column | str) -> Column:
    """A code-list map (name → membership span) contains list_name on the day of ts."""
    return listed_on(lists, list_name, day(_c(ts)))


def _on(v: Column, d: Column) -> Column:
    """A membership span (struct<valid_from, valid_to, gaps>) holds on day d."""
    return (
        (v["valid_from"].isNull() | (v["valid_from"] <= d))
        & (v["valid_to"].isNull() | (v["valid_to"] >= d))
        & ~in_gap(v["gaps"], d)
    )


def _during(v: Column, s: Column, e_: Column) -> Column:
    """A membership span holds on some day of s..e_ (an open or missing end: 'still going')."""
    return (
        (v["valid_to"].isNull() | s.isNull() | (v["valid_to"] >= s))
        & (v["valid_from"].isNull() | e_.isNull() | (v["valid_from"] <= e_))
        & ~gap_covers(v["gaps"], s, e_)
    )


def listed_on(lists: Column, list_name: str, d: Column) -> Column:
    """A code-list map contains list_name on day `d` (a date column): a lookup, no lambda, so a
    rule's list test is generated code evaluated only where the rule's other conditions hold."""
    m = F.element_at(lists, F.lit(list_name))
    return F.coalesce(m.isNotNull() & _on(m, d), F.lit(False))


def in_list_within(attr: str, list_name: str, start: Column | str, end: Column | str) -> Column:
    """kodelisterIndenforPeriode(start, end) contains list_name (an open end means 'still going')."""
    return lists_contain_within(col(f"{attr}__lists"), list_name, start, end)


def lists_contain_within(lists: Column, list_name: str, start: Column | str, end: Column | str) -> Column:
    """A code-list map contains list_name on some day of start..end (an open end: 'still going')."""
    return listed_during(lists, list_name, day(_c(start)), day(_c(end)))


def listed_during(lists: Column, list_name: str, s: Column, e_: Column) -> Column:
    """A code-list map contains list_name on some day of s..e_ (date columns; see `listed_on`)."""
    m = F.element_at(lists, F.lit(list_name))
    return F.coalesce(m.isNotNull() & _during(m, s, e_), F.lit(False))


def lists_on(lists: Column, d: Column) -> Column:
    """The names of the lists in a code-list map that contain the code on day `d` (an array).
    Spark evaluates the lambda without generated code, once per list of the code: give it a day
    computed once per row (a date column), not an instant it converts each time; a rule that tests
    one list reads `listed_on` instead."""
    return F.transform(F.filter(F.map_entries(lists), lambda x: _on(x["value"], d)), lambda x: x["key"])


def lists_during(lists: Column, s: Column, e_: Column) -> Column:
    """The names of the lists that contain the code on some day of s..e_ (date columns; see
    `lists_on`)."""
    return F.transform(F.filter(F.map_entries(lists), lambda x: _during(x["value"], s, e_)), lambda x: x["key"])


def not_in_list_at(attr: str, list_name: str, ts: Column | str) -> Column:
    return ~in_list_at(attr, list_name, ts)


def not_in_any_list_at(attr: str, names: list[str], ts: Column | str) -> Column:
    cond = F.lit(True)
    for n in names:
        cond = cond & ~in_list_at(attr, n, ts)
    return cond


def valid_from(attr: str) -> Column:
    return col(f"{attr}__from")


def valid_to(attr: str) -> Column:
    return col(f"{attr}__to")


def before_valid(attr: str, ts: Column | str) -> Column:
    """ts lies before the code's (or unit's) first valid day."""
    return day(_c(ts)) < valid_from(attr)


def after_valid(attr: str, ts: Column | str) -> Column:
    """ts lies after the code's (or unit's) last valid day, or in a gap between two of its spans
    (it had lapsed by then); never after the end when it has none."""
    d = day(_c(ts))
    return (d > valid_to(attr)) | in_gap(col(f"{attr}__gaps"), d)


def outside_valid(attr: str, ts: Column | str) -> Column:
    """The code (or unit) is not valid on the day of ts."""
    return before_valid(attr, ts) | after_valid(attr, ts)


def not_valid_within(attr: str, start: Column | str, end: Column | str) -> Column:
    """The code (or unit) is valid on no day of start..end: the period ends before its first day,
    starts after its last, or lies wholly in one gap."""
    s, e_ = day(_c(start)), day(_c(end))
    return (s > valid_to(attr)) | (e_ < valid_from(attr)) | gap_covers(col(f"{attr}__gaps"), s, e_)


def present(name: str) -> Column:
    return col(name).isNotNull()


def absent(name: str) -> Column:
    return col(name).isNull()
