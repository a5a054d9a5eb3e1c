"""Run the whole pack on every robustness variant and print what computed, skipped or failed.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/robustness_matrix.py [NAME ...] [--jobs 2]
        [--work /tmp/salesnb-matrix] [--json matrix.json] [--lang zh-CN]

The published runs stay in ``WORK/reports/<variant>/<month>/``; ``SALESNB_MATRIX_DIR=WORK pytest
tests/test_robustness.py`` then checks them without running the pack again.

Per variant: seconds, notebooks ok / failed (with the error), sections computed / partial / skipped
(``salesnb.report.audit``), raw-Python marks on the pages and, with ``--lang`` other than English,
runs of English words on the pages (``audit.find_untranslated``: untranslated text, or English data
such as product names; the first ones are printed); then the matrix size and the slowest variant. The variants are derived from the small demo company (``salesnb.data.variants``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from salesnb.data.variants import VARIANTS, make_variant, variant_params
from salesnb.report.audit import audit_run
from salesnb.report.runner import run


def run_variant(name: str, work: Path, *, jobs: int = 2, month: str = "auto",
                lang: str = "en") -> dict:
    """Make variant ``name`` (``"demo"``: the small demo itself), run the pack, audit the run."""
    if name == "demo":
        overrides = ["source=demo:0.05"]
    else:
        src = make_variant(name, work / "sources" / name)
        overrides = [f"source={src}"] + [f"{k}={v}" for k, v in variant_params(name).items()]
    if lang != "en":
        overrides.append(f"lang={lang}")
    lines: list[str] = []
    t0 = time.perf_counter()
    res = run(month, overrides=overrides, jobs=jobs, out=work / "reports" / name,
              progress=lines.append)
    seconds = time.perf_counter() - t0
    if res.path is None or not (Path(res.path) / "manifest.json").exists():
        return {"variant": name, "seconds": seconds, "exit": res.exit_code, "log": lines}
    audit = audit_run(res.path)
    return {**audit.to_dict(), "variant": name, "seconds": round(seconds, 1),
            "exit": res.exit_code, "month": Path(res.path).name,
            "notebook_seconds": audit.seconds}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="variants, or demo (default: demo and every variant)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", default="/tmp/salesnb-matrix")
    ap.add_argument("--json", default="", help="also write the results to this JSON file")
    ap.add_argument("--lang", default="en", help="language of the pages (e.g. zh-CN)")
    a = ap.parse_args(argv)
    names = a.names or ["demo", *VARIANTS]
    work = Path(a.work)
    rows = []
    print(f"{'variant':<18} {'s':>6}  ok/all  computed partial skipped failed  reprs  english  "
          "failures")
    for name in names:
        r = run_variant(name, work, jobs=a.jobs, lang=a.lang)
        rows.append(r)
        st = r.get("status", {})
        sc = r.get("section_counts", {})
        n_repr = sum(len(v) for k, v in r.get("reprs", {}).items()
                     if k[:-5] in st and st[k[:-5]] == "ok")
        fails = "; ".join(f"{k}: {v[:90]}" for k, v in sorted(r.get("errors", {}).items()))
        english = [f"{k}: {w}" for k, v in sorted(r.get("english", {}).items()) for w in v]
        print(f"{name:<18} {r['seconds']:>6.0f}  {sum(v == 'ok' for v in st.values())}/{len(st)}"
              f"     {sc.get('computed', 0):>8} {sc.get('partial', 0):>7} {sc.get('skipped', 0):>7}"
              f" {sc.get('failed', 0):>6}  {n_repr:>5}  {len(english):>7}  "
              f"{fails or r.get('log', '')}", flush=True)
        for line in english[:5]:
            print(f"    english: {line[:150]}", flush=True)
        if a.json:
            Path(a.json).write_text(json.dumps(rows, indent=1, default=str) + "\n")
    slow = max(rows, key=lambda r: r["seconds"])
    print(f"matrix: {len(rows)} variants x {max(len(r.get('status', {})) for r in rows)} notebooks; "
          f"slowest {slow['variant']} {slow['seconds']:.0f} s; "
          f"total {sum(r['seconds'] for r in rows):.0f} s")
    return 0 if all(r.get("exit") == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
