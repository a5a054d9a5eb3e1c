"""The scheduling examples: each command line is valid for the CLI; the wrapper acts on exit codes."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from salesnb.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
WRAPPER = EXAMPLES / "run-monthly.sh"
_RUN = re.compile(r"""(?:^|[\s"'=])(?:\S*/)?(?:salesnb|"\$SALESNB")\s+run\b([^"'\n;|&]*)""")


def _commands(path: Path) -> list[list[str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#"):
            continue
        for m in _RUN.finditer(line):
            out.append(["run", *shlex.split(m.group(1))])
    return out


@pytest.mark.parametrize("example", ["run-monthly.sh", "systemd/salesnb-monthly.service",
                                     "ci/github-actions.yml", "airflow/salesnb_monthly_dag.py"])
def test_each_example_command_line_parses_with_the_cli(example):
    cmds = _commands(EXAMPLES / example)
    assert cmds, f"no salesnb run command in {example}"
    for argv in cmds:
        a = build_parser().parse_args(argv)
        assert a.cmd == "run" and a.month == "auto" and a.send is True, (example, argv)
        assert a.fail_on == "critical"  # exit 4 (page) needs --fail-on


def test_cron_runs_the_wrapper_and_every_example_handles_exit_codes_1_to_4():
    cron = (EXAMPLES / "cron" / "salesnb.cron").read_text()
    line = next(x for x in cron.splitlines() if x and not x.startswith(("#", "SHELL", "PATH", "SALESNB")))
    assert len(line.split()[:5]) == 5 and "run-monthly.sh" in line
    service = (EXAMPLES / "systemd" / "salesnb-monthly.service").read_text()
    assert "Restart=on-failure" in service and "RestartPreventExitStatus=2 3 4" in service
    assert "OnFailure=salesnb-notify@" in service
    assert "MONITOR_EXIT_STATUS\" = 4" in (EXAMPLES / "systemd" / "salesnb-notify@.service").read_text()
    ci = (EXAMPLES / "ci" / "github-actions.yml").read_text()
    assert '[ "$code" -ne 1 ] && break' in ci and "code == '4'" in ci
    dag = (EXAMPLES / "airflow" / "salesnb_monthly_dag.py").read_text()
    assert "if code == 1:" in dag and "code in (2, 3)" in dag and "code == 4" in dag
    timer = (EXAMPLES / "systemd" / "salesnb-monthly.timer").read_text()
    assert "OnCalendar=*-*-02 06:00:00" in timer


def _wrapper(tmp_path: Path, codes: list[int]) -> tuple[int, int, str, str]:
    fake = tmp_path / "fake-salesnb"
    (tmp_path / "codes").write_text("\n".join(map(str, codes)) + "\n")
    fake.write_text("#!/bin/sh\n"
                    f'echo "$@" >> "{tmp_path}/calls"\n'
                    f'code=$(head -n1 "{tmp_path}/codes"); sed -i 1d "{tmp_path}/codes"; exit "$code"\n')
    fake.chmod(0o755)
    env = {**os.environ, "SALESNB_BIN": str(fake), "SALESNB_HOME": str(tmp_path), "SALESNB_RETRY_WAIT": "0",
           "SALESNB_ALERT_CMD": f'cat >> "{tmp_path}/alert"', "SALESNB_PAGE_CMD": f'cat >> "{tmp_path}/page"'}
    res = subprocess.run(["bash", str(WRAPPER)], env=env, capture_output=True, text=True, timeout=60)
    calls = (tmp_path / "calls").read_text().splitlines()
    read = lambda n: (tmp_path / n).read_text() if (tmp_path / n).exists() else ""  # noqa: E731
    assert all(c == "run --month auto --send --fail-on critical --scorecards" for c in calls)
    return res.returncode, len(calls), read("alert"), read("page")


@pytest.mark.parametrize("codes, want", [
    ([0], (0, 1, False, False)),
    ([1, 0], (0, 2, False, False)),          # retried once, then fine
    ([1, 1, 1], (1, 3, True, False)),        # retried up to 3 attempts, then an alert
    ([2], (2, 1, True, False)),              # data errors: alert, no retry
    ([3], (3, 1, True, False)),              # parameter errors: alert, no retry
    ([4], (4, 1, False, True)),              # critical alerts: page
])
def test_the_wrapper_retries_on_1_alerts_on_2_and_3_pages_on_4(tmp_path, codes, want):
    code, calls, alert, page = _wrapper(tmp_path, codes)
    assert (code, calls, bool(alert), bool(page)) == want
