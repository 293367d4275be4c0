"""A real SMTP server on loopback (aiosmtpd) that records what it receives and answers as told.

    sink = SmtpSink(); sink.start()
    sink.reply_on("RCPT", "450 4.2.1 mailbox busy", times=1)   # first RCPT deferred, then 250
    ... deliver to 127.0.0.1:sink.port ...
    sink.messages[0].message["Subject"]; sink.stop()

The server runs in aiosmtpd's own thread and event loop, so it works from sync and async tests.
"""

from __future__ import annotations

import email
import subprocess
import socket
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

Stage = Literal["MAIL", "RCPT", "DATA"]


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes  # as received, after dot-unstuffing
    message: EmailMessage  # parsed with email.policy.default
    login: str | None  # the AUTH user, if the client authenticated
    tls: bool  # whether the mail came over an encrypted connection


def unused_port() -> int:
    """A loopback port nothing listens on (bound and released at once), for "server down" tests."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _EphemeralPortController(Controller):
    """Listens on port 0 and learns the real port before aiosmtpd's start-up probe connects."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def self_signed_tls(directory: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context trusting it) for 127.0.0.1; needs the openssl command."""
    cert, key = directory / "sink-cert.pem", directory / "sink-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)  # no client certificates asked
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return server, client


class SmtpSink:
    def __init__(
        self,
        credentials: dict[str, str] | None = None,
        *,
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
    ) -> None:
        """With `credentials` (user -> password), AUTH is offered and MAIL needs it (530 without).
        With a server-side `tls_context`, STARTTLS is offered, or with `implicit_tls` the whole
        connection is TLS (port 465 style)."""
        self.credentials = credentials
        self.tls_context = tls_context
        self.implicit_tls = implicit_tls
        self.messages: list[ReceivedMail] = []
        self._replies: dict[str, tuple[str, int | None]] = {}
        self._lock = threading.Lock()
        self._controller: _EphemeralPortController | None = None

    # --- control ---------------------------------------------------------------------------------

    def start(self) -> SmtpSink:
        kwargs: dict[str, Any] = {}
        if self.credentials is not None:
            # Plain-text AUTH is fine on loopback in tests. auth_required=True would make aiosmtpd
            # warn (an error under filterwarnings=error), so handle_MAIL enforces it instead.
            kwargs.update(authenticator=self._authenticate, auth_require_tls=False)
        if self.tls_context is not None:
            key = "ssl_context" if self.implicit_tls else "tls_context"
            kwargs[key] = self.tls_context
        self._controller = _EphemeralPortController(
            self,
            hostname="127.0.0.1",
            port=0,
            server_hostname="sink.test",  # no getfqdn() lookup at start-up
            **kwargs,
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def port(self) -> int:
        assert self._controller is not None, "SmtpSink is not started"
        return self._controller.port

    def reply_on(self, stage: Stage, reply: str, *, times: int | None = None) -> None:
        """Answer `reply` (e.g. "550 5.1.1 no such user") at `stage`: always, or the next `times`."""
        with self._lock:
            self._replies[stage] = (reply, times)

    def reset(self) -> None:
        """Forget recorded messages and reply overrides."""
        with self._lock:
            self._replies.clear()
            self.messages.clear()

    def _override(self, stage: str) -> str | None:
        with self._lock:
            if stage not in self._replies:
                return None
            reply, times = self._replies[stage]
            if times is not None:
                if times <= 1:
                    del self._replies[stage]
                else:
                    self._replies[stage] = (reply, times - 1)
            return reply

    # --- aiosmtpd hooks (run in the server thread) ----------------------------------------------

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and self.credentials is not None
            and self.credentials.get(auth_data.login.decode()) == auth_data.password.decode()
        )
        # handled=False: aiosmtpd answers the failure itself ("535 ...").
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:
        if self.credentials is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        reply = self._override("MAIL")
        if reply and not reply.startswith("2"):
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return reply or "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        reply = self._override("RCPT")
        if reply and not reply.startswith("2"):
            return reply
        envelope.rcpt_tos.append(address)
        return reply or "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        reply = self._override("DATA")
        if reply and not reply.startswith("2"):
            return reply
        data: bytes = envelope.content
        login = session.auth_data.login.decode() if session.auth_data else None
        self.messages.append(
            ReceivedMail(
                mail_from=envelope.mail_from,
                rcpt_tos=tuple(envelope.rcpt_tos),
                data=data,
                message=email.message_from_bytes(data, policy=default_policy),  # type: ignore[arg-type]
                login=login,
                # session.ssl is only filled by STARTTLS; implicit TLS shows on the transport.
                tls=session.ssl is not None
                or server.transport.get_extra_info("ssl_object") is not None,
            )
        )
        return reply or "250 Message accepted"
