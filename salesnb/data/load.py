"""``salesnb load``: copy the canonical tables of a source into a Spark catalog, as Parquet tables.

So a team can try the Spark path on the demo in minutes::

    salesnb load demo --to sc://HOST:15002            # or demo:0.1, or a folder of CSV/Parquet/XLSX
    salesnb run -p source=sc://HOST:15002

The source is validated first (errors stop the load, as they would stop a run) and its tables are
written cast to the contract's types (dates as ``DATE``, amounts as ``DOUBLE``), in batches of
:data:`BATCH_ROWS` rows, each table replaced whole. ``--as-is`` copies the tables as found instead (text stays text; no validation): that
is how the tests plant bad values on Spark. The data goes through this process in Arrow batches, so
for data that already sits next to the cluster, write the tables with Spark itself (docs/engines.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from salesnb.data.errors import DataError
from salesnb.data.sources import SPARK_SCHEMES, open_source, parse_spark_url, redact, spark_session

#: rows sent to Spark per batch (Spark Connect messages stay well below the gRPC limit)
BATCH_ROWS = 200_000


def load(source: str, to: str, *, as_is: bool = False, batch_rows: int = BATCH_ROWS,
         progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write the canonical tables of ``source`` into the Spark catalog behind ``to``.

    Parameters
    ----------
    source : str
        ``"demo"``, ``"demo:<scale>"`` or a folder of table files (anything :func:`open_source` opens).
    to : str
        A Spark source URL (``sc://HOST:PORT[/;database=NAME]``, ``pyspark://`` with ``SPARK_REMOTE``).
        The database is created when missing.
    as_is : bool
        Copy the tables as found (no validation, no casting).
    batch_rows : int
        Rows per batch sent to Spark.
    progress : callable, optional
        Called with one line per table.

    Returns
    -------
    dict
        Table name → rows written.

    Raises
    ------
    DataError
        When ``to`` is not a Spark URL, holds a credential, or the source has validation errors.
    """
    say = progress or (lambda m: None)
    if to.split("://", 1)[0].lower() not in SPARK_SCHEMES:
        raise DataError(f"--to {redact(to)}: give a Spark Connect URL (sc://HOST:PORT); for a "
                        "database, write the tables with its own tools")
    target = parse_spark_url(to)
    ds = open_source(source, progress=say)
    if not as_is:
        from salesnb.data.validate import check

        check(ds)
    session = spark_session(target.remote)
    if target.database:
        session.sql(f"CREATE DATABASE IF NOT EXISTS `{target.database}`")
    written: dict[str, int] = {}
    for name in ds.tables:
        t0 = time.perf_counter()
        expr = ds.raw[name] if as_is else ds.table(name)
        full = f"`{target.database}`.`{name}`" if target.database else f"`{name}`"
        data = expr.to_pyarrow()
        n = data.num_rows
        for i, start in enumerate(range(0, max(n, 1), batch_rows)):
            df = session.createDataFrame(data.slice(start, batch_rows))
            df.write.mode("overwrite" if i == 0 else "append").format("parquet").saveAsTable(full)
        written[name] = n
        say(f"load: {name}: {n:,} rows → {full} ({time.perf_counter() - t0:.1f} s)")
    return written


def _cmd_load(a: argparse.Namespace) -> int:
    try:
        rows = load(a.source, a.to, as_is=a.as_is, progress=lambda m: print(m, flush=True))
    except DataError as exc:
        print(f"error: {redact(exc)}", file=sys.stderr)
        return 2
    print(f"loaded {len(rows)} tables ({sum(rows.values()):,} rows) into {redact(a.to)}; run with "
          f"-p source={redact(a.to)}")
    return 0


def register(subparsers) -> None:
    """Add ``salesnb load`` to the CLI."""
    p = subparsers.add_parser("load", help="copy a source's tables into a Spark catalog (Parquet)")
    p.add_argument("source", help='"demo", "demo:0.1" or a folder of CSV/Parquet/XLSX files')
    p.add_argument("--to", required=True, metavar="URL",
                   help="Spark Connect URL: sc://HOST:PORT[/;database=NAME] (token from "
                        "SPARK_CONNECT_TOKEN)")
    p.add_argument("--as-is", action="store_true",
                   help="copy the tables as found: no validation, text columns stay text")
    p.set_defaults(func=_cmd_load)
