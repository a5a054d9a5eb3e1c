"""Import real public exports, run the whole pack in English and Chinese, and audit every page.

    nice PYTHONPATH=$PWD .venv/bin/python benchmarks/realdata_sweep.py
        [NAME ...] [--data NAME=PATH[:PROFILE] ...] [--langs en,zh-CN] [--work /tmp/salesnb-sweep]
        [--set NAME:KEY=VALUE ...] [--fx-rates NAME=CSV ...]
        [--jobs 2] [--no-scorecards] [--json sweep.json]

The demo company is clean by construction; real exports are not. This sweep runs the pack on them
to find what the demo hides. For each dataset (a name, a folder of raw files, and how to import it):

1. import it with :func:`salesnb.data.importing.importer.import_export` (what ``salesnb import``
   calls) into ``WORK/<name>/source`` and validate it; a failing import (or validation errors, which
   a run refuses) is a result, printed with the error's first lines, not a crash of the sweep;
2. run the pack with scorecards (``run(..., scorecards=True)``) once per language
   (``lang=zh-CN`` for Chinese) into ``WORK/<name>/reports-<lang>``;
3. audit every page (:func:`salesnb.report.audit.audit_run`): pages, raw Python reprs (page and
   text), runs of English on pages in another language (page and text; a run within a name of
   the data (reps, customers, products) is the data's own text: listed, not counted), notes by
   kind, sections skipped, notebooks that failed (with the error's first line).

At the end one table: dataset x language: pages, failed notebooks, reprs, untranslated runs, skipped
sections, seconds. The exit code is 1 when an import failed, a notebook failed, or a repr or an
untranslated run was found; else 0.

Datasets. Built in: ``superstore`` (Tableau's Sample - Superstore) and ``online_retail`` (UCI Online
Retail), read from ``../shared/realdata`` (or ``$SALESNB_REALDATA``: as tests/test_import.py finds
it) and imported with ``examples/profiles/<name>.yaml``. More with ``--data NAME=PATH[:PROFILE]``,
where PROFILE is a built-in profile name (``salesforce``, ``hubspot``, ...), a profile YAML file, or
``suggest`` (the default): the draft of ``salesnb import --suggest PATH`` taken as is (written to
``WORK/<name>/profile.yaml`` to read). For example::

    --data maven=/tmp/maven/raw:suggest --data sf=/tmp/sf/raw:salesforce

An export in several currencies needs a reporting currency and rates, as a run does (docs/import.md
"Currency"): ``--set sf:reporting_currency=USD --fx-rates sf=/tmp/sf/fx_rates.csv`` (a CSV with
currency, period (YYYY-MM or ``*``), rate) puts the CSV into the source folder as ``fx_rates.csv``
and passes the parameter to the validation and to every run. ``--set NAME:KEY=VALUE`` passes any
other run parameter the same way.

Positional NAMEs choose among the built-in and ``--data`` datasets (default: all of them). The raw
files are copied into ``WORK/<name>/export`` first (the shared folder is read-only). Real data is
not committed: the folders stay outside the repository. The sweep lowers its own priority
(``os.nice``) and runs the datasets one after another; ``--jobs`` notebooks at once.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: built-in datasets: name -> (folder under the real-data root, import)
BUILTIN = {"superstore": "superstore", "online_retail": "online_retail"}


def realdata_root() -> Path | None:
    """The shared real-data folder, found as tests/test_import.py's ``_realdata()`` finds it."""
    for p in (os.environ.get("SALESNB_REALDATA"), ROOT.parent / "shared" / "realdata",
              Path("/work/shared/realdata")):
        if p and Path(p).is_dir():
            return Path(p)
    return None


@dataclass
class Dataset:
    """A name, a folder (or file) of raw export files, and a profile: name, YAML path or suggest."""

    name: str
    path: Path
    profile: str = "suggest"
    params: dict[str, str] = field(default_factory=dict)   # run parameters (--set)
    fx_rates: Path | None = None                             # a CSV copied in as fx_rates (--fx-rates)


def parse_data(spec: str) -> Dataset:
    """``NAME=PATH[:PROFILE]`` → :class:`Dataset` (PROFILE default ``suggest``)."""
    name, sep, rest = spec.partition("=")
    if not sep or not name or not rest:
        raise argparse.ArgumentTypeError(f"--data {spec!r}: give NAME=PATH[:PROFILE]")
    path, colon, profile = rest.rpartition(":")
    # no profile given (a ':' belongs to the path); a profile file may be given by its path
    if not colon or ("/" in profile and not profile.endswith((".yaml", ".yml"))):
        path, profile = rest, "suggest"
    return Dataset(name, Path(path).expanduser(), profile or "suggest")


def builtin_datasets() -> list[Dataset]:
    root = realdata_root()
    if root is None:
        return []
    return [Dataset(name, root / folder, str(ROOT / "examples" / "profiles" / f"{name}.yaml"))
            for name, folder in BUILTIN.items() if (root / folder).exists()]


@dataclass
class LangRun:
    """One run of the pack in one language, audited."""

    lang: str
    seconds: float = 0.0
    exit_code: int | None = None
    message: str = ""
    pages: int = 0
    failed: dict[str, str] = field(default_factory=dict)        # notebook -> first error line
    reprs: list[tuple[str, str]] = field(default_factory=list)  # (page, finding)
    english: list[tuple[str, str]] = field(default_factory=list)
    data_english: list[tuple[str, str]] = field(default_factory=list)  # English that is a data value
    notes: dict[str, int] = field(default_factory=dict)      # note kind -> count
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (page, section title)
    partial: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Result:
    """A dataset's import and runs."""

    name: str
    profile: str
    import_seconds: float = 0.0
    import_error: str = ""
    import_summary: str = ""
    runs: list[LangRun] = field(default_factory=list)


def _first_lines(text: str, n: int = 3) -> str:
    return "\n".join(line for line in str(text).strip().splitlines()[:n])


def import_dataset(ds: Dataset, work: Path, res: Result) -> Path | None:
    """Copy, (draft a profile,) import and validate; the source folder, or None (error in res)."""
    from salesnb.data.importing.importer import import_export
    from salesnb.data.sources import open_folder
    from salesnb.data.validate import validate

    t0 = time.perf_counter()
    export = work / "export"
    try:
        if not ds.path.exists():
            raise FileNotFoundError(f"{ds.path} does not exist")
        shutil.rmtree(export, ignore_errors=True)
        if ds.path.is_dir():
            shutil.copytree(ds.path, export)
        else:
            export.mkdir(parents=True)
            shutil.copy2(ds.path, export / ds.path.name)
        for f in export.rglob("*"):
            f.chmod(0o755 if f.is_dir() else 0o644)
        src = export if ds.path.is_dir() else export / ds.path.name
        profile = ds.profile
        if profile == "suggest":
            from salesnb.data.importing.suggest import suggest

            draft = work / "profile.yaml"
            draft.write_text(suggest(src), encoding="utf-8")
            profile = str(draft)
        out = work / "source"
        shutil.rmtree(out, ignore_errors=True)
        _, rep = import_export(profile, src, out)
        res.import_summary = str(rep)
        if ds.fx_rates is not None:
            shutil.copy2(ds.fx_rates, out / "fx_rates.csv")
        opened = open_folder(out).configure(
            reporting_currency=ds.params.get("reporting_currency") or None)
        errors = [str(p) for p in validate(opened) if p.severity == "error"]
        if errors:
            raise ValueError(f"{len(errors)} validation error(s): " + "; ".join(errors[:3]))
        return out
    except Exception as exc:  # noqa: BLE001 - any failure of the import is a result
        res.import_error = f"{type(exc).__name__}: {exc}"
        return None
    finally:
        res.import_seconds = time.perf_counter() - t0


#: the tables and columns whose text a page shows as it is (names), English or not
DATA_TEXT = {"reps": ("rep_id", "name", "team", "region"), "customers": ("customer_id", "name"),
             "products": ("product_id", "name", "category")}


def data_values(source: Path) -> list[str]:
    """The names in the source folder (reps, customers, products): a run of English words on a
    Chinese page that lies within one of them is the data's own text (a Salesforce user named
    "Diego Velasco Head of IT"), not text left untranslated."""
    import pandas as pd

    out: set[str] = set()
    for table, cols in DATA_TEXT.items():
        for f in source.glob(f"{table}.*"):
            try:
                df = pd.read_parquet(f) if f.suffix == ".parquet" else pd.read_csv(f, dtype=str)
            except Exception:  # noqa: BLE001 - a table it cannot read adds no names
                continue
            for c in cols:
                if c in df:
                    out.update(str(v) for v in df[c].dropna().unique())
    return sorted(out)


def run_lang(source: Path, work: Path, lang: str, *, jobs: int, scorecards: bool,
             month: str, params: dict[str, str] | None = None) -> LangRun:
    """Run the pack on ``source`` in ``lang`` and audit the published run."""
    from salesnb.report.audit import audit_run
    from salesnb.report.runner import run

    lr = LangRun(lang)
    overrides = [f"source={source}"] + ([f"lang={lang}"] if lang != "en" else [])
    overrides += [f"{k}={v}" for k, v in (params or {}).items()]
    out = work / f"reports-{lang}"
    shutil.rmtree(out, ignore_errors=True)
    lines: list[str] = []
    t0 = time.perf_counter()
    try:
        r = run(month, overrides=overrides, jobs=jobs, out=out, scorecards=scorecards,
                progress=lines.append)
    except Exception:  # noqa: BLE001 - a crash of the runner is a result too
        lr.seconds = time.perf_counter() - t0
        lr.message = _first_lines(traceback.format_exc().splitlines()[-1])
        lr.failed["(runner)"] = lr.message
        return lr
    lr.seconds = time.perf_counter() - t0
    lr.exit_code, lr.message = r.exit_code, _first_lines(r.message or "")
    if r.path is None or not (Path(r.path) / "manifest.json").exists():
        lr.failed["(run)"] = lr.message or _first_lines("\n".join(lines[-3:]))
        return lr
    audit = audit_run(r.path)
    bad = set(audit.failed)
    lr.failed = {k: _first_lines(v or "failed", 1) for k, v in audit.errors.items()}
    lr.failed.update({k: audit.status[k] for k in bad if k not in lr.failed})
    lr.pages = len(audit.reprs)
    for page, found in sorted(audit.reprs.items()):
        if page[:-5] in bad:      # a failed notebook's page shows its traceback
            continue
        lr.reprs += [(page, str(f)) for f in found]
    names = data_values(source) if audit.english else []
    for page, runs in sorted(audit.english.items()):
        for w in runs:
            (lr.data_english if any(w in n for n in names) else lr.english).append((page, w))
    kinds: Counter = Counter()
    for counts in audit.notes.values():
        kinds.update({k: v for k, v in counts.items() if k not in ("notes", "skipped")})
    lr.notes = dict(kinds)
    for page, secs in sorted(audit.sections.items()):
        lr.skipped += [(page, t) for t, state in secs if state == "skipped"]
        lr.partial += [(page, t) for t, state in secs if state == "partial"]
    return lr


def print_run(name: str, lr: LangRun, *, limit: int) -> None:
    print(f"  [{name} {lr.lang}] {lr.pages} pages, {lr.seconds:.0f} s, exit {lr.exit_code}"
          + (f": {lr.message}" if lr.message and lr.exit_code else ""), flush=True)
    for nb, err in sorted(lr.failed.items()):
        print(f"    FAILED {nb}: {err[:200]}")
    for page, f in lr.reprs[:limit]:
        print(f"    repr {page}: {f[:200]}")
    for page, w in lr.english[:limit]:
        print(f"    english {page}: {w[:200]}")
    if lr.data_english:
        print(f"    data, not counted: {len(lr.data_english)} English run(s) within names of the data: "
              + "; ".join(sorted({w[:60] for _, w in lr.data_english})[:5]))
    for what, items in (("reprs", lr.reprs), ("english runs", lr.english)):
        if len(items) > limit:
            print(f"    ... {len(items) - limit} more {what}")
    if lr.notes:
        print("    notes: " + ", ".join(f"{k} {v}" for k, v in sorted(lr.notes.items())))
    for page, title in lr.skipped:
        print(f"    skipped {page}: {title[:120]}")
    if lr.partial:
        print(f"    partial: {len(lr.partial)} section(s): "
              + "; ".join(f"{p[:-5]}: {t[:50]}" for p, t in lr.partial[:8]))
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="datasets to run (default: every one)")
    ap.add_argument("--data", action="append", default=[], type=parse_data,
                    metavar="NAME=PATH[:PROFILE]",
                    help="another dataset; PROFILE: a built-in name, a YAML file or suggest")
    ap.add_argument("--set", action="append", default=[], metavar="NAME:KEY=VALUE",
                    help="a run parameter for one dataset, e.g. salesforce:reporting_currency=USD")
    ap.add_argument("--fx-rates", action="append", default=[], metavar="NAME=CSV",
                    help="an fx_rates table (currency, period, rate) added to NAME's source folder")
    ap.add_argument("--langs", default="en,zh-CN", help="comma-separated (default en,zh-CN)")
    ap.add_argument("--work", default="/tmp/salesnb-sweep")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--month", default="auto")
    ap.add_argument("--no-scorecards", dest="scorecards", action="store_false")
    ap.add_argument("--limit", type=int, default=20, help="findings printed per run and kind")
    ap.add_argument("--json", default="", help="also write the results to this JSON file")
    a = ap.parse_args(argv)
    try:
        os.nice(10)
    except OSError:
        pass
    sets = {d.name: d for d in builtin_datasets()}
    sets.update({d.name: d for d in a.data})
    for spec in a.set:
        name, _, kv = spec.partition(":")
        key, eq, value = kv.partition("=")
        if name not in sets or not eq or not key:
            ap.error(f"--set {spec!r}: give NAME:KEY=VALUE for a known dataset")
        sets[name].params[key] = value
    for spec in a.fx_rates:
        name, _, csv = spec.partition("=")
        if name not in sets or not csv:
            ap.error(f"--fx-rates {spec!r}: give NAME=CSV for a known dataset")
        sets[name].fx_rates = Path(csv).expanduser()
    unknown = [n for n in a.names if n not in sets]
    if unknown:
        ap.error(f"unknown dataset(s) {', '.join(unknown)}; known: {', '.join(sets) or 'none'}")
    chosen = [sets[n] for n in a.names] if a.names else list(sets.values())
    if not chosen:
        ap.error("no datasets: ../shared/realdata is missing and no --data was given")
    langs = [x.strip() for x in a.langs.split(",") if x.strip()]
    results: list[Result] = []
    for ds in chosen:
        work = Path(a.work) / ds.name
        work.mkdir(parents=True, exist_ok=True)
        res = Result(ds.name, ds.profile if "/" not in ds.profile else Path(ds.profile).name)
        results.append(res)
        print(f"== {ds.name}: {ds.path} ({res.profile})", flush=True)
        source = import_dataset(ds, work, res)
        if source is None:
            print(f"  import FAILED after {res.import_seconds:.0f} s:\n    "
                  + _first_lines(res.import_error, 5).replace("\n", "\n    "), flush=True)
            continue
        print(f"  imported in {res.import_seconds:.0f} s into {source}", flush=True)
        for lang in langs:
            lr = run_lang(source, work, lang, jobs=a.jobs, scorecards=a.scorecards,
                          month=a.month, params=ds.params)
            res.runs.append(lr)
            print_run(ds.name, lr, limit=a.limit)
        if a.json:
            Path(a.json).write_text(json.dumps([_asdict(r) for r in results], indent=1,
                                               default=str) + "\n")
    print()
    print(f"{'dataset':<16} {'lang':<6} {'pages':>5} {'failed':>6} {'reprs':>5} {'english':>7} "
          f"{'skipped':>7} {'seconds':>7}")
    bad = False
    for res in results:
        if res.import_error:
            bad = True
            print(f"{res.name:<16} {'-':<6} import failed: {_first_lines(res.import_error, 1)[:90]}")
            continue
        for lr in res.runs:
            bad |= bool(lr.failed or lr.reprs or lr.english)
            print(f"{res.name:<16} {lr.lang:<6} {lr.pages:>5} {len(lr.failed):>6} "
                  f"{len(lr.reprs):>5} {len(lr.english):>7} {len(lr.skipped):>7} "
                  f"{lr.seconds:>7.0f}")
    return 1 if bad else 0


def _asdict(res: Result) -> dict:
    from dataclasses import asdict

    return asdict(res)


if __name__ == "__main__":
    sys.exit(main())
