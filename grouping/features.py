"""Per-case grouping features in Spark (docs/NORDDRG.md §4), without Python UDFs.

Every diagnosis slot and procedure becomes lookup keys; one explode, one broadcast join with the
property tables (dg and proc as one keyed table), exclusion flags from three broadcast joins with
`complexcl`, and one aggregation per case. The case-level steps (DGCAT precedence, sex recoding,
same-family removal, activation, CC level) are column expressions on small per-case arrays.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from grouping.tables import TableSet

CASE_SCHEMA = T.StructType(
    [
        T.StructField("case_id", T.StringType(), False),
        T.StructField("sex", T.IntegerType()),
        T.StructField("age_days", T.IntegerType()),
        T.StructField("discharge", T.StringType()),
        T.StructField("los_days", T.IntegerType()),
        T.StructField(
            "diagnoses",
            T.ArrayType(T.StructType([T.StructField("code", T.StringType()), T.StructField("addon", T.StringType())])),
        ),
        T.StructField("procedures", T.ArrayType(T.StringType())),
    ]
)
ATTRS = ["case_id", "sex", "age_days", "discharge", "los_days"]
SEP = "|"
PAYLOAD = "_payload"  # a case's other columns, packed into one struct that the grouper passes through


def payload_columns(cases: DataFrame) -> list[str]:
    """The columns of `cases` that are not grouper input: they travel through untouched."""
    return [c for c in cases.columns if c not in CASE_SCHEMA.fieldNames()]


def _blank(c: Column) -> Column:
    t = F.trim(c)
    return F.when(t != "", t)


def table_frame(spark: SparkSession, rows: list[tuple], schema: str) -> DataFrame:
    """A table set's rows as a DataFrame, sent in slices of at most 20,000 rows (a real set's
    120,000 property rows in one task would be a task of over 1 MB)."""
    return spark.createDataFrame(spark.sparkContext.parallelize(rows, max(1, -(-len(rows) // 20000))), schema)


def property_table(spark: SparkSession, tables: TableSet) -> DataFrame:
    """dg and proc as one table keyed by (key_kind, key): D = diagnosis 'code|d_code', P = procedure code."""
    rows = [("D", f"{code}{SEP}{d_code}", vt, vv) for code, d_code, vt, vv in tables.dg if vt != "MDC"]
    rows += [("P", code, vt, vv) for code, vt, vv in tables.proc]
    return table_frame(spark, rows, "key_kind string, key string, vartype string, varval string")


def exclusion_keys(spark: SparkSession, tables: TableSet) -> DataFrame:
    rows = sorted({(f"{c}{SEP}{code}{SEP}{d}",) for c, code, d in tables.complexcl})
    return table_frame(spark, rows, "xkey string")


def activation_map(tables: TableSet) -> Column:
    """complcat activation rows as a literal map compl -> array of activating DGPROP values."""
    acts: dict[str, list[str]] = {}
    for compl, incl in tables.complcat:
        if incl:
            acts.setdefault(compl, []).append(incl)
    if not acts:
        return F.create_map().cast("map<string,array<string>>")
    keys = sorted(acts)
    return F.map_from_arrays(
        F.array(*[F.lit(k) for k in keys]),
        F.array(*[F.array(*[F.lit(v) for v in sorted(acts[k])]) for k in keys]),
    )


def normalise(cases: DataFrame) -> DataFrame:
    """Trimmed codes, empty = null; add-on codes dropped where the main code is empty (§2 rule 3).
    Any other columns are packed into the `_payload` struct."""
    extra = payload_columns(cases)
    diag = F.transform(
        F.coalesce("diagnoses", F.array().cast(CASE_SCHEMA["diagnoses"].dataType)),
        lambda d: F.struct(
            _blank(d["code"]).alias("code"),
            F.when(_blank(d["code"]).isNotNull(), _blank(d["addon"])).alias("addon"),
        ),
    )
    procs = F.filter(
        F.transform(F.coalesce("procedures", F.array().cast("array<string>")), _blank), lambda p: p.isNotNull()
    )
    return cases.select(
        F.col("case_id").cast("string").alias("case_id"),
        F.col("sex").cast("int").alias("sex"),
        F.coalesce(F.col("age_days").cast("int"), F.lit(0)).alias("age_days"),
        F.col("discharge").cast("string").alias("discharge"),
        F.coalesce(F.col("los_days").cast("int"), F.lit(0)).alias("los_days"),
        diag.alias("diagnoses"),
        procs.alias("procedures"),
        *([F.struct(*extra).alias(PAYLOAD)] if extra else []),
    )


def _item(key_kind: str, pos: Column, role: str, key: Column) -> Column:
    return F.struct(F.lit(key_kind).alias("key_kind"), pos.alias("pos"), F.lit(role).alias("role"), key.alias("key"))


def _lookup_items() -> Column:
    """Per case: array of (key_kind, pos, role, key) lookups for every slot and procedure."""
    slot_items = F.flatten(
        F.transform(
            "diagnoses",
            lambda d, i: F.filter(
                F.array(
                    _item("D", i + 1, "main", F.concat(d["code"], F.lit(SEP))),
                    _item("D", i + 1, "addon", F.concat(d["addon"], F.lit(SEP))),
                    _item("D", i + 1, "pair", F.concat(d["addon"], F.lit(SEP), d["code"])),
                ),
                lambda x: x["key"].isNotNull(),
            ),
        )
    )
    proc_items = F.transform("procedures", lambda p, i: _item("P", i + 1, "proc", p))
    return F.concat(slot_items, proc_items)


def derive(spark: SparkSession, cases: DataFrame, tables: TableSet) -> DataFrame:
    """Grouping features per case: the attributes plus dgcat, mdc, valid, property sets, cc_level."""
    base = normalise(cases)
    carried = [PAYLOAD] if PAYLOAD in base.columns else []
    pdx = F.try_element_at("diagnoses", F.lit(1))
    base = base.withColumns(
        {
            "pdx_main": pdx["code"],
            "pdx_addon": pdx["addon"],
            "_items": _lookup_items(),
        }
    )
    items = base.select(*ATTRS, "pdx_main", "pdx_addon", *carried, F.explode_outer("_items").alias("it"))
    props = F.broadcast(property_table(spark, tables))
    joined = items.join(
        props, (items["it"]["key_kind"] == props["key_kind"]) & (items["it"]["key"] == props["key"]), "left"
    ).drop("key_kind", "key")
    # exclusion of a secondary COMPL value by the pdx slot (§3.4): single rows on either pdx code, pair rows exact
    xk = F.broadcast(exclusion_keys(spark, tables))
    is_sdx_compl = (F.col("vartype") == "COMPL") & (F.col("it.pos") > 1)
    for name, code, d_code in (
        ("_x1", F.col("pdx_main"), F.lit("")),
        ("_x2", F.col("pdx_addon"), F.lit("")),
        ("_x3", F.col("pdx_addon"), F.col("pdx_main")),
    ):
        key = F.when(is_sdx_compl, F.concat_ws(SEP, F.col("varval"), code, d_code)).alias(name)
        joined = joined.select("*", key)
        joined = joined.join(xk.withColumnRenamed("xkey", f"{name}k"), F.col(name) == F.col(f"{name}k"), "left")
    excluded = F.col("_x1k").isNotNull() | F.col("_x2k").isNotNull() | F.col("_x3k").isNotNull()
    pos, key_kind, role = F.col("it.pos"), F.col("it.key_kind"), F.col("it.role")
    vt, vv = F.col("vartype"), F.col("varval")
    src = F.concat(key_kind, pos.cast("string"))
    is_pdx = (key_kind == "D") & (pos == 1)

    def first(cond: Column) -> Column:
        return F.min(F.when(cond, vv))

    def values(cond: Column) -> Column:
        return F.array_sort(F.collect_set(F.when(cond, vv)))

    agg = joined.groupBy(*ATTRS, "pdx_main", "pdx_addon").agg(
        first(is_pdx & (role == "pair") & (vt == "DGCAT")).alias("_cat_pair"),
        first(is_pdx & (role == "addon") & (vt == "DGCAT")).alias("_cat_addon"),
        first(is_pdx & (role == "main") & (vt == "DGCAT")).alias("_cat_main"),
        values(is_pdx & (vt == "PDGPRO")).alias("pdgprop"),
        values(vt == "DGPROP").alias("dgprop"),
        values((vt == "DGPROP") & ~is_pdx).alias("_dgprop_other"),
        F.array_sort(F.collect_set(F.when(vt == "PROCPR", F.struct(vv.alias("v"), src.alias("src"))))).alias("procpr"),
        F.array_sort(F.collect_set(F.when(vt == "OR", F.struct(vv.alias("v"), src.alias("src"))))).alias("orflags"),
        F.coalesce(F.max(F.when((key_kind == "P") & (vt == "CC"), F.expr("try_cast(varval as int)"))), F.lit(0)).alias(
            "_proc_cc"
        ),
        values(is_pdx & (vt == "COMPL")).alias("_compl_pdx"),
        F.array_sort(F.collect_set(F.when(is_sdx_compl, F.struct(vv.alias("v"), excluded.alias("excluded"))))).alias(
            "_compl_sdx"
        ),
        *[F.first(c).alias(c) for c in carried],  # one value per case (case_id is in the key)
    )
    return _case_level(agg, activation_map(tables), carried)


def _sources_by_value(pairs: Column) -> Column:
    """array<struct<v, src>> -> map v -> sources (for the scan's two-procedure tests)."""
    values = F.array_distinct(F.transform(pairs, lambda p: p["v"]))
    return F.map_from_arrays(
        values, F.transform(values, lambda v: F.transform(F.filter(pairs, lambda p: p["v"] == v), lambda p: p["src"]))
    )


def _family(c: Column) -> Column:
    return F.concat(F.substring(c, 1, 2), F.lit("*"), F.substring(c, 4, 100))


def _case_level(agg: DataFrame, acts: Column, carried: list[str]) -> DataFrame:
    raw = F.coalesce("_cat_pair", "_cat_addon", "_cat_main")
    recoded = (
        F.when(raw.startswith("98") & (F.col("sex") == 1), F.concat(F.lit("12"), F.substring(raw, 3, 100)))
        .when(raw.startswith("98") & (F.col("sex") == 2), F.concat(F.lit("13"), F.substring(raw, 3, 100)))
        .otherwise(raw)
    )
    families = F.transform("_compl_pdx", _family)
    kept = F.filter("_compl_sdx", lambda c: ~F.array_contains(families, _family(c["v"])) & ~c["excluded"])

    def level(c: Column) -> Column:
        compl_kind = F.substring(c["v"], 3, 1)
        activated = F.arrays_overlap(
            F.coalesce(F.try_element_at(acts, c["v"]), F.array().cast("array<string>")), F.col("_dgprop_other")
        )
        return (
            F.when(compl_kind == "C", 1)
            .when(compl_kind == "G", 2)
            .when((compl_kind == "I") & activated, 1)
            .when((compl_kind == "J") & activated, 2)
            .otherwise(0)
        )

    leveled = F.transform(kept, lambda c: F.struct(c["v"].alias("v"), level(c).alias("level")))
    active = F.filter(leveled, lambda c: c["level"] > 0)
    return agg.select(
        *ATTRS,
        "pdx_main",
        "pdx_addon",
        recoded.alias("dgcat"),
        F.when(F.col("_cat_pair").isNotNull(), "pair")
        .when(F.col("_cat_addon").isNotNull(), "addon")
        .when(F.col("_cat_main").isNotNull(), "main")
        .alias("dgcat_from"),
        F.substring(recoded, 1, 2).alias("mdc_case"),
        raw.isNotNull().alias("valid"),
        "pdgprop",
        "dgprop",
        "procpr",
        F.array_distinct(F.transform("procpr", lambda p: p["v"])).alias("procpr_values"),
        _sources_by_value(F.col("procpr")).alias("procpr_srcs"),
        "orflags",
        F.transform(F.filter("orflags", lambda o: o["v"] == "1"), lambda o: o["src"]).alias("or1_srcs"),
        F.exists("orflags", lambda o: o["v"] == "1").alias("or1"),
        F.exists("orflags", lambda o: o["v"] == "2").alias("or2"),
        F.transform(active, lambda c: c["v"]).alias("cc_properties"),
        F.col("_proc_cc").alias("cc_from_procedure"),
        F.greatest(F.coalesce(F.array_max(F.transform(active, lambda c: c["level"])), F.lit(0)), "_proc_cc").alias(
            "cc_level"
        ),
        *carried,
    )
