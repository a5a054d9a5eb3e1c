"""HTML for leaders: executed notebooks without code or prompts, error pages and the index.

Pages open offline: the ``salesnb`` template removes every external script (require.js, MathJax,
mermaid, widget loaders), images are inlined as data URIs, and a Content-Security-Policy forbids any
script or network request. All text taken from data or parameters is HTML-escaped.
"""

from __future__ import annotations

import html
import re
import threading
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor

from salesnb.context import RESULT_MIME
from salesnb.i18n import STRINGS, normalise, t

TEMPLATES = Path(__file__).parent / "templates"


class _DropNoise(Preprocessor):
    """Remove stderr streams, warnings and cells tagged ``remove_cell`` from the leader page."""

    def preprocess(self, nb, resources):
        cells = []
        for cell in nb.cells:
            tags = cell.get("metadata", {}).get("tags", [])
            if "remove_cell" in tags:
                continue
            if cell.cell_type == "code":
                cell.outputs = [
                    o for o in cell.get("outputs", [])
                    if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                    and not (set(o.get("data", {})) == {RESULT_MIME})
                ]
            cells.append(cell)
        nb.cells = cells
        return nb, resources


def notebook_lang(nb) -> str:
    """The ``lang`` parameter an executed notebook ran with (papermill's metadata); ``"en"`` if none."""
    params = nb.get("metadata", {}).get("papermill", {}).get("parameters", {}) or {}
    try:
        return normalise(params.get("lang"))
    except ValueError:
        return "en"


def markdown_text(cell, lang: str) -> str:
    """A Markdown cell's text in ``lang``: its ``metadata.salesnb[lang]`` when present, else its source."""
    if lang != "en":
        text = (cell.get("metadata", {}).get("salesnb") or {}).get(lang)
        if isinstance(text, str) and text.strip():
            return text
    return cell.source


class _Translate(Preprocessor):
    """Swap each Markdown cell's text for its translation in the run's language.

    Markdown cells keep the English text in their source and the Chinese in their metadata
    (``{"salesnb": {"zh-CN": "..."}}``); the language is the ``lang`` parameter papermill recorded.
    """

    def preprocess(self, nb, resources):
        lang = notebook_lang(nb)
        resources["language_code"] = lang
        if lang != "en":
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    cell.source = markdown_text(cell, lang)
        return nb, resources


NO_ALT = "No description has been provided for this image"  # nbconvert's words for an image without one
_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\salt=)")
_FOCUSABLE = re.compile(r'(<div class="(?:[^"<>]*\s)?(?:jp-Cell-inputWrapper|jp-OutputArea-output)(?:\s[^"<>]*)?")'
                        r'(?![^>]*\stabindex=)')


_TEXT = re.compile(r">[^<>]*&[^<>]*<")
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _as_itself(ref: re.Match) -> str:
    """A character reference in text as its character; ``&lt;``, ``&gt;`` and ``&amp;`` (and
    whatever resolves to them) stay references."""
    char = html.unescape(ref.group())
    return ref.group() if char in ("<", ">", "&") or char == ref.group() else char


def accessible(body: str) -> str:
    """What nbconvert's HTML exporter adds to a page after rendering it, without parsing the page.

    nbconvert parses every page it renders with BeautifulSoup to give an image without a text
    alternative its "no description" alt and each cell's text and output ``tabindex="0"`` (so a
    keyboard reaches them), then prints the tree again, text as its characters: 70 % of a
    scorecard's export. The template writes every tag these touch, so patterns over the rendered
    text do the same (``tests/test_runner.py::test_pages_equal_nbconvert_s_without_its_parse``
    compares the pages element by element).
    """
    body = _IMG_WITHOUT_ALT.sub(f'<img alt="{NO_ALT}"', body)
    body = _FOCUSABLE.sub(r'\1 tabindex="0"', body)
    # text as its characters ("at least this long", the rep's, a Chinese heading 数据概览), not as
    # the references a note or the Markdown renderer wrote: the page's text is searchable as it reads
    return _TEXT.sub(lambda m: _REFERENCE.sub(_as_itself, m.group()), body)


class PageExporter(HTMLExporter):
    """nbconvert's HTML exporter without its BeautifulSoup pass (see :func:`accessible`)."""

    def from_notebook_node(self, nb, resources=None, **kw):  # noqa: D102 - as HTMLExporter's
        info = nb.metadata.get("language_info", {})
        lexer = info.get("pygments_lexer", info.get("name", None))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return accessible(body), resources


def exporter() -> HTMLExporter:
    """A new nbconvert exporter for code-free, offline pages (see :func:`cached_exporter`)."""
    ex = PageExporter(
        template_name="salesnb",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        # validate the notebook once after all preprocessors, not after each of them (the page
        # is the same; fourteen schema checks of a notebook full of images were a third of the export)
        optimistic_validation=True,
    )
    ex.register_preprocessor(_Translate(), enabled=True)
    ex.register_preprocessor(_DropNoise(), enabled=True)
    return ex


_EXPORTERS = threading.local()


def cached_exporter() -> HTMLExporter:
    """The exporter of this thread, made once and reused for every page it exports.

    Making an exporter loads and compiles the template (a large part of exporting one page); the
    runner exports dozens of pages. One per thread, because an exporter registers per-page filters
    on itself while it exports and so cannot export two pages at once.
    """
    ex = getattr(_EXPORTERS, "exporter", None)
    if ex is None:
        ex = _EXPORTERS.exporter = exporter()
    return ex


def notebook_to_html(nb_path: Path, html_path: Path, *, title: str = "", back: str = "",
                     nb: nbformat.NotebookNode | None = None) -> None:
    """Export an executed notebook to a code-free offline HTML page (in the language it ran in).

    ``nb``: the notebook already read from ``nb_path`` (the runner reads it once per page).
    """
    nb = nb if nb is not None else nbformat.read(nb_path, as_version=4)
    back = back or t("nav.all", notebook_lang(nb))
    body, _ = cached_exporter().from_notebook_node(
        nb, resources={"sn_title": title, "sn_back": back, "metadata": {"name": title or nb_path.stem}}
    )
    html_path.write_text(body, encoding="utf-8")


PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: file:; style-src 'unsafe-inline';">
<title>{title}</title>
<style>
 body {{ font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif;
        max-width: 1000px; margin: 2em auto; padding: 0 1.5em; color: #1d2630; }}
 h1 {{ border-bottom: 2px solid #1f5f8b; padding-bottom: .3em; }}
 table {{ border-collapse: collapse; width: 100%; margin: 1em 0; }}
 th, td {{ text-align: left; padding: .45em .7em; border-bottom: 1px solid #dde3ea; }}
 th {{ background: #eef2f6; }}
 td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
 .ok {{ color: #2e8b57; font-weight: 600; }} .failed {{ color: #c0392b; font-weight: 600; }}
 .muted {{ color: #66707a; font-size: .9em; }}
 pre {{ background: #f6f8fa; padding: 1em; overflow-x: auto; white-space: pre-wrap; }}
 a {{ color: #1f5f8b; }}
 ul.sn-grid {{ columns: 16em auto; padding-left: 1.2em; }}
 @page {{ size: A4; margin: 14mm; }}
</style></head><body>
{body}
</body></html>
"""


def page(title: str, body: str, *, lang: str = "en") -> str:
    """A small self-contained page (``body`` is trusted HTML; escape data before passing it)."""
    return PAGE.format(title=html.escape(title), body=body, lang=html.escape(lang))


def error_page(name: str, *, cell_index: int | None, ename: str, evalue: str,
               source: str = "") -> str:
    """The page a failed notebook gets instead of its report: which cell failed and why."""
    e = html.escape
    cell = f"cell [{cell_index}]" if cell_index is not None else "an unknown cell"
    body = (
        f'<p><a href="index.html">&#8592; All reports</a></p>'
        f"<h1>{e(name)}: this report failed</h1>"
        f'<p class="failed">{e(ename)} in {e(cell)}</p>'
        f'<pre class="sn-error">{e(evalue)}</pre>'
        + (f'<h3>The failing cell</h3><pre class="sn-source">{e(source)}</pre>' if source else "")
        + f'<p class="muted">The executed notebook with the full traceback is kept as '
        f'<a href="{e(name)}.ipynb">{e(name)}.ipynb</a> for the analysts.</p>'
    )
    return page(f"{name} — failed", body)


def index_page(manifest: dict[str, Any]) -> str:
    """The month's index: one row per notebook with status, seconds and links (in the run's language)."""
    e = html.escape
    try:
        lang = normalise(manifest.get("lang"))
    except ValueError:
        lang = "en"
    rows = []
    for nb in manifest["notebooks"]:
        status = nb["status"]
        cls = "ok" if status == "ok" else "failed"
        links = [f'<a href="{e(nb["name"])}.html">{e(t("idx.page", lang))}</a>',
                 f'<a href="{e(nb["name"])}.ipynb">{e(t("idx.notebook", lang))}</a>']
        if status == "ok":
            links.append(f'<a href="{e(nb["name"])}.results.json">{e(t("idx.results", lang))}</a>')
        links += [f'<a href="{e(a)}">{e(a)}</a>' for a in nb.get("artifacts", [])]
        detail = "" if status == "ok" else f'<div class="muted sn-error">{e(nb.get("error", ""))}</div>'
        shown = t(f"status.{status}", lang) if f"status.{status}" in STRINGS else status
        rows.append(
            f'<tr><td><a href="{e(nb["name"])}.html">{e(nb.get("title") or nb["name"])}</a>{detail}</td>'
            f'<td class="{cls}">{e(shown)}</td><td class="num">{nb["seconds"]:.1f}</td>'
            f'<td>{" · ".join(links)}</td></tr>'
        )
    extra = ""
    for section in manifest.get("sections", []):
        items = "".join(f'<li><a href="{e(h)}">{e(x)}</a></li>' for x, h in section["links"])
        extra += f"<h2>{e(section['title'])}</h2><ul class=\"sn-grid\">{items}</ul>"
        if section.get("note"):  # e.g. the reps who got no scorecard, and why
            extra += f'<p class="muted">{e(section["note"])}</p>'
    pack = manifest.get("leadership_pack") or {}
    pack_link = ""
    if pack.get("html"):
        pdf = f' · <a href="{e(pack["pdf"])}">PDF</a>' if pack.get("pdf") else ""
        pack_link = (f'<p class="sn-pack-link"><a href="{e(pack["html"])}"><strong>{e(t("h.pack", lang))}'
                     f'</strong></a> — {e(t("idx.pack", lang))}{pdf}</p>')
    n_failed = sum(nb["status"] != "ok" for nb in manifest["notebooks"])
    state = (f'<p class="failed">{e(t("idx.failed", lang, n=n_failed))}</p>' if n_failed
             else f'<p class="ok">{e(t("idx.all_ok", lang))}</p>')
    head = "".join(f"<th>{e(t(k, lang))}</th>" for k in ("col.report", "col.status", "idx.seconds",
                                                          "idx.files"))
    meta = t("idx.meta", lang, source=manifest["source"], as_of=str(manifest.get("as_of", "")),
             fingerprint=manifest["data_fingerprint"][:12], finished=manifest["finished"])
    title = t("idx.title", lang, month=manifest["month"])
    body = (
        f"<h1>{e(title)}</h1>{state}{pack_link}"
        f'<p class="muted">{e(meta)}</p>'
        f"<table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{extra}"
        f'<p class="muted"><a href="manifest.json">manifest.json</a> {e(t("idx.manifest", lang))}</p>'
    )
    return page(title, body, lang=lang)
