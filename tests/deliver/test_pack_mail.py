"""The demo pack mailed through a real SMTP server on loopback: leaders and reps, figures printed."""

from __future__ import annotations

import json

import pytest
import yaml

from salesnb.deliver import mail

from ..smtp_server import Sink, start
from .conftest import NO_EMAIL_REP, SCORECARD_REPS

pytestmark = [pytest.mark.slow, pytest.mark.extended]
SECRET = "pack-secret-PLANTED-9931"


def test_the_demo_pack_reaches_leaders_and_each_rep(hostile_pack, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(mail.USER_ENV, "bot")
    monkeypatch.setenv(mail.PASSWORD_ENV, SECRET)
    sink = Sink()
    c = start(sink, user="bot", password=SECRET)
    folder = hostile_pack.month("2026-10")
    listing = tmp_path / "delivery.yaml"
    listing.write_text(yaml.safe_dump({
        "smtp": {"host": "127.0.0.1", "port": c.port, "security": "none", "sender": "reports@example.com"},
        "leaders": [{"email": "ceo@example.com", "lang": "en"}, {"email": "vp@example.com", "lang": "zh-CN"}],
        "reps": "all"}))
    lines: list[str] = []
    try:
        res = mail.send_month(folder, mail.load_config(listing), progress=lines.append, retry_wait=0.01,
                              resend=True)  # the fixture folder may have been mailed before
    finally:
        c.stop()
    assert res.ok
    by = {o.rep_id or o.email: o for o in res.outcomes}
    assert by[NO_EMAIL_REP].status == "no-address"  # reps.email is empty for this rep: listed
    sent_reps = [r for r in SCORECARD_REPS if r != NO_EMAIL_REP]
    assert all(by[r].status == "sent" for r in sent_reps)
    assert len(sink.messages) == 2 + len(sent_reps)
    cards = {r: (folder / "reps" / f"{r}.html").read_text(encoding="utf-8") for r in SCORECARD_REPS}
    for m in sink.messages:
        msg = m.message
        if msg["X-Salesnb-Kind"] == "rep":
            rid = msg["X-Salesnb-Rep"]
            assert m.rcpt_tos == [f"{rid.lower()}@example.com"]
            atts = list(msg.iter_attachments())
            assert len(atts) == 1 and atts[0].get_content().rstrip("\n") == cards[rid].rstrip("\n")
        else:
            body = msg.get_body(("html",)).get_content()
            assert "cid:img-" in body and "data:image" not in body and not mail.external_requests(body)
            assert [a.get_filename() for a in msg.iter_attachments()] == ["leadership-pack-2026-10.html"]
    raw = b"".join(m.data for m in sink.messages)
    decoded = "".join(p.get_content() for m in sink.messages for p in m.message.walk()
                      if p.get_content_maintype() == "text")
    assert SECRET.encode() not in raw and SECRET not in decoded and SECRET not in "\n".join(lines)
    assert SECRET not in (folder / mail.SENT_LOG).read_text()
    figures = {"messages": len(sink.messages), "recipients": sum(len(m.rcpt_tos) for m in sink.messages),
               "bytes": len(raw), "leader_bytes": [len(m.data) for m in sink.messages
                                                   if m.message["X-Salesnb-Kind"] == "leader"],
               "rep_bytes": [len(m.data) for m in sink.messages if m.message["X-Salesnb-Kind"] == "rep"],
               "smtp_sessions": sink.sessions}
    with capsys.disabled():
        print("\nSMTP loopback figures:", json.dumps(figures))
