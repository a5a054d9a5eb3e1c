"""The xdist groups of tests/conftest.py: every test on the session's PostgreSQL server is in the
group that owns it.

A test taking ``pg_url`` outside that group starts a second server in the other worker, and the
run stopped with an internal error (helper F's PostgreSQL test in the twenty-first session, P's in
the twentieth): this finds such a test by reading the test files, before a run does.
"""

from __future__ import annotations

import ast

from tests.conftest import ROOT, group_of


def _tests_taking(fixture: str) -> list[str]:
    found = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
                    and fixture in {a.arg for a in node.args.args}):
                found.append(f"{path.relative_to(ROOT).as_posix()}::{node.name}")
    return found


def test_every_postgresql_test_is_in_the_group_that_owns_the_server():
    tests = _tests_taking("pg_url")
    assert len(tests) >= 6, tests  # the parity tests of extract, segments, products, pipelines, the pack
    outside = [t for t in tests if group_of(t) != "demo-pack"]
    assert not outside, f"add to GROUP_PREFIXES in tests/conftest.py (group 'demo-pack'): {outside}"
