"""What each statement charges, item by item, and why.

Statement j (0-11 the preliminary statements of January-December, 12 the final one) charges the
year's activity of the months up to its own (all twelve for the final one) as the register shows
it at its as-of date. An item is charged from the statement of its month on; what it contributes
to statement j is the change since statement j-1:

  new_activity       its month is charged for the first time (the item as known then)
  late_registration  it appears in a statement after its month's first one (reported late)
  deletion           it is gone (a deletion, or a change that moved it to another item id:
                     another municipality, month or course)
  correction         its amount changed because what it is based on changed
  cap                only the cap's share changed (another course of its regional course changed)

Items come from the replicas of `settlement.replicas`: a patient's item of change date k holds
until the patient's next change date if its course starts in the next replica's region (at or
after its cut), and for good otherwise. So a statement's deltas are found by comparing each
replica's items with the items of the same patient's previous replica that it replaces (a full
outer join on the item id), never by recomputing the unchanged.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from settlement.replicas import BEGINNING

CAUSES = ("new_activity", "late_registration", "correction", "cap", "deletion")
FINAL = 12  # the statement number of the final statement


def month_no(activity_month: Column) -> Column:
    """1-12 from 'yyyy-MM'."""
    return F.substring(activity_month, 6, 2).cast("int")


def with_next(changes: DataFrame) -> DataFrame:
    """(`_p`, `k`, `next_k`, `next_cut`): each change date of a patient with the next one and its
    cut (null: none; without a `cut` column every replica holds everything)."""
    following = Window.partitionBy("_p").orderBy("k")
    cut = F.col("cut") if "cut" in changes.columns else F.lit(BEGINNING)
    return changes.select(
        "_p", "k", F.lead("k").over(following).alias("next_k"), F.lead(cut).over(following).alias("next_cut")
    )


def replaced_at(course_start: Column) -> Column:
    """The change date that replaces an item of a replica (null: none does, the item is final),
    on a frame `with_next`'s columns were joined to."""
    # an item of a contact without a start lies before every cut but the beginning of time
    start = F.coalesce(course_start, F.lit(BEGINNING))
    return F.when(F.col("next_k").isNotNull() & (start >= F.col("next_cut")), F.col("next_k"))


def final_items(items: DataFrame, changes: DataFrame) -> DataFrame:
    """The items of the final statement: each replica's items that no later replica replaces."""
    return (
        items.join(with_next(changes), ["_p", "k"])
        .where(replaced_at(F.col("course_start")).isNull())
        .select(*items.columns)
    )


def item_changes(items: DataFrame, changes: DataFrame) -> DataFrame:
    """One row per item and statement whose charge changes: statement_no, the item's identity and
    parts (after the change, or before it for a deletion), amount_before, amount_after, delta, cause.

    `items`: the items of every replica with `_p` (patient) and `k` (change date), restricted to
    the activity year. `changes`: `settlement.replicas.change_dates` with the `cut` of each
    replica's region (`settlement.replicas.region_cuts`; without it, every replica holds all)."""
    nexts = with_next(changes)
    now = items.join(nexts, ["_p", "k"]).withColumn("next_k", replaced_at(F.col("course_start")))
    before = now.where(F.col("next_k").isNotNull()).select(
        "_p",
        F.col("next_k").alias("k"),
        "item_id",
        F.col("amount").alias("amount_before"),
        F.col("gross").alias("gross_before"),
        F.struct(*[c for c in items.columns if c not in ("_p", "k")]).alias("_before"),
    )
    after = now.select(
        "_p",
        "k",
        "item_id",
        "next_k",
        F.struct(*[c for c in items.columns if c not in ("_p", "k")]).alias("_after"),
    )
    pair = after.join(before, ["_p", "k", "item_id"], "full")
    # `next_k` (when the item as charged here is replaced; null: never) matters only where there
    # is an `after` side: a deletion row is a change, or (before its month is charged) nothing
    item = F.coalesce(F.col("_after"), F.col("_before"))
    opening = month_no(item["activity_month"]) - 1  # the statement that first charges the month
    amount_after = F.col("_after.amount")
    changed = F.col("k") > opening
    delta = F.when(changed, F.coalesce(amount_after, F.lit(0.0)) - F.coalesce("amount_before", F.lit(0.0))).when(
        (F.col("k") <= opening) & (opening < F.coalesce("next_k", F.lit(FINAL + 1))) & amount_after.isNotNull(),
        amount_after,
    )
    cause = (
        F.when(~changed, "new_activity")
        .when(amount_after.isNull(), "deletion")
        .when(F.col("amount_before").isNull(), "late_registration")
        .when(F.col("_after.gross") == F.col("gross_before"), "cap")
        .otherwise("correction")
    )
    statement = F.when(changed, F.col("k")).otherwise(opening)
    out = pair.select(
        "_p",
        statement.alias("statement_no"),
        item.alias("item"),
        F.when(changed, F.col("amount_before")).alias("amount_before"),
        amount_after.alias("amount_after"),
        F.round(delta, 2).alias("delta"),
        cause.alias("cause"),
    )
    return out.where(F.col("delta").isNotNull() & (F.col("delta") != 0)).select(
        "_p", "statement_no", "item.*", "amount_before", "amount_after", "delta", "cause"
    )


def statement_deltas(item_deltas: DataFrame) -> DataFrame:
    """Per statement × municipality × category × month: the delta and its part by cause."""
    return item_deltas.groupBy("statement_no", "municipality_code", "category", "activity_month").agg(
        F.round(F.sum("delta"), 2).alias("delta"),
        *[F.round(F.sum(F.when(F.col("cause") == c, F.col("delta")).otherwise(0.0)), 2).alias(c) for c in CAUSES],
        F.count("*").alias("items_changed"),
    )
