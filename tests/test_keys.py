"""Declared published keys: publish refuses undeclared keys; the summary reads only declared keys."""

from __future__ import annotations

from pathlib import Path

import pytest

import salesnb as sn
from salesnb import keys, summary

ROOT = Path(__file__).resolve().parents[1]


def test_publish_rejects_an_undeclared_key_naming_notebook_and_key(monkeypatch):
    monkeypatch.delenv("SALESNB_NOTEBOOK", raising=False)
    assert sn.publish("win_rate", 0.3) == 0.3
    with pytest.raises(keys.UndeclaredKeyError, match=r"'revenue_mtdd'.*any notebook.*salesnb/keys.py"):
        sn.publish("revenue_mtdd", 1.0)
    monkeypatch.setenv("SALESNB_NOTEBOOK", "00_data_overview")
    with pytest.raises(keys.UndeclaredKeyError,
                       match=r"'win_rate'.*notebook 00_data_overview.*declared for 02_performance_review"):
        sn.publish("win_rate", 0.3)
    sn.publish("revenue_month", 1.0)
    sn.publish("i18n_missing", [])  # common to every notebook


def test_families_and_declarations_are_well_formed():
    assert keys.find("03_market_trends", "yoy_by_region").name == "yoy_by_*"
    assert keys.find("02_performance_review", "yoy_by_region") is None
    seen = set()
    for k in keys.KEYS:
        assert (k.notebook, k.name) not in seen, k
        seen.add((k.notebook, k.name))
        assert k.meaning and k.type in keys.TYPES
    with pytest.raises(ValueError, match="type"):
        keys.Key("x", "y", "number", "", "bad type")


def test_every_key_the_summary_reads_is_declared():
    for nb, key in summary.source_keys():
        assert keys.find(nb, key) is not None, (nb, key)
        assert keys.find(nb, key).notebook == nb


def test_docs_list_the_declared_keys():
    doc = (ROOT / "docs" / "published-keys.md").read_text(encoding="utf-8")
    assert keys.markdown() in doc, "regenerate: python -m salesnb.keys > docs/published-keys.md"


def test_every_key_the_notebooks_publish_is_declared(tmp_path):
    assert keys.scan_notebooks(ROOT / "notebooks") == []
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('sn.publish("brand_new", 1)\nsn.publish(f"yoy_by_{d}", 2)')]
    nbformat.write(nb, tmp_path / "03_market_trends.ipynb")
    assert keys.scan_notebooks(tmp_path) == [("03_market_trends", "brand_new")]
