"""Deliver an OutgoingMail: over SMTP or into a directory of .eml files.

A transport never raises for a delivery problem: it answers SENT, RETRY (try again later) or FAILED
(do not try again: a bounce). `next_step` turns that answer and the attempt count into what the outbox
drainer does next; it is pure so the policy can be tested without a server.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import ssl
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from email.errors import MessageError
from pathlib import Path
from typing import Literal, NamedTuple, Protocol

import aiosmtplib

from bot.mail.message import OutgoingMail, build_message

__all__ = [
    "MAX_ATTEMPTS",
    "Delivery",
    "DeliveryResult",
    "EmlDirectoryTransport",
    "MailTransport",
    "NextStep",
    "SmtpTransport",
    "classify_smtp_error",
    "eml_filename",
    "next_step",
    "retry_delay",
]


class DeliveryResult(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True)
class Delivery:
    result: DeliveryResult
    detail: str = ""  # the server's reply or the error, for the outbox row and the logs
    code: int | None = None  # the SMTP reply code when there was one


class MailTransport(Protocol):
    async def deliver(self, mail: OutgoingMail) -> Delivery: ...


# --- retry policy -------------------------------------------------------------------------------

MAX_ATTEMPTS = 10
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)


def retry_delay(attempt: int) -> timedelta:
    """Wait after failed attempt number `attempt` (1-based): 30 s, 1 min, 2 min, ... capped at 1 h.

    No jitter: the drainer sends one mail at a time, so retries do not stampede the server, and a
    deterministic delay keeps the policy testable. 10 attempts span about 3 h 15 min.
    """
    if attempt < 1:
        raise ValueError(f"attempt counts from 1, got {attempt}")
    # Cap the exponent before computing: 2**attempt for a huge attempt would overflow timedelta.
    return min(RETRY_BASE * 2 ** min(attempt - 1, 20), RETRY_CAP)


class NextStep(NamedTuple):
    action: Literal["sent", "retry", "failed"]
    delay: timedelta | None = None


def next_step(delivery: Delivery, attempt: int) -> NextStep:
    """What to do with an outbox row after its `attempt`-th delivery (1-based) answered `delivery`."""
    if delivery.result is DeliveryResult.SENT:
        return NextStep("sent")
    if delivery.result is DeliveryResult.RETRY and attempt < MAX_ATTEMPTS:
        return NextStep("retry", retry_delay(attempt))
    return NextStep("failed")


# --- SMTP ---------------------------------------------------------------------------------------


def _result_for(code: int) -> DeliveryResult:
    """4xx is transient, 5xx permanent (RFC 5321 4.2.1); anything else is treated as transient."""
    return DeliveryResult.FAILED if 500 <= code < 600 else DeliveryResult.RETRY


def classify_smtp_error(exc: BaseException) -> Delivery:
    """Map an aiosmtplib or network exception to a Delivery."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        # Raised even for a single recipient (aiosmtplib#352). Permanent only if any refusal is 5xx.
        refusals = exc.recipients
        worst = max(refusals, key=lambda r: r.code, default=None)
        if worst is None:
            return Delivery(DeliveryResult.RETRY, "recipients refused without a reply")
        detail = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in refusals)
        return Delivery(_result_for(worst.code), detail, worst.code)
    if isinstance(
        exc,
        aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPSenderRefused | aiosmtplib.SMTPDataError,
    ):
        # Replies about this mail's envelope or content.
        return Delivery(_result_for(exc.code), f"{exc.code} {exc.message}", exc.code)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        # Greeting, EHLO, STARTTLS, AUTH: about our settings or the server's state, not this mail.
        # Retrying keeps the mail (a wrong password must not turn every queued mail into a bounce);
        # MAX_ATTEMPTS still ends it.
        return Delivery(DeliveryResult.RETRY, f"{exc.code} {exc.message}", exc.code)
    # Refused connection, timeout, disconnect, TLS failure, missing extension: all transient.
    return Delivery(DeliveryResult.RETRY, f"{type(exc).__name__}: {exc}")


class SmtpTransport:
    """One fresh connection per mail, as aiosmtplib's maintainer advises (aiosmtplib#243)."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None = None,
        password: str | None = None,
        security: Literal["none", "starttls", "tls"] = "none",
        timeout: float = 30,
        local_hostname: str = "salesbot.local",
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        """`tls_context` replaces the default (system CAs, hostname checked), e.g. for a relay with a
        private CA; "none" security ignores it."""
        if security not in ("none", "starttls", "tls"):
            raise ValueError(f"unknown security {security!r}")
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.security = security
        self.timeout = timeout
        # Given explicitly so aiosmtplib does not resolve the machine's name on every connection.
        self.local_hostname = local_hostname
        self.tls_context = tls_context

    async def deliver(self, mail: OutgoingMail) -> Delivery:
        try:
            message = build_message(mail)
        except (ValueError, MessageError) as exc:
            return Delivery(DeliveryResult.FAILED, f"cannot build message: {exc}")
        # Envelope from the parsed headers, so it always matches what the recipient sees.
        sender = message["From"].addresses[0].addr_spec
        recipients = [a.addr_spec for a in message["To"].addresses]
        try:
            _, reply = await aiosmtplib.send(
                message,
                sender=sender,
                recipients=recipients,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                local_hostname=self.local_hostname,
                timeout=self.timeout,
                use_tls=self.security == "tls",
                # False, not None: None would upgrade opportunistically when the server offers it.
                start_tls=self.security == "starttls",
                tls_context=self.tls_context if self.security != "none" else None,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:  # OSError covers TimeoutError, ssl errors
            return classify_smtp_error(exc)
        # The DATA reply usually names the server's queue id: worth keeping for tracing a mail.
        return Delivery(DeliveryResult.SENT, reply, 250)


# --- .eml files ---------------------------------------------------------------------------------

_FILE_UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]+")


def eml_filename(message_id: str) -> str:
    """A file name from a Message-ID; a digest is added when cleaning changed it, so no two collide."""
    raw = message_id.strip().removeprefix("<").removesuffix(">")
    name = _FILE_UNSAFE.sub("_", raw).lstrip(".")[:150]
    if name != raw or not name:
        name = f"{name}-{hashlib.sha256(message_id.encode()).hexdigest()[:16]}"
    return f"{name}.eml"


class EmlDirectoryTransport:
    """Writes each mail to `<message id>.eml`; delivering the same mail again overwrites the file."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    async def deliver(self, mail: OutgoingMail) -> Delivery:
        try:
            data = build_message(mail).as_bytes()
        except (ValueError, MessageError) as exc:
            return Delivery(DeliveryResult.FAILED, f"cannot build message: {exc}")
        target = self.directory / eml_filename(mail.message_id)
        try:
            await asyncio.to_thread(self._write_atomically, target, data)
        except OSError as exc:  # disk full, permissions: may clear up, so retry
            return Delivery(DeliveryResult.RETRY, f"{type(exc).__name__}: {exc}")
        return Delivery(DeliveryResult.SENT, str(target))

    def _write_atomically(self, target: Path, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        # Temp file in the same directory (same file system, so os.replace is atomic); the leading
        # dot and .tmp suffix keep readers that glob *.eml from seeing a half-written file.
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
