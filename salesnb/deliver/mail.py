"""E-mail the month's pack: leaders get the executive summary and the leadership pack, each rep their
own scorecard (``salesnb send``, ``salesnb run ... --send``).

- **Who**: a YAML distribution list (``params/delivery.yaml`` by default; see
  ``examples/delivery.yaml``) names the leaders (address, optional name and language) and which reps
  get their scorecard (``reps: all`` or a list of rep ids). Rep addresses come from the ``email``
  column of the ``reps`` table (optional in the data contract) or from a ``rep_emails`` mapping in the
  list; a rep without an address is listed in the report, not fatal. No address is hard-coded.
- **What**: leaders receive the executive summary page as the HTML body, its charts as inline
  ``cid:`` images (no external request: nothing is fetched when the mail is opened), a plain-text
  alternative with the narrative, and ``leadership-pack.html`` (and ``.pdf`` if it was printed)
  attached. Each rep receives a short note with their own ``reps/<rep_id>.html`` attached and nothing
  else.
- **How**: SMTP with parameters (host, port, ``starttls`` / ``ssl`` / ``none``, sender); the user
  name and password come only from the environment (``SALESNB_SMTP_USER``, ``SALESNB_SMTP_PASSWORD``)
  and are never written: a password in the list or in a parameter is refused, and every message and
  log line is redacted.
- **Once**: ``reports/<month>/sent.json`` records each (kind, address) sent; a rerun sends only what
  is missing unless ``resend=True``. A refused connection, a dropped connection or a temporary refusal
  is retried (``retries`` times, waiting ``retry_wait`` seconds, doubling); the result lists who got
  what and who did not, and why.
- **Dry run**: ``dry_run=True`` writes each message as an ``.eml`` file (``reports/<month>/outbox/``)
  and sends nothing.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import html as _html
import json
import os
import re
import smtplib
import socket
import ssl as _ssl
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from salesnb.i18n import t
from salesnb.secrets import check_no_credentials, redact

__all__ = ["Delivery", "MailConfig", "Outcome", "Recipient", "SendError", "build_messages",
           "load_config", "send_month"]

SENT_LOG = "sent.json"
OUTBOX = "outbox"
USER_ENV, PASSWORD_ENV = "SALESNB_SMTP_USER", "SALESNB_SMTP_PASSWORD"
SECURITY = ("starttls", "ssl", "none")
PACK_FILES = ("leadership-pack.html", "leadership-pack.pdf")
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
_DATA_IMG = re.compile(r"""(<img\b[^>]*?\bsrc=)(["'])data:image/(png|jpeg|gif|svg\+xml);base64,([A-Za-z0-9+/=\s]+)\2""",
                       re.I)
_BODY_OPEN = re.compile(r"<body[^>]*>", re.I)
_CSS_DATA = re.compile(r"""url\(\s*["']?data:[^)]*\)""", re.I)
#: what would make a mail client fetch something when the mail is opened
_EXTERNAL = re.compile(r"""\b(?:src|srcset|background|poster)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""",
                       re.I)



class SendError(Exception):
    """A delivery that cannot start: bad distribution list, bad parameters, no good report."""


# ------------------------------------------------------------------------------------ config
@dataclass
class Recipient:
    """One addressee: ``kind`` is ``leader`` or ``rep`` (then ``rep_id`` names the scorecard)."""

    kind: str
    email: str
    name: str = ""
    lang: str = "en"
    rep_id: str | None = None


@dataclass
class MailConfig:
    """SMTP parameters and the distribution list (see :func:`load_config`)."""

    host: str = "localhost"
    port: int = 0
    security: str = "starttls"
    sender: str = ""
    timeout: float = 30.0
    leaders: list[Recipient] = field(default_factory=list)
    reps: str | list[str] = "all"
    rep_emails: dict[str, str] = field(default_factory=dict)

    @property
    def smtp_port(self) -> int:
        return self.port or {"ssl": 465, "starttls": 587}.get(self.security, 25)


def _valid_email(addr: Any, *, what: str) -> str:
    s = str(addr or "").strip()
    if not _EMAIL.match(s):
        raise SendError(f"{what}: {s!r} is not an e-mail address")
    return s


def load_config(path: str | Path | None = None, **overrides: Any) -> MailConfig:
    """Read the distribution list and SMTP parameters from YAML; ``overrides`` (host, port, security,
    sender) win over the file. A credential in the file or an override is refused."""
    import yaml

    doc: dict[str, Any] = {}
    if path is not None:
        p = Path(path)
        if not p.exists():
            raise SendError(f"distribution list {p} not found (see examples/delivery.yaml)")
        try:
            doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise SendError(f"{p}: not valid YAML: {exc}") from None
        if not isinstance(doc, dict):
            raise SendError(f"{p}: expected a mapping with smtp, leaders and reps")
    where = str(path or "parameters")
    smtp = dict(doc.get("smtp") or {})
    for bad in ("password", "pass", "passwd", "user", "username", "login", "token"):
        if bad in smtp:
            raise SendError(f"{where}: smtp.{bad} is not accepted; set {USER_ENV} and {PASSWORD_ENV} "
                            f"in the environment instead (credentials are never written to files)")
    smtp.update({k: v for k, v in overrides.items() if v not in (None, "")})
    unknown = set(smtp) - {"host", "port", "security", "sender", "timeout"}
    if unknown:
        raise SendError(f"{where}: unknown smtp setting(s): {', '.join(sorted(unknown))}")
    for k in ("host", "sender"):
        try:
            check_no_credentials(str(smtp.get(k, "")), what=f"smtp.{k}")
        except ValueError as exc:
            raise SendError(str(exc)) from None
    security = str(smtp.get("security", "starttls")).lower()
    if security not in SECURITY:
        raise SendError(f"{where}: smtp.security must be one of {', '.join(SECURITY)}, got {security!r}")
    try:
        port = int(smtp.get("port") or 0)
    except (TypeError, ValueError):
        raise SendError(f"{where}: smtp.port must be a number, got {smtp.get('port')!r}") from None
    sender = str(smtp.get("sender") or "")
    if not sender:
        raise SendError(f"{where}: smtp.sender is required (the From address)")
    _valid_email(_addr_part(sender), what=f"{where}: smtp.sender")
    leaders = []
    for i, item in enumerate(doc.get("leaders") or []):
        item = {"email": item} if isinstance(item, str) else dict(item)
        leaders.append(Recipient("leader", _valid_email(item.get("email"), what=f"{where}: leaders[{i}]"),
                                 str(item.get("name") or ""), _lang(item.get("lang"))))
    reps = doc.get("reps", "all")
    if reps not in ("all", "none", None) and not isinstance(reps, list):
        raise SendError(f"{where}: reps must be 'all', 'none' or a list of rep ids")
    rep_emails = {str(k): str(v) for k, v in (doc.get("rep_emails") or {}).items()}
    return MailConfig(host=str(smtp.get("host") or "localhost"), port=port, security=security,
                      sender=sender, timeout=float(smtp.get("timeout") or 30.0), leaders=leaders,
                      reps=[str(r) for r in reps] if isinstance(reps, list) else (reps or "none"),
                      rep_emails=rep_emails)


def _addr_part(sender: str) -> str:
    m = re.search(r"<([^>]+)>", sender)
    return m.group(1) if m else sender


def _lang(v: Any) -> str:
    s = str(v or "en")
    return "zh-CN" if s.lower().replace("_", "-") in ("zh", "zh-cn", "zh-hans") else "en"


# ---------------------------------------------------------------------------------- messages
def _month_label(month: str, lang: str) -> str:
    y, m = month.split("-")
    if lang == "zh-CN":
        return f"{int(y)}年{int(m)}月"
    return _dt.date(int(y), int(m), 1).strftime("%B %Y")


def _t(lang: str, key: str, **kw: Any) -> str:
    return t(f"mail.{key}", lang, **kw)


def inline_images(page: str) -> tuple[str, list[tuple[str, str, bytes]]]:
    """``page`` with every ``data:`` image replaced by a ``cid:`` reference; returns the images as
    (content id, subtype, bytes), the same image once."""
    images: dict[str, tuple[str, str, bytes]] = {}

    def repl(m: re.Match) -> str:
        data = base64.b64decode(re.sub(r"\s+", "", m.group(4)))
        cid = f"img-{hashlib.sha256(data).hexdigest()[:16]}@salesnb"
        images.setdefault(cid, (cid, m.group(3).lower(), data))
        return f"{m.group(1)}{m.group(2)}cid:{cid}{m.group(2)}"

    return _DATA_IMG.sub(repl, page), list(images.values())


def external_requests(page: str) -> list[str]:
    """Places in an HTML text that would fetch something from the network when shown."""
    return [m.group(0) for m in _EXTERNAL.finditer(page)]


def _intro_html(lines: Sequence[str]) -> str:
    paras = "".join(f"<p>{_html.escape(x)}</p>" for x in lines)
    return (f'<div class="sn-mail-intro" style="font-family:system-ui,sans-serif;border-bottom:1px solid '
            f'#dde3ea;margin-bottom:1em;padding-bottom:.5em">{paras}</div>')


def _plain(name: str) -> str:
    """A display name without control characters (CR/LF could add headers)."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", name or "").strip()


def _headers(msg: EmailMessage, *, cfg: MailConfig, to: Recipient, subject: str, month: str,
             kind: str) -> None:
    msg["From"] = cfg.sender
    name = _plain(to.name)  # a name from the data: no header injection
    msg["To"] = str(Address(display_name=name, addr_spec=to.email)) if name else to.email
    msg["Subject"] = subject
    msg["Date"] = format_datetime(_dt.datetime.now(_dt.UTC))
    msg["Message-ID"] = make_msgid(idstring=f"salesnb.{month}.{kind}",
                                   domain=_addr_part(cfg.sender).split("@")[-1])
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Salesnb-Month"] = month
    msg["X-Salesnb-Kind"] = kind


def leader_message(folder: Path, to: Recipient, cfg: MailConfig, *, month: str,
                   as_of: str) -> EmailMessage:
    """The leaders' mail: the executive summary as HTML body with inline images, the pack attached."""
    lang = to.lang
    ml = _month_label(month, lang)
    files = [f for f in PACK_FILES if (folder / f).exists()]
    if not files:
        raise SendError(f"{folder}: no leadership pack to attach (leadership-pack.html)")
    intro = ([_t(lang, "hello", name=_plain(to.name))] if _plain(to.name) else []) + [
        _t(lang, "leader.intro", month=ml, files=", ".join(files))]
    footer = _t(lang, "footer", month=month, as_of=as_of)
    page = (folder / "executive_summary.html").read_text(encoding="utf-8")
    page, images = inline_images(page)
    page = _CSS_DATA.sub("none", page)  # the page's stylesheet icons: mail clients block data: URLs
    m = _BODY_OPEN.search(page)
    block = _intro_html(intro)
    page = page[: m.end()] + block + page[m.end():] if m else block + page
    page = page.replace("</body>", f'<p style="font-size:11px;color:#66707a">{_html.escape(footer)}</p></body>')
    if external_requests(page):
        raise SendError(f"{folder / 'executive_summary.html'}: refers to network resources "
                        f"({', '.join(external_requests(page)[:3])}); the mail body must be self-contained")
    summary = _read_json(folder / "executive_summary.results.json").get("results", {})
    text = "\n\n".join([*intro, *(f"- {s}" for s in summary.get("narrative", [])), footer]) + "\n"
    msg = EmailMessage()
    _headers(msg, cfg=cfg, to=to, subject=_t(lang, "subject.leader", month=ml), month=month, kind="leader")
    msg.set_content(text)
    msg.add_alternative(page, subtype="html")
    html_part = msg.get_payload()[1]
    for cid, sub, data in images:
        html_part.add_related(data, "image", sub, cid=f"<{cid}>", disposition="inline",
                              filename=f"{cid.split('@')[0]}.{sub.split('+')[0]}")
    for f in files:
        name = f.replace("leadership-pack", f"leadership-pack-{month}")
        if f.endswith(".pdf"):
            msg.add_attachment((folder / f).read_bytes(), maintype="application", subtype="pdf", filename=name)
        else:
            _attach_html(msg, folder / f, name)
    return msg


def rep_message(folder: Path, to: Recipient, cfg: MailConfig, *, month: str, as_of: str) -> EmailMessage:
    """A rep's mail: a short note with their own scorecard attached, nothing else."""
    lang = to.lang
    ml = _month_label(month, lang)
    page = folder / "reps" / f"{to.rep_id}.html"
    lines = ([_t(lang, "hello", name=_plain(to.name))] if _plain(to.name) else []) + [
        _t(lang, "rep.intro", month=ml, file=page.name), _t(lang, "footer", month=month, as_of=as_of)]
    msg = EmailMessage()
    _headers(msg, cfg=cfg, to=to, subject=_t(lang, "subject.rep", month=ml), month=month, kind="rep")
    msg["X-Salesnb-Rep"] = str(to.rep_id)
    msg.set_content("\n\n".join(lines) + "\n")
    msg.add_alternative(f"<html><body>{_intro_html(lines)}</body></html>", subtype="html")
    _attach_html(msg, page, f"scorecard-{to.rep_id}-{month}.html")
    return msg


def _attach_html(msg: EmailMessage, path: Path, name: str) -> None:
    """Attach an HTML page as UTF-8 text (base64, so long lines and any script survive intact)."""
    msg.add_attachment(path.read_text(encoding="utf-8"), subtype="html", charset="utf-8", cte="base64",
                       filename=name)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return doc if isinstance(doc, dict) else {}
    except (OSError, ValueError):
        return {}


# -------------------------------------------------------------------------------- recipients
def rep_addresses(source: str | None, cfg: MailConfig) -> dict[str, tuple[str, str | None]]:
    """rep_id → (name, address or None): the ``reps`` table's ``email`` column, then the list's
    ``rep_emails`` mapping (which wins)."""
    out: dict[str, tuple[str, str | None]] = {}
    if source:
        from salesnb.data.sources import open_source

        ds = open_source(source)
        if ds.has("reps"):
            cols = [c for c in ("rep_id", "name", "email") if ds.has("reps", c)]
            reps = ds.table("reps").select(*cols).execute()
            for r in reps.to_dict(orient="records"):
                addr = r.get("email")
                addr = str(addr).strip() if isinstance(addr, str) and addr.strip() else None
                out[str(r["rep_id"])] = (str(r.get("name") or ""), addr)
    for rid, addr in cfg.rep_emails.items():
        out[rid] = (out.get(rid, ("", None))[0], addr)
    return out


@dataclass
class Outcome:
    """What happened to one addressee."""

    kind: str
    email: str | None
    rep_id: str | None = None
    status: str = "pending"  # sent, already-sent, dry-run, failed, no-address, no-scorecard
    detail: str = ""
    attempts: int = 0
    bytes: int = 0
    attachments: list[str] = field(default_factory=list)
    message_id: str = ""


@dataclass
class Delivery:
    """The result of :func:`send_month`: one :class:`Outcome` per addressee."""

    month: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(o.status == "failed" for o in self.outcomes)

    def table(self) -> list[str]:
        """Who got what, one line each."""
        lines = []
        for o in self.outcomes:
            who = o.email or "(no address)"
            what = ", ".join(o.attachments) or "-"
            extra = f"  {o.detail}" if o.detail else ""
            lines.append(f"  {o.status:<13}{o.kind:<7}{(o.rep_id or ''):<8}{who:<40}{what}{extra}")
        return lines


def recipients(folder: Path, cfg: MailConfig, *, to: Sequence[str] = (), source: str | None = None,
               default_lang: str = "en") -> tuple[list[Recipient], list[Outcome]]:
    """The addressees of a month (leaders, reps, or given addresses) and the reps that cannot be
    mailed (no address, no scorecard)."""
    groups = set(to) & {"leaders", "reps"}
    addresses = [a for a in to if a not in ("leaders", "reps")]
    if not to:
        groups = {"leaders", "reps"}
    out: list[Recipient] = []
    skipped: list[Outcome] = []
    if "leaders" in groups:
        if not cfg.leaders:
            raise SendError("no leaders in the distribution list (leaders: [...])")
        out += [Recipient("leader", r.email, r.name, r.lang or default_lang) for r in cfg.leaders]
    for a in addresses:
        out.append(Recipient("leader", _valid_email(a, what="--to"), "", default_lang))
    if "reps" in groups and cfg.reps != "none":
        cards = sorted(p.stem for p in (folder / "reps").glob("*.html")) if (folder / "reps").is_dir() else []
        wanted = cards if cfg.reps == "all" else list(cfg.reps)
        book = rep_addresses(source, cfg)
        for rid in wanted:
            name, addr = book.get(rid, ("", None))
            if rid not in cards:
                skipped.append(Outcome("rep", addr, rid, "no-scorecard",
                                       "no scorecard page for this rep in the month (run with --scorecards)"))
            elif not addr or not _EMAIL.match(addr):
                skipped.append(Outcome("rep", None, rid, "no-address",
                                       "no e-mail address (reps.email or rep_emails)"
                                       + (f": {addr!r} is not an address" if addr else "")))
            else:
                out.append(Recipient("rep", addr, name, default_lang, rid))
    return out, skipped


# ---------------------------------------------------------------------------------- sending
_RETRYABLE = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError,
              socket.timeout, TimeoutError, OSError)


class _Connection:
    """One SMTP session, opened on first use and reopened after a failure."""

    def __init__(self, cfg: MailConfig) -> None:
        self.cfg = cfg
        self.smtp: smtplib.SMTP | None = None

    def get(self) -> smtplib.SMTP:
        if self.smtp is None:
            cfg = self.cfg
            if cfg.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.smtp_port, timeout=cfg.timeout,
                                                      context=_ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(cfg.host, cfg.smtp_port, timeout=cfg.timeout)
                if cfg.security == "starttls":
                    smtp.starttls(context=_ssl.create_default_context())
            user = os.environ.get(USER_ENV)
            if user:
                smtp.login(user, os.environ.get(PASSWORD_ENV, ""))
            self.smtp = smtp
        return self.smtp

    def close(self, *, quit: bool = True) -> None:
        if self.smtp is not None:
            try:
                if quit:
                    self.smtp.quit()
                else:
                    self.smtp.close()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


def _clean(text: Any) -> str:
    """An error text without credentials (URL passwords and the SMTP password itself)."""
    s = redact(text)
    pw = os.environ.get(PASSWORD_ENV)
    return s.replace(pw, "***") if pw else s


def _send_one(conn: _Connection, msg: EmailMessage, *, retries: int, retry_wait: float,
              sleep: Callable[[float], None]) -> tuple[bool, int, str]:
    """Send with retries; returns (sent, attempts, last error)."""
    err = ""
    wait = retry_wait
    for attempt in range(1, retries + 2):
        try:
            refused = conn.get().send_message(msg)
            if refused:
                return False, attempt, "refused: " + "; ".join(f"{a}: {c} {m!r}" for a, (c, m) in refused.items())
            return True, attempt, ""
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [c for c, _ in exc.recipients.values()]
            err = "refused: " + "; ".join(f"{a}: {c} {m.decode(errors='replace') if isinstance(m, bytes) else m}"
                                           for a, (c, m) in exc.recipients.items())
            conn.close()
            if all(500 <= c < 600 for c in codes):  # permanent: retrying does not help
                return False, attempt, err
        except smtplib.SMTPAuthenticationError as exc:
            conn.close(quit=False)
            return False, attempt, f"authentication failed ({exc.smtp_code}); check {USER_ENV}/{PASSWORD_ENV}"
        except smtplib.SMTPNotSupportedError as exc:  # e.g. no AUTH or STARTTLS offered: permanent
            conn.close(quit=False)
            return False, attempt, f"{exc} (check --smtp-security and the server's settings)"
        except smtplib.SMTPResponseException as exc:
            conn.close(quit=False)
            err = f"{exc.smtp_code} {exc.smtp_error!r}"
            if 500 <= exc.smtp_code < 600:
                return False, attempt, err
        except _RETRYABLE as exc:
            conn.close(quit=False)
            err = f"{type(exc).__name__}: {exc}"
        if attempt <= retries:
            sleep(wait)
            wait *= 2
    return False, retries + 1, err


def _key(r: Recipient) -> str:
    return f"{r.kind}:{r.rep_id or ''}:{r.email.lower()}"


def send_month(
    folder: str | Path,
    cfg: MailConfig,
    *,
    to: Sequence[str] = (),
    source: str | None = None,
    dry_run: bool = False,
    resend: bool = False,
    outbox: str | Path | None = None,
    retries: int = 3,
    retry_wait: float = 5.0,
    progress: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """Mail a month's pack (see the module docstring). Returns who got what.

    Parameters
    ----------
    folder : path
        The published month, ``reports/<month>/`` (its run must have been good).
    cfg : MailConfig
        SMTP parameters and the distribution list (:func:`load_config`).
    to : sequence of str
        ``"leaders"``, ``"reps"`` and/or addresses (each gets the leaders' mail); empty: leaders and reps.
    source : str, optional
        The data source for rep addresses (``reps.email``); default: the run's, from ``manifest.json``.
    dry_run : bool
        Write ``.eml`` files into ``outbox`` (default ``<folder>/outbox``) instead of sending.
    resend : bool
        Send also to addressees the sent-log already lists.
    retries, retry_wait : int, float
        Attempts after the first, and the first wait in seconds (doubling).
    """
    folder = Path(folder)
    manifest = _read_json(folder / "manifest.json")
    if manifest.get("status") != "ok":
        raise SendError(f"{folder}: no good report to send (manifest.json missing or status not ok)")
    month = str(manifest.get("month") or folder.name)
    as_of = str(manifest.get("as_of") or "")
    lang = _lang(manifest.get("lang"))
    src = source if source is not None else manifest.get("source")
    people, outcomes = recipients(folder, cfg, to=to, source=src, default_lang=lang)
    log_path = folder / SENT_LOG
    log = _read_json(log_path) if not dry_run else {}
    sent: dict[str, Any] = dict(log.get("sent", {}))
    box = Path(outbox) if outbox else folder / OUTBOX
    conn = _Connection(cfg)
    result = Delivery(month)
    try:
        for r in people:
            o = Outcome(r.kind, r.email, r.rep_id)
            key = _key(r)
            if key in sent and not resend and not dry_run:
                o.status, o.detail = "already-sent", f"on {sent[key].get('at', '?')} (--resend to send again)"
                o.attachments = list(sent[key].get("attachments", []))
                result.outcomes.append(o)
                continue
            msg = (leader_message(folder, r, cfg, month=month, as_of=as_of) if r.kind == "leader"
                   else rep_message(folder, r, cfg, month=month, as_of=as_of))
            o.attachments = [p.get_filename() for p in msg.iter_attachments()]
            o.message_id = str(msg["Message-ID"])
            data = msg.as_bytes()
            o.bytes = len(data)
            if dry_run:
                box.mkdir(parents=True, exist_ok=True)
                name = f"{month}-{r.kind}-{r.rep_id + '-' if r.rep_id else ''}{_safe(r.email)}.eml"
                (box / name).write_bytes(data)
                o.status, o.detail = "dry-run", str(box / name)
            else:
                ok, o.attempts, err = _send_one(conn, msg, retries=retries, retry_wait=retry_wait,
                                                sleep=sleep)
                if ok:
                    o.status = "sent"
                    sent[key] = {"kind": r.kind, "email": r.email, "rep_id": r.rep_id,
                                 "at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                                 "message_id": o.message_id, "attachments": o.attachments,
                                 "bytes": o.bytes}
                    _write_log(log_path, month, sent)
                else:
                    o.status, o.detail = "failed", _clean(err)
            result.outcomes.append(o)
    finally:
        conn.close()
    result.outcomes += outcomes
    n = {s: sum(o.status == s for o in result.outcomes) for s in
         ("sent", "already-sent", "dry-run", "failed", "no-address", "no-scorecard")}
    progress(f"send {month}: " + ", ".join(f"{v} {k}" for k, v in n.items() if v))
    for line in result.table():
        progress(_clean(line))
    return result


def _safe(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9._@-]+", "_", s)[:80]


def _write_log(path: Path, month: str, sent: Mapping[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps({"month": month, "sent": dict(sent)}, indent=1, sort_keys=True,
                              ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def build_messages(folder: str | Path, cfg: MailConfig, *, to: Iterable[str] = (),
                   source: str | None = None) -> list[EmailMessage]:
    """The messages :func:`send_month` would send (for previews and tests)."""
    folder = Path(folder)
    manifest = _read_json(folder / "manifest.json")
    month, as_of = str(manifest.get("month") or folder.name), str(manifest.get("as_of") or "")
    people, _ = recipients(folder, cfg, to=list(to), source=source or manifest.get("source"),
                           default_lang=_lang(manifest.get("lang")))
    return [leader_message(folder, r, cfg, month=month, as_of=as_of) if r.kind == "leader"
            else rep_message(folder, r, cfg, month=month, as_of=as_of) for r in people]


def outcome_dicts(d: Delivery) -> list[dict[str, Any]]:
    return [asdict(o) for o in d.outcomes]
