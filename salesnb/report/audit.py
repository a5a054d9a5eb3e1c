"""Audit a published run: raw Python output on pages, and which sections computed or skipped.

Every output a leader sees must be a formatted table, a chart, a note or markdown. Two checks find the
exceptions in the code-free HTML pages of a run:

- :func:`find_python_reprs` scans the visible text of a page for the marks of a Python repr: dict or
  list literals, a pandas ``Series`` footer (``Name: x, dtype: float64``), ``<Axes ...>``,
  ``<matplotlib...>``, ``Timestamp(...)``, ``np.float64(...)``, and floats printed with six or more
  decimals (a bare ``0.20924908424908426``, or ``100.000000`` from a table column left unformatted);
- :func:`count_notes` counts the ``sn.note`` boxes of a page by kind, and how many of them say a
  section was skipped;
- on a page in another language, :func:`find_untranslated` lists runs of English words.

:func:`audit_run` applies both to every page of a run folder and reads ``manifest.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

#: (name, pattern) of the marks of a raw Python repr in visible text
REPR_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dict literal", re.compile(r"\{\s*['\"][^'\"\n]{1,80}['\"]\s*:")),
    ("list literal", re.compile(r"\[\s*(?:['\"][^'\"\n]{0,80}['\"]|-?\d+(?:\.\d+)?)\s*,\s*"
                                r"(?:['\"]|-?\d)")),
    ("pandas dtype", re.compile(r"\bdtype:\s*\w+|\bdtype\(")),
    ("pandas Name:", re.compile(r"(?m)^\s*Name:\s*\S.*(?:,\s*dtype:|$)")),
    ("matplotlib object", re.compile(r"<(?:Axes|Figure|matplotlib)[\s.:]")),
    ("object repr", re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>")),
    ("Timestamp(", re.compile(r"\b(?:Timestamp|Timedelta|Period|datetime\.date|datetime\.datetime)\(")),
    ("numpy scalar", re.compile(r"\bnp\.(?:float|int|bool|str)\w*\(|\barray\(\[")),
    ("long float", re.compile(r"(?<![\w.])-?\d+\.\d{6,}(?![\d])")),
    # "None of the 28,871 customers…" is English, not Python's None
    ("NaN", re.compile(r"(?<![\w-])(?:nan|NaN|<NA>|NaT|None(?! of\b))(?![\w-])")),
)

#: words by which a note says a section did not compute
SKIP_WORDS = re.compile(
    # ("cannot be negative" states a fact, not a section that did not compute)
    r"skip|not available|cannot(?! be negative)|could not|too (?:few|little|short)|fewer than|at least|needs? |"
    r"no \w+ (?:table|column|data)|missing|not enough|unavailable|left out|not estimated|"
    r"not published|fallback|falls? back|fell back|not shown|shown, but [^.;:]*? (?:is|are) not\b|"
    # the same in Chinese (zh_CN's wording of those notes): "无商机表", "不可用", "需要", "略去"...
    # (完整无缺失, "complete, nothing missing", is no skip; 未能 is "could not")
    r"跳过|无法|未能|不足|缺少|(?<!无)缺失|不可用|未发布|不发布|需要|略去|未计入|未列出|不予列出|不使用|"
    r"少于|过少|太少|不显示|未显示|不予显示|无[^，。：；、\s]{0,12}?(?:表|列|数据)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReprFinding:
    """One raw-Python mark on a page."""

    kind: str
    excerpt: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.excerpt!r}"


class _Text(HTMLParser):
    """Visible text chunks (outside style/script/head), plus notes and plain-text outputs."""

    _HIDDEN = {"style", "script", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.notes: list[tuple[str, str]] = []  # (kind, text)
        self.plain_outputs: list[str] = []
        self._hidden = 0
        self._stack: list[tuple[str, str | None, str | None, bool]] = []  # tag, note, plain, hides
        self._note: list[str] | None = None
        self._note_kind = ""
        self._plain: list[str] | None = None
        #: h2 sections: [title, skip notes, tables + images]
        self.sections: list[list] = [["", 0, 0]]
        self._h2: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "meta", "link", "hr", "input"):
            return
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "img" and not self._hidden:
            self.sections[-1][2] += 1
            return
        note_kind = plain = None
        if tag == "h2" and not self._hidden:
            self._h2 = []
        if tag in ("table", "svg") and not self._hidden:
            self.sections[-1][2] += 1
        # sn-source / sn-error: a failed notebook's code and error message (the failure itself is
        # reported by the run's status, not as raw Python on a page)
        hides = tag in self._HIDDEN or "sn-source" in cls or "sn-error" in cls
        if hides:
            self._hidden += 1
        if "sn-note" in cls and self._note is None:
            note_kind = next((c[3:] for c in cls if c.startswith("sn-") and c != "sn-note"), "info")
            self._note, self._note_kind = [], note_kind
        if a.get("data-mime-type") in ("text/plain", "application/vnd.jupyter.stdout",
                                       "application/vnd.jupyter.stderr") and self._plain is None:
            plain = a["data-mime-type"]
            self._plain = []
        self._stack.append((tag, note_kind, plain, hides))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            t, note_kind, plain, hides = self._stack.pop()
            if hides:
                self._hidden -= 1
            if note_kind is not None and self._note is not None:
                text = " ".join("".join(self._note).split())
                self.notes.append((self._note_kind, text))
                if self._note_kind == "skip" or SKIP_WORDS.search(text):
                    self.sections[-1][1] += 1
                self._note = None
            if t == "h2" and self._h2 is not None:
                self.sections.append([" ".join("".join(self._h2).split()).rstrip("¶"), 0, 0])
                self._h2 = None
            if plain is not None and self._plain is not None:
                self.plain_outputs.append("".join(self._plain).strip())
                self._plain = None
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.chunks.append(data)
        if self._note is not None:
            self._note.append(data)
        if self._plain is not None:
            self._plain.append(data)
        if self._h2 is not None:
            self._h2.append(data)


def _parse(html: str) -> _Text:
    p = _Text()
    p.feed(html)
    p.close()
    return p


def visible_text(html: str) -> str:
    """The text a reader sees on a page: tags, styles, scripts and attributes removed."""
    return "\n".join(_parse(html).chunks)


#: four or more English words in a row (single letters do not count: ``ETS(M,N,M)`` is a name)
ENGLISH_RUN = re.compile(r"[A-Za-z]{3,}(?:[,;:)]*\s+\(?[A-Za-z]{2,}){3,}")
_CODE = re.compile(r"<(code|pre)\b.*?</\1>", re.S | re.I)
_LANG = re.compile(r"<html[^>]*\blang=\"([^\"]+)\"", re.I)


def page_lang(html: str) -> str:
    """The page's language (``<html lang=...>``; ``"en"`` when it does not say)."""
    m = _LANG.search(html[:2000])
    return m.group(1) if m else "en"


def find_untranslated(html: str) -> list[str]:
    """Runs of four or more English words in the visible text, code left out: on a page in another
    language, text nobody translated (an f-string, a cell without its translation) — or data that
    is English (product names), which a reader tells apart."""
    return [m for chunk in _parse(_CODE.sub(" ", html)).chunks for m in ENGLISH_RUN.findall(chunk)]


def find_python_reprs(html: str, *, context: int = 40) -> list[ReprFinding]:
    """Marks of raw Python output in the visible text of an HTML page.

    Parameters
    ----------
    html : str
        A page (the runner's code-free notebook HTML, the index, the leadership pack).
    context : int
        Characters of text shown either side of each mark.

    Returns
    -------
    list of ReprFinding
        One per mark, plus one ``plain-text output`` per output cell rendered as plain text or a
        stream (every leader output is a table, a chart, a note or markdown).
    """
    p = _parse(html)
    text = "\n".join(p.chunks)
    out: list[ReprFinding] = []
    for kind, pattern in REPR_PATTERNS:
        for m in pattern.finditer(text):
            a, b = max(0, m.start() - context), min(len(text), m.end() + context)
            out.append(ReprFinding(kind, " ".join(text[a:b].split())))
    for s in p.plain_outputs:
        if s:
            out.append(ReprFinding("plain-text output", " ".join(s.split())[: 2 * context + 40]))
    return out


def count_notes(html: str) -> dict[str, int]:
    """Notes on a page: ``{"notes": n, "skipped": n, "<kind>": n, ...}``.

    A note counts as *skipped* when its kind is ``skip`` or its text says a section did not compute
    (:data:`SKIP_WORDS`: "skipped", "needs 24 months", "No opportunities table", ...).
    """
    counts: dict[str, int] = {"notes": 0, "skipped": 0}
    for kind, text in _parse(html).notes:
        counts["notes"] += 1
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "skip" or SKIP_WORDS.search(text):
            counts["skipped"] += 1
    return counts


def sections(html: str) -> list[tuple[str, str]]:
    """The ``<h2>`` sections of a page as ``(title, state)``.

    ``state`` is ``"computed"`` (no note says something was skipped), ``"partial"`` (a skip note
    beside tables or charts) or ``"skipped"`` (a skip note and no table or chart).
    """
    out = []
    for title, skips, shown in _parse(html).sections[1:]:
        state = "computed" if not skips else ("partial" if shown else "skipped")
        out.append((title, state))
    return out


def notes(html: str) -> list[tuple[str, str]]:
    """The notes of a page as ``(kind, text)``."""
    return _parse(html).notes


@dataclass
class RunAudit:
    """What :func:`audit_run` found in one run folder."""

    folder: Path
    status: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    reprs: dict[str, list[ReprFinding]] = field(default_factory=dict)
    notes: dict[str, dict[str, int]] = field(default_factory=dict)
    sections: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: pages in another language than English: their runs of English words
    english: dict[str, list[str]] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        return sorted(k for k, v in self.status.items() if v != "ok")

    @property
    def skipped(self) -> int:
        """Skip notes on the notebook pages."""
        return sum(n.get("skipped", 0) for k, n in self.notes.items() if k[:-5] in self.status)

    def section_counts(self) -> dict[str, int]:
        """Sections of the notebook pages by state (failed pages count as ``failed``)."""
        out = {"computed": 0, "partial": 0, "skipped": 0, "failed": 0}
        for page, secs in self.sections.items():
            name = page[:-5]
            if name not in self.status:
                continue
            if self.status[name] != "ok":
                out["failed"] += 1
                continue
            for _, state in secs:
                out[state] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "status": self.status, "errors": self.errors,
                "seconds": self.seconds, "notes": self.notes, "sections": self.sections,
                "section_counts": self.section_counts(),
                "reprs": {k: [str(f) for f in v] for k, v in self.reprs.items() if v},
                "english": {k: v for k, v in self.english.items() if v}}


def audit_run(folder: str | Path) -> RunAudit:
    """Read ``manifest.json`` and audit every HTML page of a published run folder."""
    folder = Path(folder)
    res = RunAudit(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    for nb in manifest.get("notebooks", []):
        name = nb.get("name", "?")
        res.status[name] = nb.get("status", "?")
        res.seconds[name] = float(nb.get("seconds") or 0.0)
        if nb.get("status") != "ok":
            res.errors[name] = " ".join(str(nb.get(k) or "") for k in ("ename", "evalue", "error")
                                        ).strip()
    for page in sorted(folder.rglob("*.html")):
        html = page.read_text(encoding="utf-8", errors="replace")
        key = str(page.relative_to(folder))
        res.reprs[key] = find_python_reprs(html)
        res.notes[key] = count_notes(html)
        res.sections[key] = sections(html)
        if page_lang(html) != "en":
            res.english[key] = find_untranslated(html)
    return res
