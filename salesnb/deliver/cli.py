"""``salesnb send`` and ``salesnb run ... --send`` (registered by :func:`register`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: exit codes of ``salesnb send`` (as ``salesnb run``: 1 failed, 2 nothing to send, 3 parameters)
EXIT_OK, EXIT_FAILED, EXIT_NO_REPORT, EXIT_PARAMS = 0, 1, 2, 3
DEFAULT_LIST = Path("params") / "delivery.yaml"


def _add_smtp_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("e-mail (user and password only from SALESNB_SMTP_USER / SALESNB_SMTP_PASSWORD)")
    g.add_argument("--recipients", default=None, metavar="FILE",
                   help="distribution list YAML (default params/delivery.yaml)")
    g.add_argument("--smtp-host", default=None, help="SMTP server (overrides the list's smtp.host)")
    g.add_argument("--smtp-port", type=int, default=None, help="SMTP port (default 587, 465 for ssl)")
    g.add_argument("--smtp-security", choices=["starttls", "ssl", "none"], default=None,
                   help="transport security (default starttls)")
    g.add_argument("--sender", default=None, help="From address")


def _list_path(a: argparse.Namespace) -> Path:
    from salesnb.context import project_root

    return Path(a.recipients) if a.recipients else project_root() / DEFAULT_LIST


def send(a: argparse.Namespace, *, month: str | None = None, out: str | None = None) -> int:
    """Run a delivery from parsed arguments; prints who got what; returns the exit code."""
    from salesnb.context import project_root
    from salesnb.deliver import bi, mail

    reports = Path(out or getattr(a, "out", None) or project_root() / "reports")
    month = month or a.month
    if month in (None, "", "auto"):
        months = bi.good_months(reports)
        if not months:
            print(f"send: no good report in {reports}", file=sys.stderr)
            return EXIT_NO_REPORT
        month = months[-1]
    try:
        cfg = mail.load_config(_list_path(a), host=a.smtp_host, port=a.smtp_port,
                               security=a.smtp_security, sender=a.sender)
        res = mail.send_month(reports / month, cfg, to=getattr(a, "to", None) or [],
                              dry_run=getattr(a, "dry_run", False), resend=getattr(a, "resend", False),
                              outbox=getattr(a, "outbox", None), retries=getattr(a, "retries", 3),
                              progress=lambda m: print(m, flush=True))
    except mail.SendError as exc:
        print(f"send: {mail._clean(exc)}", file=sys.stderr)
        return EXIT_NO_REPORT if "no good report" in str(exc) else EXIT_PARAMS
    return EXIT_OK if res.ok else EXIT_FAILED


def _just_published(reports: Path) -> str | None:
    """The good month whose run finished last (the one ``salesnb run --month auto`` just made)."""
    import json

    from salesnb.deliver import bi

    def finished(m: str) -> str:
        try:
            return str(json.loads((reports / m / "manifest.json").read_text()).get("finished", ""))
        except (OSError, ValueError):
            return ""

    months = bi.good_months(reports)
    return max(months, key=lambda m: (finished(m), m)) if months else None


def _cmd_send(a: argparse.Namespace) -> int:
    return send(a)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``salesnb send`` and the ``--send`` option of ``salesnb run``."""
    s = sub.add_parser("send", help="e-mail a month's pack to leaders and reps")
    s.add_argument("--month", default="auto", help="YYYY-MM, or auto (the newest good month)")
    s.add_argument("--to", nargs="+", default=None, metavar="WHO",
                   help="leaders, reps and/or e-mail addresses (default: leaders and reps)")
    s.add_argument("--dry-run", action="store_true", help="write .eml files instead of sending")
    s.add_argument("--resend", action="store_true", help="send again to those already sent to")
    s.add_argument("--outbox", default=None, help="folder for --dry-run (default reports/<month>/outbox)")
    s.add_argument("--retries", type=int, default=3, help="retries per message on connection trouble")
    s.add_argument("--out", default=None, help="reports folder (default reports/)")
    _add_smtp_options(s)
    s.set_defaults(func=_cmd_send)

    run = sub.choices.get("run")
    if run is None:
        return
    run.add_argument("--send", action="store_true",
                     help="after a good run, e-mail the pack (see salesnb send)")
    _add_smtp_options(run)
    run_func = run.get_default("func")

    def run_and_send(a: argparse.Namespace) -> int:
        code = run_func(a)
        if not a.send:
            return code
        if code not in (0, 4):  # a failed run is not mailed; alerts (4) are news worth mailing
            print("send: skipped (the run did not publish a good report)", file=sys.stderr)
            return code
        from salesnb.context import project_root

        reports = Path(a.out) if a.out else project_root() / "reports"
        month = a.month if a.month not in ("", "auto") else _just_published(reports)
        sent = send(a, month=month, out=str(reports))
        return code if sent == EXIT_OK else EXIT_FAILED

    run.set_defaults(func=run_and_send)
