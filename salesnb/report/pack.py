"""The leadership pack: the month's code-free pages in one printable, offline HTML file (and a PDF).

``reports/<month>/leadership-pack.html`` holds a cover with a table of contents, then the executive
summary, then every detail report (its page body, without the navigation bar), each section starting on
a new A4 page when printed. Links between pages become links inside the file; ids are prefixed per
section so that headings of different reports never collide. Like the pages it is made of, it carries a
Content-Security-Policy that forbids every script and network request: it opens offline, anywhere.

With ``pdf=True`` headless Chromium prints it to ``leadership-pack.pdf`` (A4, print CSS).

The runner calls :func:`build_pack` after writing the index; the index is rewritten with a link to the
pack once the pack exists.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from salesnb.i18n import normalise, page_title, t

PACK_HTML = "leadership-pack.html"
PACK_PDF = "leadership-pack.pdf"
CSP = ("default-src 'none'; img-src data: file:; style-src 'unsafe-inline'; font-src data:;")
#: browsers tried for the PDF, after the ``SALESNB_CHROMIUM`` environment variable
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: flags for a headless, offline, throw-away browser
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--no-first-run", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--no-pdf-header-footer")

_HEAD = re.compile(r"<head[^>]*>(.*?)</head>", re.S | re.I)
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S | re.I)
_MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.S | re.I)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
_TOPBAR = re.compile(r'<div class="sn-topbar">.*?</div>', re.S)
_BACK = re.compile(r'<p><a href="index\.html">[^<]*</a></p>')
_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.S | re.I)
_HID = re.compile(r'(<h[1-6]\b[^>]*?\bid=")([^"]*)"', re.I)
_AHREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)"', re.I)
_H2 = re.compile(r'<h2[^>]*\bid="([^"]*)"[^>]*>(.*?)</h2>', re.S | re.I)
_TAG = re.compile(r"<[^>]+>")

PACK_CSS = """
  body.sn-pack { max-width: 1100px; margin: 0 auto; padding: 0 1.5em 3em;
                 font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; }
  .sn-cover h1 { border-bottom: 2px solid #1f5f8b; padding-bottom: .3em; }
  .sn-toc ol { line-height: 1.7; } .sn-toc ol ol { font-size: .92em; line-height: 1.5; }
  .sn-toc a { color: #1f5f8b; text-decoration: none; }
  .sn-status-failed { color: #c0392b; font-weight: 600; }
  .sn-section { border-top: 3px solid #1f5f8b; margin-top: 2.5em; padding-top: .5em; }
  .sn-section-head { display: flex; justify-content: space-between; font-size: 12px; color: #66707a;
                     margin-bottom: .5em; }
  .sn-section-head a { color: #1f5f8b; text-decoration: none; }
  .muted { color: #66707a; font-size: .9em; }
  .failed { color: #c0392b; font-weight: 600; }
  pre { background: #f6f8fa; padding: 1em; white-space: pre-wrap; }
  .jp-OutputArea-output img { max-width: 100%; height: auto; }
  a.anchor-link { display: none; }
  @page { size: A4; margin: 14mm; }
  @media print {
    body.sn-pack { max-width: none; padding: 0; font-size: 11pt; }
    .sn-section { break-before: page; page-break-before: always; border-top: none; margin-top: 0; }
    .sn-section-head a.sn-top { display: none; }
    .jp-Cell, .jp-OutputArea-output img, .sn-tile, tr { break-inside: avoid; page-break-inside: avoid; }
    h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
    .sn-tiles { grid-template-columns: repeat(3, 1fr) !important; }
    a { color: inherit; text-decoration: none; }
  }
"""


def _e(x: Any) -> str:
    return html.escape(str(x))


def _section_body(page: str) -> str:
    """The body of one page without the navigation bar, scripts removed (there are none)."""
    m = _MAIN.search(page) or _BODY.search(page)
    body = m.group(1) if m else ""
    body = _TOPBAR.sub("", body, count=1)
    body = _BACK.sub("", body, count=1)
    return _SCRIPT.sub("", body)


def _rewrite(body: str, name: str, names: set[str]) -> str:
    """Prefix ids with the section; point links to other pages of the pack inside the file."""
    body = _HID.sub(lambda m: f'{m.group(1)}{_e(name)}--{m.group(2)}"', body)

    def href(m: re.Match) -> str:
        target = html.unescape(m.group(2))
        if target.startswith("#"):
            new = f"#{name}--{target[1:]}"
        else:
            page, _, frag = target.partition("#")
            stem = page[:-5] if page.endswith(".html") and "/" not in page else None
            if stem in names:
                new = f"#{stem}--{frag}" if frag else f"#sec-{stem}"
            elif page == "index.html":
                new = "#sn-contents"
            else:
                return m.group(0)
        return f'{m.group(1)}{_e(new)}"'

    return _AHREF.sub(href, body)


def _headings(body: str) -> list[tuple[str, str]]:
    """(id, text) of the section's second-level headings, ids as rewritten."""
    out = []
    for hid, inner in _H2.findall(body):
        text = html.unescape(_TAG.sub("", inner)).replace("¶", "").strip()
        if text:
            out.append((hid, text))
    return out


def _styles(pages: list[str]) -> str:
    """The style sheets of the nbconvert pages (identical on every page), once."""
    seen: list[str] = []
    for page in pages:
        m = _HEAD.search(page)
        if not m:
            continue
        for style in _STYLE.findall(m.group(1)):
            if style not in seen:
                seen.append(style)
        if seen:
            break
    return "\n".join(seen)


def _lang(build_dir: Path, manifest: dict[str, Any] | None = None) -> str:
    if manifest and manifest.get("lang"):
        try:
            return normalise(manifest["lang"])
        except ValueError:
            pass
    try:
        doc = json.loads((build_dir / "executive_summary.results.json").read_text(encoding="utf-8"))
        return normalise(doc.get("results", {}).get("lang", "en"))
    except (OSError, ValueError):
        return "en"


def pack_html(build_dir: Path, manifest: dict[str, Any]) -> str:
    """The leadership pack of a run folder as one HTML document (see the module docstring)."""
    lang = _lang(build_dir, manifest)
    month = str(manifest.get("month", ""))
    entries = [nb for nb in manifest.get("notebooks", []) if (build_dir / f"{nb['name']}.html").exists()]
    names = {nb["name"] for nb in entries}
    pages, sections, toc = [], [], []
    for nb in entries:
        name = nb["name"]
        page = (build_dir / f"{name}.html").read_text(encoding="utf-8")
        pages.append(page)
        body = _rewrite(_section_body(page), name, names)
        title = page_title(name, lang) if name.startswith(("0", "executive")) else (
            nb.get("title") or name)
        ok = nb.get("status") == "ok"
        state = "" if ok else f' <span class="sn-status-failed">({_e(t("status.failed", lang))})</span>'
        subs = "".join(f'<li><a href="#{_e(hid)}">{_e(text)}</a></li>' for hid, text in _headings(body))
        toc.append(f'<li><a href="#sec-{_e(name)}">{_e(title)}</a>{state}'
                   + (f"<ol>{subs}</ol>" if subs else "") + "</li>")
        sections.append(
            f'<section class="sn-section" id="sec-{_e(name)}">'
            f'<div class="sn-section-head"><span>{_e(title)} — {_e(month)}</span>'
            f'<a class="sn-top" href="#sn-contents">&#8593; {_e(t("h.contents", lang))}</a></div>'
            f"{body}</section>"
        )
    heading = f"{t('h.pack', lang)} — {month}"
    meta = (f'{_e(manifest.get("source", ""))} · {_e(t("as_of", lang, date=manifest.get("as_of", "")))} '
            f'· {_e(str(manifest.get("data_fingerprint", ""))[:12])} · {_e(manifest.get("finished", ""))}')
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{_e(heading)}</title>\n{_styles(pages)}\n"
        f'<style type="text/css">{PACK_CSS}</style>\n</head>\n'
        '<body class="jp-Notebook sn-pack" data-jp-theme-light="true" '
        'data-jp-theme-name="JupyterLab Light">\n'
        f'<div class="sn-cover"><h1>{_e(heading)}</h1><p class="muted">{meta}</p>'
        f'<nav class="sn-toc" id="sn-contents"><h2>{_e(t("h.contents", lang))}</h2>'
        f'<ol>{"".join(toc)}</ol></nav></div>\n'
        + "\n".join(sections)
        + "\n</body></html>\n"
    )


def find_browser() -> str | None:
    """A Chromium executable: ``$SALESNB_CHROMIUM`` or the first of :data:`BROWSERS` on PATH."""
    env = os.environ.get("SALESNB_CHROMIUM")
    if env:
        return env
    return next((p for p in map(shutil.which, BROWSERS) if p), None)


def print_pdf(html_path: Path, pdf_path: Path, *, timeout: int = 180) -> Path:
    """Print an HTML file to PDF with headless Chromium (A4 from the page's ``@page`` rule).

    Raises
    ------
    RuntimeError
        When no Chromium is installed or printing fails.
    """
    browser = find_browser()
    if browser is None:
        raise RuntimeError("PDF: no Chromium found (install Debian's chromium or set SALESNB_CHROMIUM)")
    with tempfile.TemporaryDirectory(prefix="salesnb-chromium-") as profile:
        cmd = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
               f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"PDF: Chromium did not finish within {timeout} s") from exc
    if proc.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise RuntimeError(f"PDF: Chromium failed (exit {proc.returncode}): {proc.stderr[-500:]}")
    return pdf_path


def build_pack(build_dir: Path, manifest: dict, *, pdf: bool = False) -> Path:
    """Write ``leadership-pack.html`` (and with ``pdf`` the PDF) into the run folder.

    The index is rewritten with links to what was written. Returns the HTML path.
    """
    from salesnb.report import html as report_html

    build_dir = Path(build_dir)
    out = build_dir / PACK_HTML
    out.write_text(pack_html(build_dir, manifest), encoding="utf-8")
    links = {"html": PACK_HTML}
    (build_dir / "index.html").write_text(
        report_html.index_page({**manifest, "leadership_pack": links}), encoding="utf-8")
    if pdf:
        print_pdf(out, build_dir / PACK_PDF)
        links["pdf"] = PACK_PDF
        (build_dir / "index.html").write_text(
            report_html.index_page({**manifest, "leadership_pack": links}), encoding="utf-8")
    return out
