"""NordDRG grouping strings (docs/NORDDRG.md §2) parsed into grouper cases with Spark column functions.

165 comma-separated fields: sex, age in days, discharge mode, length of stay, reserved, 30
diagnosis slots of (main, add-on), 100 procedures. Every `*` is deleted before splitting.
Strings with another field count are not guessed at: they are returned with a reason.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

FIELDS = 165
SLOTS = 30
FIRST_SLOT = 5
FIRST_PROCEDURE = 65
NUMERIC_FIELDS = [(0, "sex"), (1, "age in days"), (3, "length of stay")]  # (0-based field, name)


def read_cases(rows: DataFrame) -> tuple[DataFrame, DataFrame]:
    """(cases, rejected) from rows of (case_id, grouping_string): a row without a case id or
    whose case id repeats is rejected with that reason, as is an unreadable grouping string."""
    n = F.count(F.lit(1)).over(Window.partitionBy("case_id"))
    counted = rows.select("*", n.alias("_n"))
    bad_id = counted.where(F.col("case_id").isNull() | (F.col("_n") > 1)).select(
        "case_id",
        F.when(F.col("case_id").isNull(), "case_id missing").otherwise("duplicate case_id").alias("reason"),
    )
    cases, bad_string = parse(counted.where(F.col("case_id").isNotNull() & (F.col("_n") == 1)))
    return cases, bad_id.unionByName(bad_string)


def _blank(c: Column) -> Column:
    t = F.trim(c)
    return F.when(t != "", t)


def parse(df: DataFrame, column: str = "grouping_string") -> tuple[DataFrame, DataFrame]:
    """(cases, rejected): cases in the grouper's input schema; rejected rows keep case_id and a reason."""
    fields = F.split(F.regexp_replace(F.coalesce(F.col(column), F.lit("")), r"\*", ""), ",", -1)
    staged = df.select(F.col("case_id").cast("string").alias("case_id"), fields.alias("_f"))
    count_ok = F.size("_f") == FIELDS
    # sex, age and length of stay must be whole numbers when given (an empty field is no value)
    bad_number = F.lit(None).cast("string")
    for i, name in reversed(NUMERIC_FIELDS):
        value = F.trim(F.col("_f")[i])
        wrong = (value != "") & F.expr(f"try_cast(trim(_f[{i}]) as int)").isNull()
        bad_number = F.when(
            wrong, F.concat(F.lit(f"field {i + 1} ({name}) is not a whole number: '"), value, F.lit("'"))
        ).otherwise(bad_number)
    reason = F.when(
        ~count_ok,
        F.concat(F.lit("grouping string has "), F.size("_f").cast("string"), F.lit(f" fields, expected {FIELDS}")),
    ).otherwise(bad_number)
    staged = staged.select("*", reason.alias("_reason"))
    rejected = staged.where(F.col("_reason").isNotNull()).select("case_id", F.col("_reason").alias("reason"))
    ok = F.col("_reason").isNull()
    f = F.col("_f")

    def num(i: int) -> Column:
        return F.coalesce(F.expr(f"try_cast(trim(_f[{i}]) as int)"), F.lit(0))

    diagnoses = F.transform(
        F.sequence(F.lit(0), F.lit(SLOTS - 1)),
        lambda k: F.struct(
            _blank(F.element_at(f, k * 2 + FIRST_SLOT + 1)).alias("code"),
            _blank(F.element_at(f, k * 2 + FIRST_SLOT + 2)).alias("addon"),
        ),
    )
    # slots 2..30 empty in both fields are dropped; slot 1 always stays (the pdx slot)
    diagnoses = F.filter(diagnoses, lambda d, i: (i == 0) | d["code"].isNotNull() | d["addon"].isNotNull())
    procedures = F.filter(
        F.transform(F.slice(f, FIRST_PROCEDURE + 1, FIELDS - FIRST_PROCEDURE), _blank), lambda p: p.isNotNull()
    )
    cases = staged.where(ok).select(
        "case_id",
        F.expr("try_cast(trim(_f[0]) as int)").alias("sex"),
        num(1).alias("age_days"),
        _blank(f.getItem(2)).alias("discharge"),
        num(3).alias("los_days"),
        diagnoses.alias("diagnoses"),
        procedures.alias("procedures"),
    )
    return cases, rejected


def to_string(sex: int | None, age_days: int, discharge: str, los_days: int, diagnoses, procedures) -> str:
    """Build a grouping string (for tests and tools): diagnoses as [(main, addon)], procedures as codes."""
    fields = [""] * FIELDS
    fields[0:4] = ["" if sex is None else str(sex), str(age_days), discharge or "", str(los_days)]
    for k, (main, addon) in enumerate(diagnoses[:SLOTS]):
        fields[FIRST_SLOT + 2 * k] = main or ""
        fields[FIRST_SLOT + 2 * k + 1] = addon or ""
    for i, p in enumerate(procedures[: FIELDS - FIRST_PROCEDURE]):
        fields[FIRST_PROCEDURE + i] = p
    return ",".join(fields)
