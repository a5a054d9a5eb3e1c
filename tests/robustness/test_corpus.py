"""Run every case of the corpus (cases.py) and check: exit code, message, nothing lost, nothing leaked.

Fast cases run ``salesnb validate`` or a ``salesnb run`` that stops before any kernel, in this process
(``salesnb.cli.main``; with fresh kernels, so the run starts none: that a run stopping on its data
closes the kernels it prewarmed is tested in tests/test_kernels.py), on a small demo company (scale 0.02) written as CSV. Cases marked ``slow`` run
one notebook in a kernel.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from salesnb import cli
from salesnb.report import kernels
from salesnb.report.runner import run
from tests.robustness.cases import CASES, MONTH, SECRET, Case

ROOT = Path(__file__).resolve().parents[2]


def _md5s(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def base(tmp_path_factory) -> Path:
    """The small demo company as CSV files (text, so cases can write any value verbatim)."""
    from salesnb.data.demo import generate

    tmp = tmp_path_factory.mktemp("corpus-base")
    demo = generate(tmp / "demo", scale=0.02, seed=20261, progress=lambda m: None)
    out = tmp / "csv"
    out.mkdir()
    for f in sorted(Path(demo).glob("*.parquet")):
        pd.read_parquet(f).to_csv(out / f"{f.stem}.csv", index=False)
    return out


@pytest.fixture(scope="session")
def good(tmp_path_factory, base) -> Path:
    """A good published report of the month (two small notebooks, one kernel each)."""
    tmp = tmp_path_factory.mktemp("corpus-good")
    nbdir = tmp / "notebooks"
    nbdir.mkdir()
    for name in ("00_alpha", "01_beta"):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"),
                    nbformat.v4.new_code_cell('month: str = ""  # month\nsource: str = "demo"  # s\n'
                                              'output_dir: str = ""  # o', metadata={"tags": ["parameters"]}),
                    nbformat.v4.new_code_cell(f"open(output_dir + '/{name}.note.txt', 'w').write('kept')")]
        nbformat.write(nb, nbdir / f"{name}.ipynb")
    (tmp / "params").mkdir()
    (tmp / "params" / "defaults.yaml").write_text(f'source: "{base}"\n')
    res = run(MONTH, notebooks_dir=nbdir, params_dir=tmp / "params", out=tmp / "reports",
              progress=lambda m: None)
    assert res.exit_code == 0
    return res.path


def _make_source(case: Case, base: Path, dest: Path) -> Path:
    if case.mutate is None:
        shutil.copytree(base, dest)
    else:
        dest.mkdir(parents=True)
        tables = {f.stem: pd.read_csv(f, dtype=str, keep_default_na=False) for f in base.glob("*.csv")}
        case.mutate(tables)
        for name, df in tables.items():
            df.to_csv(dest / f"{name}.csv", index=False)
    if case.raw is not None:
        case.raw(dest)
    return dest


def _png_sizes(html: str) -> list[tuple[int, int]]:
    sizes = []
    for b64 in re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]{40,})", html):
        head = base64.b64decode(b64[:44])
        sizes.append((int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")))
    return sizes


#: branches whose fixes are on main: their cases must pass
MERGED = {"spark", "deliver"}


def _params(case: Case):
    marks = list(case.marks)
    if case.slow:
        marks.append(pytest.mark.slow)
    if case.owner and case.owner not in MERGED:
        marks.append(pytest.mark.xfail(strict=True, reason=f"fixed on branch {case.owner}"))
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_params(c) for c in CASES])
def test_case(case: Case, base, good, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", SECRET)  # a credential in the environment: must stay there
    src = _make_source(case, base, tmp_path / "src")
    out = tmp_path / "out"
    shutil.copytree(good, out / MONTH)
    (tmp_path / "afile").write_text("not a folder\n")
    (tmp_path / "secret.yaml").write_text(f'source: "postgresql://u:{SECRET}@h/db"\n')
    inputs = {src, tmp_path / "secret.yaml"}
    fill = {"src": str(src), "out": str(out), "tmp": str(tmp_path), "secret": SECRET}
    args = [a.format(**fill) for a in case.args]
    if "--source-in-out" in args:  # a source folder named like the month, inside --out
        args.remove("--source-in-out")
        shutil.rmtree(out / MONTH)
        src = shutil.move(str(src), str(out / MONTH))
        src = Path(src)
        inputs.add(src)
    if "--foreign-month" in args:  # a folder salesnb did not write at <out>/<month>
        args.remove("--foreign-month")
        shutil.rmtree(out / MONTH)
        (out / MONTH).mkdir()
        (out / MONTH / "budget.xlsx").write_bytes(b"precious")
    src_before, out_before = _md5s(src), _md5s(out)
    if case.command == "validate":
        argv = ["validate", *(args or [str(src)])]
    else:
        if not case.slow:  # it stops before any notebook: no kernel to prewarm (see test_kernels)
            monkeypatch.setenv(kernels.FRESH_ENV, "1")
        argv = ["run", "--month", MONTH, "--jobs", "1", "--out", str(out), "-p", f"source={src}",
                "--only", case.only, *args]
        if "--month" in args:
            argv = argv[:1] + argv[3:]
    code = cli.main(argv)
    cap = capsys.readouterr()
    text = cap.out + cap.err

    # the exit code and the message naming file, column and rows
    expected = case.exit if isinstance(case.exit, tuple) else (case.exit,)
    assert code in expected, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    for word in case.says:
        assert word.lower() in text.lower(), f"{word!r} not in:\n{text[-3000:]}"
    # nothing lost: the source is never changed; a refused or failed run changes nothing in --out
    assert _md5s(src) == src_before
    after = _md5s(out)
    if code != 0:
        assert after == out_before
        assert sorted(p.name for p in out.iterdir()) == sorted({MONTH}), "leftovers in --out"
    else:  # a partial run merges: the notebooks it did not run are kept byte for byte
        kept = {k: v for k, v in out_before.items() if k.startswith(("00_alpha", "01_beta"))}
        assert {k: after.get(k) for k in kept} == kept
    # nothing leaked: the planted secret in no file written and not in the output
    assert SECRET not in text
    for p in tmp_path.rglob("*"):
        if p.is_file() and not any(p == i or i in p.parents for i in inputs):
            assert SECRET.encode() not in p.read_bytes(), f"secret written to {p}"
    assert not (tmp_path / "pwned").exists()
    if case.check:
        case.check({"out": out, "tmp": tmp_path, "src": src, "text": text, "code": code})
    if code == 0 and case.command == "run":
        folder = out / MONTH
        for page in folder.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert "<script" not in html.lower(), f"{page.name} carries a script"
            for w, h in _png_sizes(html):
                assert w < 4000 and h < 4000, f"{page.name}: a {w} x {h} chart"
        for p in ROOT.joinpath("notebooks").glob("*.ipynb"):  # templates untouched
            assert not nbformat.read(p, as_version=4).cells[0].get("outputs")


def test_corpus_is_large_and_covers_every_finding():
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
    bullets = " | ".join(c.bullet for c in CASES)
    for finding in ("missing column", "renamed column", "bad dates", "thousands separators",
                    "currency symbols", "duplicate ids", "unknown references", "wrong enumerations",
                    "bad encodings", "corrupt files", "parameter code injection", "XSS names",
                    "0202", "1.234,50", "NaN", "inf", "1_000", "absurd amounts", "different customers",
                    "different dates", "2026/10", "targets matching no rep-month", "formula injection",
                    "control characters", "$...$", "10,000-character", "empty orders", "k_max < k_min",
                    "huge integer", "month far outside", "--out pointing at a file", "--out inside",
                    "--out above", "deletes whatever sits", "credentials in a URL",
                    "credentials in a parameter", "Spark Connect tokens", "rep id can overwrite"):
        assert finding in bullets, finding
