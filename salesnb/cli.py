"""The ``salesnb`` command: run the monthly pack, make the demo company, validate a source, list params."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import salesnb.report  # noqa: F401 - first: keeps jsonschema's slow IRI checker out (see its __init__)
from salesnb.deliver import cli as deliver_cli


def _cmd_run(a: argparse.Namespace) -> int:
    from salesnb.report.runner import run

    res = run(
        a.month, params_files=a.params, overrides=a.param, only=a.only, jobs=a.jobs, out=a.out,
        fail_on=a.fail_on,
        scorecards=(a.scorecards or True) if a.scorecards is not None else False, timeout=a.timeout, pdf=a.pdf,
        wait=a.wait, fresh_kernels=a.fresh_kernels or None,
        progress=lambda m: print(m, flush=True),
    )
    return res.exit_code


def _say(m: str) -> None:
    print(m, flush=True)


def _cmd_demo(a: argparse.Namespace) -> int:
    from salesnb.data.demo import default_demo_dir, ensure_demo, generate

    t0 = time.perf_counter()
    if a.force:
        path = generate(a.out or default_demo_dir(a.scale, a.reps), scale=a.scale, seed=a.seed,
                        reps=a.reps, progress=_say)
    else:
        path = ensure_demo(scale=a.scale, seed=a.seed, path=a.out, reps=a.reps, progress=_say)
    print(f"demo company ready in {path} ({time.perf_counter() - t0:.1f} s)")
    return 0


def _cmd_validate(a: argparse.Namespace) -> int:
    from salesnb.data.errors import DataError
    from salesnb.data.validate import validate
    from salesnb.secrets import redact

    try:
        problems = validate(a.source)
    except DataError as exc:
        print(f"error: {redact(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a source that cannot be read is a data error, not a traceback
        print(f"error: cannot read {redact(a.source)}: {type(exc).__name__}: {redact(exc)}",
              file=sys.stderr)
        return 2
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        print(redact(p), file=sys.stderr if p.severity == "error" else sys.stdout)
    print(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s) in {redact(a.source)}")
    return 1 if errors else 0


def _cmd_params(a: argparse.Namespace) -> int:
    from salesnb.config import notebook_parameters
    from salesnb.context import project_root

    path = Path(a.notebook)
    if not path.exists():
        cand = project_root() / "notebooks" / (a.notebook if a.notebook.endswith(".ipynb")
                                               else f"{a.notebook}.ipynb")
        path = cand
    if not path.exists():
        print(f"error: no notebook {a.notebook}", file=sys.stderr)
        return 2
    params = notebook_parameters(path)
    width = max((len(n) for n in params), default=4)
    print(f"Parameters of {path.name}:")
    for p in params.values():
        default = repr(p.default)
        print(f"  {p.name:<{width}}  {p.type:<6} = {default:<14}  {p.help}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="salesnb", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)

    r = sub.add_parser("run", help="run the monthly pack and publish reports/<month>/")
    r.add_argument("--month", default="auto", help="YYYY-MM, or auto (last complete month)")
    r.add_argument("--params", action="append", default=[], metavar="FILE",
                   help="extra parameter YAML file (repeatable; later wins)")
    r.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                   help="override one parameter (repeatable)")
    r.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="run only this notebook (repeatable)")
    r.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                   help="notebooks run at once (default: the number of cores, at most 4)")
    r.add_argument("--out", default=None, help="reports folder (default reports/)")
    r.add_argument("--fail-on", choices=["critical", "warning"], default=None,
                   help="exit non-zero when risk alerts reach this severity")
    r.add_argument("--scorecards", nargs="*", default=None, metavar="REP_ID",
                   help="also build scorecard pages: for every active rep, or for the reps named")
    r.add_argument("--pdf", action="store_true",
                   help="also print the leadership pack to PDF (headless Chromium)")
    r.add_argument("--timeout", type=int, default=1200, help="seconds allowed per cell")
    r.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long for another run of the same month (default: refuse at once)")
    r.add_argument("--fresh-kernels", action="store_true",
                   help="a new kernel for every notebook (debugging; default: warm kernels reused)")
    r.set_defaults(func=_cmd_run)

    d = sub.add_parser("demo", help="generate the demo company (if missing)")
    d.add_argument("--scale", type=float, default=1.0, help="1 = ~1M order lines; 10 = ~10M")
    d.add_argument("--seed", type=int, default=20261)
    d.add_argument("--reps", type=int, default=None, help="number of reps for the same order lines "
                   "(48..2000, into data/demo-r<N>); default about 60")
    d.add_argument("--out", default=None, help="folder (default data/demo)")
    d.add_argument("--force", action="store_true", help="regenerate even if present")
    d.set_defaults(func=_cmd_demo)

    v = sub.add_parser("validate", help="check a source against the data contract")
    v.add_argument("source", help='"demo", a folder of CSV/Parquet/XLSX files, or a database URL')
    v.set_defaults(func=_cmd_validate)

    p = sub.add_parser("params", help="list a notebook's parameters with their help")
    p.add_argument("notebook", help="path or name, e.g. 00_data_overview")
    p.set_defaults(func=_cmd_params)
    __import__("salesnb.data.load", fromlist=["register"]).register(sub)
    from salesnb.data.importing.cli import register as register_import  # import, demo --as

    register_import(sub)
    deliver_cli.register(sub)  # salesnb send, salesnb run --send
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
