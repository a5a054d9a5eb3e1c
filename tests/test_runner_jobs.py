"""The runner's job queue: priorities, tasks that wait for another, interrupts; scorecards that start
once the performance review is done, while other notebooks still run (issue 18)."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import nbformat
import pytest

from salesnb.report.runner import EXIT_OK, _Jobs, _Stop
from tests.test_runner import _card_notebook, _params, _run, _tiny_nbdir


def _recorder():
    order: list[str] = []

    def task(name: str) -> str:
        order.append(name)
        return name

    return order, task


def _blocked(jobs: _Jobs) -> threading.Event:
    """Keep the only thread busy until the returned event is set, so the queue fills first."""
    release = threading.Event()
    jobs.add(-1, release.wait, 30)
    return release


def test_lower_priority_first_in_order_of_adding():
    order, task = _recorder()
    jobs = _Jobs(1, _Stop(), set())
    try:
        release = _blocked(jobs)
        fa = jobs.add(0, task, "a")
        fb = jobs.add(2, task, "b", after=fa)
        fc = jobs.add(0, task, "c")
        fd = jobs.add(1, task, "d")
        release.set()
        assert jobs.results([fa, fb, fc, fd]) == ["a", "b", "c", "d"]
        assert order == ["a", "c", "d", "b"]
    finally:
        jobs.close()


def test_a_task_waiting_for_another_lets_later_tasks_run_first():
    order, task = _recorder()
    gate: Future = Future()
    jobs = _Jobs(1, _Stop(), set())
    try:
        release = _blocked(jobs)
        fx = jobs.add(0, task, "x", after=gate)
        fy = jobs.add(2, task, "y")
        release.set()
        assert jobs.results([fy]) == ["y"] and not fx.done()
        gate.set_result(None)
        assert jobs.results([fx]) == ["x"] and order == ["y", "x"]
    finally:
        jobs.close()


def test_an_error_cancels_what_has_not_started():
    order, task = _recorder()
    stop = _Stop()
    jobs = _Jobs(1, stop, set())

    def boom():
        raise ValueError("planted")

    try:
        release = _blocked(jobs)
        bad = jobs.add(0, boom)
        later = jobs.add(1, task, "later")
        release.set()
        with pytest.raises(ValueError, match="planted"):
            jobs.results([bad, later])
        assert stop.event.is_set() and later.cancelled() and order == []
    finally:
        jobs.close()


def test_close_cancels_queued_tasks_and_ends_the_threads():
    order, task = _recorder()
    jobs = _Jobs(2, _Stop(), set())
    never: Future = Future()
    waiting = jobs.add(0, task, "never", after=never)
    jobs.close()
    assert waiting.cancelled() and order == []
    assert not any(t.is_alive() for t in jobs._threads)


def test_scorecards_start_after_the_review_while_other_notebooks_still_run(tmp_path, small_folder):
    """02 writes a marker; each scorecard checks it is there (it starts only after 02) and writes its
    own; 03 waits until a scorecard has run. On two jobs this finishes only if scorecards run while 03
    still runs (before this, they waited for every notebook: 03 would give up and fail)."""
    wait_for_card = (
        "deadline = time.time() + 120\n"
        "while not list(pathlib.Path(output_dir, 'reps').glob('*.card.txt')):\n"
        "    assert time.time() < deadline, 'no scorecard ran while this notebook ran'\n"
        "    time.sleep(0.05)\n")
    nbdir = _tiny_nbdir(tmp_path, names=("02_performance_review",),
                        body="time.sleep(1)\n")
    _tiny_nbdir(tmp_path, names=("03_slow",), body=wait_for_card)
    _card_notebook(nbdir, "import pathlib\n"
                          "build = pathlib.Path(output_dir).parent\n"
                          "assert (build / '02_performance_review.note.txt').exists(), 'started before 02 was done'\n"
                          "pathlib.Path(output_dir, f'{rep_id}.card.txt').write_text('ok')")
    res, lines = _run(tmp_path, nbdir, _params(tmp_path, small_folder), scorecards=True, jobs=3)
    assert res.exit_code == EXIT_OK, lines
    assert [n.status for n in res.notebooks] == ["ok", "ok"], lines
    folder = tmp_path / "reports" / res.month
    assert {p.name for p in (folder / "reps").glob("*.html")} >= {"R1.html", "R2.html"}


def _nb(folder, name, cost=None):
    nb = nbformat.v4.new_notebook()
    if cost is not None:
        nb.metadata["salesnb"] = {"cost": cost}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_longest_notebooks_start_first(tmp_path):
    import json

    from salesnb.report.runner import start_order

    nbs = [_nb(tmp_path, "00_a", 3), _nb(tmp_path, "01_b"), _nb(tmp_path, "02_c", 20),
           _nb(tmp_path, "03_d", 3)]
    # no earlier run: the cost in the metadata; ties and notebooks without one keep their order
    assert [p.stem for p in start_order(nbs, tmp_path / "reports")] == ["02_c", "00_a", "03_d", "01_b"]
    # the seconds of the newest good month win over the metadata (a failed month is not read)
    for month, status, secs in (("2026-09", "ok", {"00_a": 30, "01_b": 1, "02_c": 2, "03_d": 9}),
                                ("2026-10", "failed", {"00_a": 0, "01_b": 99, "02_c": 0, "03_d": 0})):
        (tmp_path / "reports" / month).mkdir(parents=True)
        (tmp_path / "reports" / month / "manifest.json").write_text(json.dumps(
            {"month": month, "status": status,
             "notebooks": [{"name": n, "seconds": s} for n, s in secs.items()]}))
    assert [p.stem for p in start_order(nbs, tmp_path / "reports")] == ["00_a", "03_d", "02_c", "01_b"]


def test_the_pack_notebooks_carry_a_cost():
    from salesnb.report.runner import start_order
    from tests.test_runner import ROOT

    nbs = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for p in nbs:
        assert nbformat.read(p, as_version=4).metadata["salesnb"]["cost"] > 0, p.name
    assert start_order(nbs)[0].stem == "03_market_trends"


def test_close_with_abort_tells_running_tasks_to_stop():
    """An error or interrupt outside :meth:`_Jobs.results` (e.g. while the scorecards are planned):
    close(abort=True) sets the stop event (a running notebook's kernel is shut down, a queued one
    never starts) instead of waiting for the running tasks to end by themselves."""
    stop = _Stop()
    jobs = _Jobs(1, stop, set())
    running = jobs.add(0, stop.event.wait, 60)
    queued = jobs.add(1, lambda: "never")
    while not running.running():
        pass
    jobs.close(abort=True)
    assert running.result() is True and queued.cancelled() and stop.event.is_set()


def test_a_second_stage_runs_while_the_job_thread_takes_the_next_task():
    """``then=`` (a notebook's page export) runs on the finishing thread: the only job thread starts
    the next task (the next notebook) before the first task's second stage has ended, and the first
    task's future is done only after its second stage."""
    next_started, export_may_end = threading.Event(), threading.Event()

    def export(result: str) -> str:
        assert export_may_end.wait(30), "the second stage was never released"
        return f"{result}+page"

    def second() -> str:
        next_started.set()
        return "b"

    jobs = _Jobs(1, _Stop(), set())
    try:
        fa = jobs.add(0, lambda: "a", then=export)
        fb = jobs.add(1, second)
        assert next_started.wait(30), "the job thread waited for the first task's second stage"
        assert not fa.done()
        export_may_end.set()
        assert jobs.results([fa, fb]) == ["a+page", "b"]
    finally:
        jobs.close()


def test_an_error_in_a_second_stage_fails_its_task_and_cancels_the_queue():
    stop = _Stop()
    jobs = _Jobs(1, stop, set())

    def export(result):
        raise OSError(f"disk full while writing {result}")

    try:
        release = _blocked(jobs)
        bad = jobs.add(0, lambda: "page", then=export)
        later = jobs.add(1, lambda: "never", after=bad)
        release.set()
        with pytest.raises(OSError, match="disk full while writing page"):
            jobs.results([bad])
        assert stop.event.is_set() and later.cancelled()
    finally:
        jobs.close()
    assert not any(t.is_alive() for t in jobs._threads)
