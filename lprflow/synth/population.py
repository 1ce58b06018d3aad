"""Patients: age, sex, CPR number and residence (with moves); the patient and bopael tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.cpr import serial_digits
from lprflow.synth.context import DAY, MINUTE, Context, ts


def _age(ctx: Context, pid: Column, chronic: Column, mother: Column) -> Column:
    pop = ctx.cfg.population
    u = ctx.d.u("age", pid)
    band = pop.chronic_age
    age = F.when(chronic, band.first + F.floor(u * band.span))
    band = pop.mother_age
    age = age.when(mother, band.first + F.floor(u * band.span))
    lo = 0.0
    for b in pop.age_bands[:-1]:
        age = age.when(u < lo + b.share, b.first + F.floor((u - lo) / b.share * b.span))
        lo += b.share
    last = pop.age_bands[-1]
    return age.otherwise(last.first + F.floor((u - lo) / last.share * last.span)).cast("int")


@dataclass
class Patients:
    df: DataFrame  # one row per patient (index `pidx`) with what the other tables draw from
    n: int
    n_chronic: int  # patients 0 .. n_chronic-1 have a chronic disease
    n_mothers: int  # the next n_mothers patients are mothers


def patients(ctx: Context) -> Patients:
    """The patients of the register."""
    cfg, d, pop = ctx.cfg, ctx.d, ctx.cfg.population
    n = max(cfg.minimum.patients, int(cfg.scale_1.patients * ctx.scale))
    n_chronic = max(cfg.minimum.chronic_patients, int(n * pop.chronic_patient_share))
    n_mothers = max(cfg.minimum.mothers, int(n * pop.mother_share))
    p = ctx.spark.range(n).withColumnRenamed("id", "pidx")
    pid = F.col("pidx")
    chronic = pid < n_chronic
    mother = (pid >= n_chronic) & (pid < n_chronic + n_mothers)
    age = _age(ctx, pid, chronic, mother)
    sex = F.when(mother, 2).when(d.u("sex", pid) < pop.male_share, 1).otherwise(2)
    birth = F.date_sub(F.lit(dt.date(ctx.year, 1, 1)), (age * 365 + d.below("bday", 365, pid)).cast("int"))
    res = pop.residence
    ur = d.u("res", pid)
    weights = [
        (m, res.first_municipality_weight if i == 0 else 1.0 / (1 + res.municipality_weight_decay * i))
        for i, m in enumerate(ctx.own_munis)
    ]
    muni = (
        F.when(ur < res.abroad, F.lit(None).cast("string"))
        .when(ur < res.abroad + res.other_region, d.choose("omuni", ctx.other_munis, pid))
        .otherwise(d.weighted("muni", weights, pid))
    )
    # CPR: ddmmyy of birth, a serial number whose first digit fits the birth century (conf/integrity.yaml),
    # and a last digit that is odd for men
    c19, c20 = serial_digits(1900), serial_digits(2000)
    century_digit = F.when(
        F.year(birth) < 2000,
        F.element_at(F.array(*[F.lit(x) for x in c19]), (d.below("cpr7", len(c19), pid) + 1).cast("int")),
    ).otherwise(F.element_at(F.array(*[F.lit(x) for x in c20]), (d.below("cpr7", len(c20), pid) + 1).cast("int")))
    last_digit = d.below("cpr9", 5, pid) * 2 + F.when(sex == 1, 1).otherwise(0)
    moves = pop.moves
    danish = ctx.danish_country_code
    df = p.select(
        "pidx",
        ctx.oid("patient", pid).alias("patient_id"),
        birth.alias("birth_date"),
        sex.cast("int").alias("sex"),
        F.concat(
            F.date_format(birth, "ddMMyy"),
            century_digit,
            F.lpad(d.below("cpr", 100, pid).cast("string"), 2, "0"),
            last_digit.cast("string"),
        ).alias("cpr"),
        muni.alias("municipality_code"),
        F.when(ur < res.abroad, F.lit(res.abroad_country_code)).otherwise(F.lit(danish)).alias("country_code"),
        F.when(
            (d.u("move", pid) < moves.share) & (ur >= res.abroad),
            ctx.y0 + (moves.first_day + d.below("moveday", moves.days, pid)) * DAY,
        ).alias("move_s"),
        d.weighted("muni2", weights, pid).alias("new_municipality_code"),
        F.when(chronic, F.when(pid % 2 == 0, "copd").otherwise("diabetes")).alias("chronic_kind"),
    )
    return Patients(df, n, n_chronic, n_mothers)


def patient_tables(ctx: Context, pats: DataFrame, first_report: DataFrame) -> tuple[DataFrame, DataFrame]:
    """(patient, bopael): a patient is reported with its first forløbselement; a move closes the
    first residence the day before and opens the second, reported two days after the move."""
    p = pats.join(first_report, "pidx")
    patient = p.select(
        "patient_id",
        "cpr",
        "birth_date",
        "sex",
        ts(F.col("first_rep")).alias("reported_at"),
        F.lit(False).alias("deleted"),
    )
    move = F.col("move_s")
    move_rep = F.greatest(F.col("first_rep") + MINUTE, move + ctx.cfg.population.moves.reported_after_days * DAY)

    def residence(df: DataFrame, n: int, municipality: str, valid_from: Column, valid_to: Column, reported: Column):
        return df.select(
            ctx.oid("bopael", "pidx", F.lit(n)).alias("bopael_id"),
            "patient_id",
            F.col(municipality).alias("municipality_code"),
            "country_code",
            valid_from.alias("valid_from"),
            valid_to.alias("valid_to"),
            ts(reported).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )

    no_end = F.lit(None).cast("date")
    moved = p.where(move.isNotNull())
    first = residence(p, 0, "municipality_code", F.col("birth_date"), no_end, F.col("first_rep"))
    closed_first = residence(
        moved, 0, "municipality_code", F.col("birth_date"), F.date_sub(F.to_date(ts(move)), 1), move_rep
    )
    second = residence(moved, 1, "new_municipality_code", F.to_date(ts(move)), no_end, move_rep)
    return patient, first.unionByName(closed_first).unionByName(second)
