"""E-mail delivery against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import base64
import json
import socket
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import yaml

from salesnb.deliver import mail

from .smtp_server import PNG, LoopbackController, Sink, start

SECRET = "s3cret-PLANTED-pw-7731"
USER = "report-bot"


def _month(tmp_path: Path) -> Path:
    folder = tmp_path / "reports" / "2026-10"
    (folder / "reps").mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps(
        {"status": "ok", "month": "2026-10", "as_of": "2026-10-31", "lang": "en", "source": ""}))
    img = base64.b64encode(PNG).decode()
    (folder / "executive_summary.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Executive summary</title></head><body>'
        '<h1>Executive summary</h1><p>Revenue $1,234,567 (96.5 % of target).</p>'
        f'<img alt="chart" src="data:image/png;base64,{img}"><img src="data:image/png;base64,{img}">'
        '<a href="02_performance_review.html">details</a></body></html>', encoding="utf-8")
    (folder / "executive_summary.results.json").write_text(json.dumps(
        {"notebook": "executive_summary", "month": "2026-10",
         "results": {"narrative": ["Revenue was $1,234,567.", "Watch the pipeline."]}}))
    (folder / "leadership-pack.html").write_text("<html><body>PACK-2026-10</body></html>")
    for r in ("R001", "R002", "R003"):
        (folder / "reps" / f"{r}.html").write_text(f"<html><body>SCORECARD-{r}</body></html>")
    return folder


def _list(tmp_path: Path, port: int, **smtp) -> Path:
    doc = {
        "smtp": {"host": "127.0.0.1", "port": port, "security": "none",
                 "sender": "Sales reports <reports@example.com>", **smtp},
        "leaders": [{"email": "ceo@example.com", "name": "Ada Chen", "lang": "en"},
                    {"email": "cfo@example.com", "name": "李雷", "lang": "zh-CN"}],
        "reps": "all",
        "rep_emails": {"R001": "r001@example.com", "R002": "r002@example.com"},
    }
    p = tmp_path / "delivery.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return p


@pytest.fixture
def smtp(monkeypatch):
    monkeypatch.setenv(mail.USER_ENV, USER)
    monkeypatch.setenv(mail.PASSWORD_ENV, SECRET)
    sink = Sink()
    c = start(sink, user=USER, password=SECRET)
    yield sink, c
    c.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_leaders_get_the_summary_and_pack_each_rep_only_their_scorecard(tmp_path, smtp):
    sink, c = smtp
    folder = _month(tmp_path)
    cfg = mail.load_config(_list(tmp_path, c.port))
    lines: list[str] = []
    res = mail.send_month(folder, cfg, progress=lines.append, retry_wait=0.01)
    assert res.ok
    status = {(o.kind, o.rep_id, o.email): o.status for o in res.outcomes}
    assert status == {("leader", None, "ceo@example.com"): "sent", ("leader", None, "cfo@example.com"): "sent",
                      ("rep", "R001", "r001@example.com"): "sent", ("rep", "R002", "r002@example.com"): "sent",
                      ("rep", "R003", None): "no-address"}  # listed, not fatal
    assert sink.logins and sink.logins[0][1] == USER  # credentials from the environment
    assert len(sink.messages) == 4
    by_to = {m.rcpt_tos[0]: m for m in sink.messages}
    # leaders: headers in their language, summary as HTML with inline images, pack attached
    en, zh = by_to["ceo@example.com"].message, by_to["cfo@example.com"].message
    assert en["Subject"] == "Sales pack October 2026" and zh["Subject"] == "销售月报 2026年10月"
    assert en["From"] == "Sales reports <reports@example.com>" and en["To"] == "Ada Chen <ceo@example.com>"
    assert en["Message-ID"] and en["Date"] and en["Auto-Submitted"] == "auto-generated"
    for msg, hello in ((en, "Hello Ada Chen,"), (zh, "李雷，您好：")):
        body = msg.get_body(("html",)).get_content()
        assert hello in body and "Revenue $1,234,567" in body
        assert "data:image" not in body and body.count("cid:img-") == 2
        assert not mail.external_requests(body)
        images = [p for p in msg.walk() if p.get_content_type() == "image/png"]
        assert len(images) == 1 and images[0].get_content() == PNG  # the same chart once
        assert f"cid:{images[0]['Content-ID'].strip('<>')}" in body
        atts = list(msg.iter_attachments())
        assert [a.get_filename() for a in atts] == ["leadership-pack-2026-10.html"]
        assert atts[0].get_content().rstrip("\n") == (folder / "leadership-pack.html").read_text()
        assert "Revenue was $1,234,567." in msg.get_body(("plain",)).get_content()
    assert "以下为管理摘要" in zh.get_body(("html",)).get_content()
    # reps: their own scorecard and nothing else
    for rid in ("R001", "R002"):
        m = by_to[f"{rid.lower()}@example.com"]
        msg = m.message
        atts = list(msg.iter_attachments())
        assert [a.get_filename() for a in atts] == [f"scorecard-{rid}-2026-10.html"]
        assert atts[0].get_content().rstrip("\n") == f"<html><body>SCORECARD-{rid}</body></html>"
        others = {"R001", "R002", "R003"} - {rid}
        assert not any(f"SCORECARD-{o}" in p.get_content() for p in msg.walk() for o in others
                       if p.get_content_maintype() == "text")
        assert not any("PACK-2026-10" in p.get_content() for p in msg.walk() if p.get_content_maintype() == "text")
        assert msg["X-Salesnb-Rep"] == rid
    # no secret anywhere: messages, sent-log, output
    everything = b"".join(m.data for m in sink.messages) + (folder / mail.SENT_LOG).read_bytes() \
        + "\n".join(lines).encode()
    decoded = "".join(p.get_content() for m in sink.messages for p in m.message.walk()
                      if p.get_content_maintype() == "text")
    assert SECRET.encode() not in everything and SECRET not in decoded
    assert any("no-address" in x and "R003" in x for x in lines)


def test_a_rerun_sends_nothing_twice_unless_resend(tmp_path, smtp):
    sink, c = smtp
    folder = _month(tmp_path)
    cfg = mail.load_config(_list(tmp_path, c.port))
    mail.send_month(folder, cfg, progress=lambda m: None)
    again = mail.send_month(folder, cfg, progress=lambda m: None)
    assert len(sink.messages) == 4
    assert {o.status for o in again.outcomes if o.email} == {"already-sent"}
    log = json.loads((folder / mail.SENT_LOG).read_text())
    assert len(log["sent"]) == 4 and log["month"] == "2026-10"
    mail.send_month(folder, cfg, to=["reps"], resend=True, progress=lambda m: None)
    assert len(sink.messages) == 6


def test_refused_and_dropped_connections_are_retried_then_reported(tmp_path, monkeypatch):
    monkeypatch.delenv(mail.USER_ENV, raising=False)
    port = _free_port()
    folder = _month(tmp_path)
    cfg = mail.load_config(_list(tmp_path, port))
    sink = Sink(refuse={"r002@example.com"}, temp_fail_data=1)
    started = []

    def sleep(seconds):  # the server comes up while the sender waits to retry
        if not started:
            c = LoopbackController(sink, hostname="127.0.0.1", port=port)
            c.start()
            started.append(c)

    lines: list[str] = []
    try:
        res = mail.send_month(folder, cfg, progress=lines.append, retries=3, retry_wait=0.01, sleep=sleep)
    finally:
        for c in started:
            c.stop()
    by = {(o.rep_id or o.email): o for o in res.outcomes}
    assert by["ceo@example.com"].status == "sent" and by["ceo@example.com"].attempts == 3  # refused, 421, ok
    assert by["cfo@example.com"].status == "sent" and by["R001"].status == "sent"
    assert by["R002"].status == "failed" and "550" in by["R002"].detail  # permanent: not retried
    assert by["R002"].attempts == 1
    assert not res.ok and len(sink.messages) == 3
    assert any(x.strip().startswith("failed") and "r002@example.com" in x for x in lines)
    assert "R002" not in json.dumps(json.loads((folder / mail.SENT_LOG).read_text()))


def test_dry_run_writes_eml_files_and_sends_nothing(tmp_path):
    folder = _month(tmp_path)
    cfg = mail.load_config(_list(tmp_path, _free_port()))
    res = mail.send_month(folder, cfg, dry_run=True, progress=lambda m: None)
    emls = sorted((folder / mail.OUTBOX).glob("*.eml"))
    assert len(emls) == 4 and {o.status for o in res.outcomes if o.email} == {"dry-run"}
    assert not (folder / mail.SENT_LOG).exists()
    msg = BytesParser(policy=policy.default).parsebytes(emls[0].read_bytes())
    assert msg["X-Salesnb-Month"] == "2026-10"


def test_a_name_from_the_data_cannot_add_headers(tmp_path):
    folder = _month(tmp_path)
    cfg = mail.load_config(_list(tmp_path, 25))
    to = mail.Recipient("rep", "r001@example.com", "Eve\r\nBcc: spy@evil.example", "en", "R001")
    msg = mail.rep_message(folder, to, cfg, month="2026-10", as_of="2026-10-31")
    raw = msg.as_bytes()
    assert b"\nBcc:" not in raw and msg["Bcc"] is None and "Eve" in msg["To"]


def test_credentials_are_refused_in_the_list_and_parameters(tmp_path):
    p = _list(tmp_path, 25, password="hunter2")
    with pytest.raises(mail.SendError, match="SALESNB_SMTP_PASSWORD"):
        mail.load_config(p)
    with pytest.raises(mail.SendError) as exc:
        mail.load_config(_list(tmp_path, 25), host="smtp://u:hunter2@mail.example.com")
    assert "hunter2" not in str(exc.value)
    with pytest.raises(mail.SendError, match="security"):
        mail.load_config(_list(tmp_path, 25, security="tls13"))


def test_cli_send_dry_run_to_leaders_only(tmp_path, capsys):
    from salesnb.cli import main

    folder = _month(tmp_path)
    listing = _list(tmp_path, _free_port())
    code = main(["send", "--month", "2026-10", "--out", str(folder.parent), "--recipients", str(listing),
                 "--to", "leaders", "--dry-run"])
    assert code == 0
    assert len(list((folder / mail.OUTBOX).glob("*.eml"))) == 2
    assert "2 dry-run" in capsys.readouterr().out
    assert main(["send", "--month", "2026-11", "--out", str(folder.parent), "--recipients", str(listing)]) == 2


def test_the_example_list_loads_and_a_rerun_keeps_the_sent_log(tmp_path):
    from pathlib import Path

    from salesnb.deliver import hooks

    root = Path(__file__).resolve().parents[1]
    cfg = mail.load_config(root / "examples" / "delivery.yaml")
    assert cfg.security == "starttls" and cfg.smtp_port == 587 and len(cfg.leaders) == 2
    assert cfg.leaders[1].lang == "zh-CN" and cfg.reps == "all"
    reports = tmp_path / "reports"
    (reports / "2026-10").mkdir(parents=True)
    (reports / "2026-10" / mail.SENT_LOG).write_text('{"month": "2026-10", "sent": {}}')
    build = reports / ".build-2026-10-abc"
    build.mkdir()
    hooks.before_publish(build, month="2026-10", progress=lambda m: None)
    assert (build / mail.SENT_LOG).read_text() == '{"month": "2026-10", "sent": {}}'


@pytest.fixture
def tls_cert(tmp_path, monkeypatch):
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts the test certificate only
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_starttls_and_ssl_with_login(tmp_path, monkeypatch, tls_cert, security):
    monkeypatch.setenv(mail.USER_ENV, USER)
    monkeypatch.setenv(mail.PASSWORD_ENV, SECRET)
    sink = Sink()
    kw = {"tls_context": tls_cert, "require_starttls": True} if security == "starttls" else \
        {"ssl_context": tls_cert, "auth_require_tls": False}  # implicit TLS: aiosmtpd cannot tell

    def auth(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        sink.logins.append((mechanism, auth_data.login.decode()))
        return AuthResult(success=auth_data.password.decode() == SECRET)

    c = LoopbackController(sink, hostname="127.0.0.1", port=0, authenticator=auth, **kw)
    c.start()
    try:
        folder = _month(tmp_path)
        cfg = mail.load_config(_list(tmp_path, c.port, security=security))
        res = mail.send_month(folder, cfg, to=["leaders"], progress=lambda m: None, retry_wait=0.01)
    finally:
        c.stop()
    assert res.ok, [o.detail for o in res.outcomes]
    assert len(sink.messages) == 2 and sink.logins[0][1] == USER


@pytest.mark.parametrize("code, mailed", [(0, 4), (4, 4), (1, 0), (2, 0)])
def test_run_send_mails_after_a_good_run_only(tmp_path, smtp, monkeypatch, code, mailed):
    from salesnb.cli import main
    from salesnb.report import runner

    sink, c = smtp
    listing = _list(tmp_path, c.port)

    def fake_run(month, **kw):  # the pack "ran": a published month folder
        folder = _month(tmp_path)
        return runner.RunResult(code, month="2026-10", path=folder)

    monkeypatch.setattr(runner, "run", fake_run)
    got = main(["run", "--month", "auto", "--out", str(tmp_path / "reports"), "--send",
                "--recipients", str(listing)])
    assert got == code and len(sink.messages) == mailed
