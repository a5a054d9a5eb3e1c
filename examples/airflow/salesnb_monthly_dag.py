"""Airflow DAG: the monthly sales pack, run and mailed (copy into your dags/ folder).

Exit codes of ``salesnb run``: 1 (a notebook failed) raises AirflowException, which Airflow retries;
2 (data errors) and 3 (parameter errors) alert and fail without retrying; 4 (critical risk alerts;
the pack was published and mailed) pages and fails without retrying. Credentials come from the
worker's environment (or an Airflow connection exported to it), never from this file.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.operators.python import PythonOperator

COMMAND = "salesnb run --month auto --send --fail-on critical --scorecards"
SALESNB_HOME = os.environ.get("SALESNB_HOME", "/srv/salesnb")


def notify(kind: str, message: str) -> None:
    """Plug in your alerting: Slack, e-mail, PagerDuty (kind is "alert" or "page")."""
    cmd = os.environ.get("SALESNB_PAGE_CMD" if kind == "page" else "SALESNB_ALERT_CMD")
    if cmd:
        subprocess.run(cmd, shell=True, input=message, text=True, check=False)


def run_pack() -> None:
    code = subprocess.run(shlex.split(COMMAND), cwd=SALESNB_HOME, check=False).returncode
    if code == 0:
        return
    if code == 1:
        raise AirflowException("a notebook failed; Airflow retries the task")
    if code in (2, 3):
        notify("alert", f"salesnb monthly pack: {'data' if code == 2 else 'parameter'} errors (exit {code})")
        raise AirflowFailException(f"salesnb exit {code}: not retried")
    if code == 4:
        notify("page", "salesnb monthly pack: critical risk alerts this month (published and mailed)")
        raise AirflowFailException("salesnb exit 4: critical alerts")
    notify("alert", f"salesnb monthly pack stopped with exit {code}")
    raise AirflowFailException(f"salesnb exit {code}")


with DAG(
    dag_id="salesnb_monthly_pack",
    schedule="0 6 2 * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["salesnb"],
) as dag:
    PythonOperator(task_id="run_and_send", python_callable=run_pack,
                   execution_timeout=timedelta(hours=3))
