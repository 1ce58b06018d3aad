"""Danish local dates and months of UTC instants.

The register holds instants (TimestampType, read in a UTC session). A calendar day or a month is
always the one on a Danish wall clock (conf/reference.yaml `local_time_zone`): a contact starting
2021-03-01 00:30 +01:00 is the instant 2021-02-28T23:30Z and belongs to 1 March. Instants are never
shifted in place; only the derived date or month is local.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from functools import cache
from zoneinfo import ZoneInfo

from pyspark.sql import Column, SparkSession
from pyspark.sql import functions as F

from lprflow.config import ConfigError, reference_config
from lprflow.sql import sql_string


@cache
def zone_name() -> str:
    return reference_config().local_time_zone


def local_date(ts: Column) -> Column:
    """The Danish calendar date of an instant (null stays null)."""
    return F.to_date(F.from_utc_timestamp(ts, zone_name()))


def local_date_sql(column: str) -> str:
    """`local_date` of a column as SQL text (for expressions built as one string)."""
    return f"to_date(from_utc_timestamp(`{column}`, {sql_string(zone_name())}))"


def local_month(ts: Column) -> Column:
    """The Danish calendar month of an instant, as 'yyyy-MM'."""
    return F.date_format(F.from_utc_timestamp(ts, zone_name()), "yyyy-MM")


def local_date_of(instant: dt.datetime) -> dt.date:
    """The Danish calendar date of a Python instant (naive means UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(ZoneInfo(zone_name())).date()


def danish_time(instant: dt.datetime) -> str:
    """An instant (naive means UTC) as Copenhagen wall-clock time with its offset, for messages:
    2018-12-31T23:00:00 → '2019-01-01T00:00:00+01:00'."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(ZoneInfo(zone_name())).isoformat()


def local_to_utc(wall_clock: dt.datetime) -> dt.datetime:
    """A naive Copenhagen wall-clock time as a naive UTC instant. In the autumn hour that occurs twice
    the first (summer-time) occurrence is taken; a spring time that does not exist moves forward."""
    aware = wall_clock.replace(tzinfo=ZoneInfo(zone_name()), fold=0)
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def pin_process_to_utc() -> None:
    """Make naive Python datetimes mean UTC in this process, as they do in the Spark session.

    PySpark converts a naive datetime (in `F.lit`, `createDataFrame` and `collect`) with the
    machine's local time zone; on a laptop set to Copenhagen that would shift every as-of time by
    an hour or two. The engine's naive datetimes are UTC instants, so the process is pinned to UTC.
    """
    if os.environ.get("TZ") != "UTC":
        os.environ["TZ"] = "UTC"
        if hasattr(time, "tzset"):
            time.tzset()


def require_utc_session(spark: SparkSession) -> None:
    """The engine reads and writes instants in a UTC session; `local_date` relies on it."""
    tz = spark.conf.get("spark.sql.session.timeZone")
    if tz not in ("UTC", "Etc/UTC", "Z", "+00:00"):
        raise ConfigError(
            f"spark.sql.session.timeZone is '{tz}': lprflow keeps instants in UTC and derives Danish dates "
            "itself; set spark.sql.session.timeZone=UTC (conf/spark.yaml does, unless a launcher overrides it)"
        )
