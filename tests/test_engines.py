"""Engine-independent behaviour of the data layer: credentials in URLs, Spark URLs, text casting.

The Spark end-to-end parity lives in tests/test_spark.py (it needs Java); these run on DuckDB only.
"""

from __future__ import annotations

import pytest

from salesnb.data.errors import DataError
from salesnb.data.sources import open_source, parse_spark_url, redact

SECRET = "hunter2secret"


@pytest.mark.parametrize("url, hint", [
    (f"postgresql://bob:{SECRET}@db.example/sales", "PGPASSWORD"),
    (f"postgresql://bob@db.example/sales?sslmode=require&password={SECRET}", "PGPASSWORD"),
    (f"postgres://db.example/sales?user=bob&PASSWORD={SECRET}", "PGPASSWORD"),
    (f"sc://spark.example:443/;use_ssl=true;token={SECRET}", "SPARK_CONNECT_TOKEN"),
    (f"spark://spark.example:15002/;token={SECRET}", "SPARK_CONNECT_TOKEN"),
    (f"pyspark://?token={SECRET}", "SPARK_CONNECT_TOKEN"),
    (f"duckdb:///tmp/x.db?secret={SECRET}", "environment variable"),
])
def test_credentials_in_any_url_are_refused_and_redacted(url, hint):
    with pytest.raises(DataError) as err:
        open_source(url)
    msg = str(err.value)
    assert SECRET not in msg and "***" in msg
    assert hint in msg and "credential" in msg


def test_redact_finds_urls_inside_long_base64_text_and_after_any_scheme_characters():
    """An executed notebook holds images as base64 runs of letters, digits and '+': a URL after
    one is still masked, and so is a scheme glued to digits (more is masked, never less)."""
    import base64

    blob = base64.b64encode(bytes(range(256)) * 400).decode()
    text = f"{blob} postgresql://bob:{SECRET}@db/sales {blob}+9sc://h:1:{SECRET}@x"
    out = redact(text)
    assert SECRET not in out and out.count(":***@") == 2 and blob in out


def test_redact_keeps_its_alias():
    assert redact("postgresql://bob:hunter2@db/sales") == "postgresql://bob:***@db/sales"
    assert redact(f"sc://h:443/;token={SECRET};use_ssl=true") == "sc://h:443/;token=***;use_ssl=true"


def test_connection_failure_message_is_redacted():
    # no credential in the URL, but the server is not there: the message names the URL
    with pytest.raises(DataError, match="cannot connect to postgresql://nobody@127.0.0.1:1/x"):
        open_source("postgresql://nobody@127.0.0.1:1/x")


@pytest.mark.parametrize("url, env, remote, database", [
    ("sc://127.0.0.1:15002", {}, "sc://127.0.0.1:15002", None),
    ("sc://h:15002/;database=sales", {}, "sc://h:15002", "sales"),
    ("sc://h:443/;use_ssl=true;database=sales", {}, "sc://h:443/;use_ssl=true", "sales"),
    ("spark://h:15002/sales", {}, "sc://h:15002", "sales"),
    ("pyspark://", {"SPARK_REMOTE": "sc://r:15002"}, "sc://r:15002", None),
    ("spark://", {"SPARK_REMOTE": "sc://r:15002"}, "sc://r:15002", None),
    ("pyspark:///crm", {"SPARK_REMOTE": "sc://r:15002"}, "sc://r:15002", "crm"),
    ("pyspark://?schema=crm", {"SPARK_REMOTE": "sc://r:15002"}, "sc://r:15002", "crm"),
])
def test_spark_urls(url, env, remote, database):
    t = parse_spark_url(url, environ=env)
    assert (t.remote, t.database) == (remote, database)


def test_spark_url_without_server_says_what_to_set():
    with pytest.raises(DataError, match="SPARK_REMOTE=sc://HOST:PORT"):
        parse_spark_url("pyspark://", environ={})
    with pytest.raises(DataError, match="standalone master"):
        parse_spark_url("spark://h:7077", environ={})


def test_load_refuses_other_targets_and_credentials():
    from salesnb.data.load import load

    with pytest.raises(DataError, match="Spark Connect URL"):
        load("demo", "postgresql://bob@db/sales")
    with pytest.raises(DataError) as err:
        load("demo", f"sc://h:443/;token={SECRET}")
    assert SECRET not in str(err.value) and "SPARK_CONNECT_TOKEN" in str(err.value)


def test_cli_has_load():
    from salesnb.cli import build_parser

    a = build_parser().parse_args(["load", "demo:0.02", "--to", "sc://127.0.0.1:15002", "--as-is"])
    assert (a.source, a.to, a.as_is) == ("demo:0.02", "sc://127.0.0.1:15002", True)


def test_product_table_orders_ties_by_key_whatever_order_the_engine_returned():
    import pandas as pd

    from salesnb.performance import product_table

    agg = pd.DataFrame({"product_id": ["P3", "P1", "P2", "P0"], "revenue": [0.0, 0.0, 0.0, 5.0],
                        "revenue_prev": [1.0, 2.0, 3.0, 1.0]})
    once = product_table(agg).product_id.tolist()
    again = product_table(agg.iloc[::-1]).product_id.tolist()
    assert once == again == ["P0", "P1", "P2", "P3"]


def test_duckdb_spills_to_the_system_temp_folder_not_the_working_folder():
    """A 10M-line pack spills past DuckDB's memory cap; its default spill folder is `.tmp` in the
    working folder (the kernels' is notebooks/), which left files in the project."""
    import tempfile
    from pathlib import Path

    from salesnb.data.sources import _duckdb

    got = _duckdb().raw_sql("SELECT current_setting('temp_directory')").fetchall()[0][0]
    assert Path(got).parent == Path(tempfile.gettempdir())


def test_each_spark_server_gets_its_own_session():
    """pyspark's ``getOrCreate`` returns the process's session whatever URL it is given: a second
    Spark Connect server in one process (a test's after another's, a warm kernel's next source)
    was asked through the first one's session, stopped with its server ("connection refused" in
    CI). No server is needed: a session connects on its first request."""
    pytest.importorskip("pyspark.sql.connect.session")
    from salesnb.data.sources import spark_session

    one, two = spark_session("sc://127.0.0.1:1"), spark_session("sc://127.0.0.1:2")
    assert one is not two
    assert spark_session("sc://127.0.0.1:1") is one  # the same server: the same session, as before
