"""The runner's delivery hooks: BI extracts as the notebooks finish, the e-mail sent-log before
publication, ``reports/latest`` after.

Both are conveniences beside the report: they report a failure as a progress line and never fail
the run (the pages stand alone).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def start_extracts(build: Path, *, month: str, progress: Callable[[str], None] = print):
    """Start the BI extracts (``bi/``: Hyper, Parquet, CSV) of the build folder.

    The runner adds each notebook as it finishes (:meth:`salesnb.deliver.bi.Extracts.add`), so the
    extraction runs beside the other notebooks, and calls :func:`finish_extracts` once every
    notebook of the month has published (the scorecards, which the extracts do not read, may still
    be running). ``None`` when the extracts cannot start (reported); the pages stand alone.
    """
    from salesnb.deliver import bi

    try:
        return bi.Extracts(build, month=month, progress=progress)
    except Exception as exc:  # noqa: BLE001 - extracts are a convenience; the pages stand alone
        progress(f"bi: extracts failed: {type(exc).__name__}: {exc}")
        return None


def finish_extracts(extracts, *, progress: Callable[[str], None] = print) -> None:
    """Finish what :func:`start_extracts` began; a failure is reported (no ``bi/`` is left) and the
    pages stand alone."""
    if extracts is None:
        return
    try:
        extracts.finish()
    except Exception as exc:  # noqa: BLE001 - extracts are a convenience; the pages stand alone
        progress(f"bi: extracts failed: {type(exc).__name__}: {exc}")


def before_publish(build: Path, *, month: str, progress: Callable[[str], None] = print) -> None:
    """Carry the month's e-mail sent-log over from its earlier run into the build folder (so a rerun
    does not mail everyone again)."""
    import shutil

    from salesnb.deliver import mail

    earlier = build.parent / month / mail.SENT_LOG
    if earlier.is_file() and not (build / mail.SENT_LOG).exists():
        shutil.copy2(earlier, build / mail.SENT_LOG)


def after_publish(reports: Path, *, progress: Callable[[str], None] = print) -> None:
    """Point ``reports/latest`` at the newest good month."""
    from salesnb.deliver import bi

    try:
        newest = bi.update_latest(reports)
        if newest is not None:
            progress(f"latest: {reports / bi.LATEST} -> {newest.name}")
    except OSError as exc:
        progress(f"latest: not updated: {exc}")
