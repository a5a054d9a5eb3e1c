"""A real SMTP server on a free loopback port (aiosmtpd) that records what it receives."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self):
        return BytesParser(policy=policy.default).parsebytes(self.data)


@dataclass
class Sink:
    """Records messages; can refuse addresses (550) and answer DATA with 421 a number of times."""

    messages: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    temp_fail_data: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    sessions: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.temp_fail_data > 0:
            self.temp_fail_data -= 1
            return "421 4.3.0 try again later"
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      envelope.original_content or envelope.content))
        return "250 2.0.0 accepted"


class LoopbackController(Controller):
    """aiosmtpd's controller on port 0: the OS picks a free port, read back after binding."""

    def _trigger_server(self):
        if not self.port:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def start(sink: Sink, *, user: str | None = None, password: str | None = None) -> LoopbackController:
    kw = {}
    if user is not None:
        def auth(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            if ok:
                sink.logins.append((mechanism, auth_data.login.decode()))
            return AuthResult(success=ok)

        kw = {"authenticator": auth, "auth_require_tls": False}
    c = LoopbackController(sink, hostname="127.0.0.1", port=0, **kw)
    c.start()
    return c


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
