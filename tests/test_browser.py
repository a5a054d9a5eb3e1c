"""Every HTML page of a demo run, opened in headless Chromium: clean, offline, code-free and safe.

The demo company gets hostile names (``<script>alert(1)</script>``, ``<img src=x onerror=alert(1)>``)
for its largest customers and two reps. The runner builds the pack; a zh-CN executive summary is added
beside it; then each page (index, summary in both languages, the detail pages, the leadership pack) is
loaded through the Chrome DevTools protocol and must show:

- no console error, no uncaught exception, no CSP violation;
- no request other than ``file:`` / ``data:`` (everything offline);
- no code cell or prompt visible;
- every image loaded (an injected ``<img src=x>`` would be a broken image);
- no injected script ran (no dialog opened, no ``<script>`` element and no ``on*`` attribute in the DOM),
  and the hostile names, where a page shows them, appear as text.

Screenshots of the summary in English and Chinese go to ``test-artifacts/`` (git-ignored).

The DevTools client is ~60 lines over ``websocket-client`` (``--remote-debugging-port=0`` and the port
read from ``DevToolsActivePort``). Which detail notebooks run: ``SALESNB_BROWSER_NOTEBOOKS``
(comma-separated), default those of :data:`DETAIL` that exist; the summary always runs.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT, skip_unless_ci

pytestmark = pytest.mark.slow

HOSTILE = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
DETAIL = ("00_data_overview", "04_customer_segmentation", "05_risk_monitoring")
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-default-apps",
         "--disable-extensions", "--mute-audio", "--hide-scrollbars")

websocket = pytest.importorskip("websocket", reason="websocket-client is needed for the browser test")


def _chromium() -> str | None:
    env = os.environ.get("SALESNB_CHROMIUM")
    if env:
        return env
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
                None)


# ------------------------------------------------------------------------ a small CDP client
class Browser:
    """Headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(self, exe: str, *, width: int = 1200, height: int = 900) -> None:
        self.profile = tempfile.mkdtemp(prefix="salesnb-browser-")
        self.proc = subprocess.Popen(
            [exe, *FLAGS, "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not start (no DevToolsActivePort)")
            time.sleep(0.1)
        port = int(port_file.read_text().splitlines()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            pages = [p for p in json.load(r) if p.get("type") == "page"]
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60,
                                              suppress_origin=True)
        self._id = 0
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def call(self, method: str, **params):
        self._id += 1
        msg_id = self._id
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self._event(msg)

    def _event(self, msg: dict) -> None:
        if "method" not in msg:
            return
        self.events.append(msg)
        if msg["method"] == "Page.javascriptDialogOpening":  # an alert() ran: record, dismiss
            self.ws.send(json.dumps({"id": 0, "method": "Page.handleJavaScriptDialog",
                                     "params": {"accept": False}}))

    def open(self, url: str, *, timeout: float = 60) -> list[dict]:
        """Navigate and wait for the load event; returns the events of this page load."""
        self.events = []
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while not any(e["method"] == "Page.loadEventFired" for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not load in {timeout} s")
            self._event(json.loads(self.ws.recv()))
        self.call("Runtime.evaluate", expression="1")  # drain events queued during the load
        return list(self.events)

    def eval(self, expression: str):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"evaluate failed: {r['exceptionDetails']}")
        return r["result"].get("value")

    def screenshot(self, path: Path) -> None:
        height = int(self.eval("Math.ceil(document.documentElement.scrollHeight)"))
        self.call("Emulation.setDeviceMetricsOverride", width=1200, height=min(height, 8000),
                  deviceScaleFactor=1, mobile=False)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        self.call("Emulation.clearDeviceMetricsOverride")

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001 - closing a half-started browser
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


# --------------------------------------------------------------------------------- fixtures
HOSTILE_REGION = "West"


def make_hostile(folder: Path) -> None:
    """Hostile names in a copy of the demo: the ten largest customers, two reps, and a region.

    The region ``West`` becomes ``<img src=x onerror=alert(1)>`` in every table (teams ``West-1`` and
    target keys follow), so the name reaches tables, charts, the risk register and the summary.
    """
    orders = pd.read_parquet(folder / "orders.parquet", columns=["customer_id", "amount"])
    top = orders.groupby("customer_id")["amount"].sum().nlargest(10).index
    cust = pd.read_parquet(folder / "customers.parquet")
    for i, cid in enumerate(top):
        cust.loc[cust["customer_id"] == cid, "name"] = f"{HOSTILE[i % 2]} {i}"
    cust.to_parquet(folder / "customers.parquet", index=False)
    reps = pd.read_parquet(folder / "reps.parquet")
    reps.loc[reps.index[:2], "name"] = list(HOSTILE)
    reps.to_parquet(folder / "reps.parquet", index=False)
    bad = HOSTILE[1]
    for path in folder.glob("*.parquet"):
        df = pd.read_parquet(path)
        changed = False
        for col in ("region", "team", "key"):
            if col in df.columns and df[col].dtype != float:
                vals = df[col].astype("string")
                new = vals.str.replace(rf"^{HOSTILE_REGION}(?=$|-)", bad, regex=True)
                if not new.equals(vals):
                    df[col] = new.astype(object).where(df[col].notna(), None)
                    changed = True
        if changed:
            df.to_parquet(path, index=False)


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = _chromium()
    if exe is None:
        skip_unless_ci("no Chromium installed (Debian: apt-get install chromium)")
    return exe


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, chromium):
    """A run of a few notebooks and the summary on a small hostile demo; plus a zh-CN summary."""
    import papermill as pm

    from salesnb.data.demo import generate
    from salesnb.report import html as report_html
    from salesnb.report.runner import run

    tmp = tmp_path_factory.mktemp("browser")
    data = generate(tmp / "demo", scale=0.05)
    make_hostile(data)
    wanted = os.environ.get("SALESNB_BROWSER_NOTEBOOKS")
    names = ([n.strip() for n in wanted.split(",") if n.strip()] if wanted else
             [n for n in DETAIL if (ROOT / "notebooks" / f"{n}.ipynb").exists()])
    t0 = time.perf_counter()
    # conftest sets MPLBACKEND=Agg for the tests; kernels inheriting it would draw no inline figures
    backend = os.environ.pop("MPLBACKEND", None)
    try:
        res = run("auto", out=tmp / "reports", overrides=[f"source={data}"],
                  only=[*names, "executive_summary"], progress=lambda m: None)
        folder = res.path
        statuses = {r.name: r.status for r in res.notebooks}
        assert statuses.get("executive_summary") == "ok", statuses
        # the summary again in Chinese, beside the English one, reading the same results
        zh_nb = folder / "executive_summary.zh-CN.ipynb"
        pm.execute_notebook(str(ROOT / "notebooks" / "executive_summary.ipynb"), str(zh_nb),
                            parameters={"month": res.month, "source": str(data), "lang": "zh-CN",
                                        "output_dir": str(folder)},
                            kernel_name="python3", cwd=str(ROOT / "notebooks"), progress_bar=False)
    finally:
        if backend is not None:
            os.environ["MPLBACKEND"] = backend
    report_html.notebook_to_html(zh_nb, folder / "executive_summary.zh-CN.html",
                                 title=f"管理层摘要 — {res.month}", back="全部报告")
    return {"folder": folder, "statuses": statuses, "seconds": time.perf_counter() - t0}


@pytest.fixture(scope="module")
def browser(chromium):
    b = Browser(chromium)
    yield b
    b.close()


# ------------------------------------------------------------------------------------ checks
CHECKS = r"""(() => {
  const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const code = [...document.querySelectorAll(
      '.jp-CodeCell .jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt, .jp-CodeMirrorEditor, ' +
      '.jp-InputArea-editor, div.input_area, div.prompt')].filter(visible).length;
  const broken = [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))
      .map(i => (i.getAttribute('src') || '').slice(0, 60));
  const scripts = document.querySelectorAll('script').length;
  const handlers = [...document.querySelectorAll('*')].filter(
      e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length;
  const text = document.body ? document.body.innerText : '';
  return {code, broken, images: document.images.length, scripts, handlers,
          hostile_text: %s.map(h => text.split(h).length - 1),
          title: document.title, chars: text.length};
})()"""


def _problems(events: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"console": [], "requests": [], "dialogs": []}
    for e in events:
        m, p = e["method"], e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            out["console"].append(" ".join(str(a.get("value", a.get("description", "")))
                                           for a in p.get("args", [])))
        elif m == "Runtime.exceptionThrown":
            out["console"].append(p.get("exceptionDetails", {}).get("text", "exception"))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            out["console"].append(p["entry"].get("text", ""))
        elif m == "Network.requestWillBeSent":
            url = p.get("request", {}).get("url", "")
            if not url.startswith(("file:", "data:", "about:")):
                out["requests"].append(url)
        elif m == "Page.javascriptDialogOpening":
            out["dialogs"].append(p.get("message", ""))
    return out


def test_every_page_is_clean_offline_and_safe(hostile_run, browser):
    folder: Path = hostile_run["folder"]
    pages = sorted(folder.glob("*.html"))
    names = {p.name for p in pages}
    assert {"index.html", "executive_summary.html", "executive_summary.zh-CN.html",
            "leadership-pack.html"} <= names, names
    report, shown = {}, 0
    for page in pages:
        t0 = time.perf_counter()
        events = browser.open(page.resolve().as_uri())
        info = browser.eval(CHECKS % json.dumps(list(HOSTILE)))
        problems = _problems(events)
        report[page.name] = {**info, **problems, "seconds": round(time.perf_counter() - t0, 2)}
        where = f"{page.name}: {report[page.name]}"
        assert not problems["console"], where
        assert not problems["requests"], where
        assert not problems["dialogs"], where
        assert info["code"] == 0, where
        assert not info["broken"], where
        assert info["scripts"] == 0 and info["handlers"] == 0, where
        assert info["chars"] > 100, where
        shown += sum(info["hostile_text"])
        if "alert(1)" in page.read_text(encoding="utf-8"):  # a hostile name is on this page …
            assert sum(info["hostile_text"]) > 0, where  # … and it shows as text
        if page.name.startswith("executive_summary"):
            ARTIFACTS.mkdir(exist_ok=True)
            lang = "zh-CN" if "zh-CN" in page.name else "en"
            browser.screenshot(ARTIFACTS / f"executive_summary.{lang}.png")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "browser-report.json").write_text(json.dumps(
        {"statuses": hostile_run["statuses"], "run_seconds": round(hostile_run["seconds"], 1),
         "pages": report}, indent=1, ensure_ascii=False), encoding="utf-8")
    assert shown > 0, report  # at least one page shows a hostile name (as text)
    zh = report["executive_summary.zh-CN.html"]
    assert zh["title"] and (ARTIFACTS / "executive_summary.zh-CN.png").stat().st_size > 10_000


def test_summary_pages_speak_their_language(hostile_run):
    folder: Path = hostile_run["folder"]
    en = (folder / "executive_summary.html").read_text(encoding="utf-8")
    zh = (folder / "executive_summary.zh-CN.html").read_text(encoding="utf-8")
    assert "Headline figures" in en and "关键指标" not in en
    assert "关键指标" in zh and "主要风险" in zh and "Headline figures" not in zh
    pack = (folder / "leadership-pack.html").read_text(encoding="utf-8")
    assert "<script" not in pack.lower()
    assert 'http-equiv="Content-Security-Policy"' in pack
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="leadership-pack.html"' in index
