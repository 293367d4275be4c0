"""One SMTP session of the campaign sender, kept open across messages, and what an attempt gave."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Literal

import aiosmtplib


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    security: Literal["none", "starttls", "tls"] = "none"
    timeout: float = 30
    local_hostname: str = "salesbot.local"


@dataclass(frozen=True)
class Attempt:
    delivered: bool
    code: int | None = None
    ambiguous: bool = False
    detail: str = ""


class SmtpDown(Exception):
    """The server cannot be reached (or refuses the session): nothing was handed over."""


class Connection:
    """One SMTP session kept open across messages (the expensive part is the handshake)."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.smtp: aiosmtplib.SMTP | None = None

    async def ensure(self) -> None:
        if self.smtp is not None and self.smtp.is_connected:
            return
        c = self.config
        smtp = aiosmtplib.SMTP(hostname=c.host, port=c.port, username=c.username, password=c.password,
                               use_tls=c.security == "tls", start_tls=c.security == "starttls",
                               timeout=c.timeout, local_hostname=c.local_hostname)
        try:
            await smtp.connect()
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise SmtpDown(f"{type(exc).__name__}: {exc}") from exc
        self.smtp = smtp

    async def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(Exception):
                if self.smtp.is_connected:
                    await self.smtp.quit()
            with contextlib.suppress(Exception):
                self.smtp.close()
            self.smtp = None

    async def _after_refusal(self) -> None:
        try:
            await self.smtp.rset()
        except (aiosmtplib.SMTPException, OSError):
            await self.close()

    async def envelope(self, sender: str, recipient: str) -> Attempt | None:
        """MAIL FROM and RCPT TO: None once accepted, else the (undelivered) attempt. Nothing of the
        message is handed over yet, so these may run while the row's `sending` mark commits."""
        smtp = self.smtp
        try:
            await smtp.mail(sender)
            await smtp.rcpt(recipient)
        except aiosmtplib.SMTPResponseException as exc:  # a reply: not accepted
            await self._after_refusal()
            return Attempt(False, exc.code, detail=f"{exc.code} {exc.message}")
        except (aiosmtplib.SMTPException, OSError) as exc:  # lost before DATA: not sent
            await self.close()
            return Attempt(False, None, detail=f"{type(exc).__name__}: {exc}")
        return None

    async def data(self, data: bytes) -> Attempt:
        """DATA, after an accepted envelope: the message is handed over."""
        try:
            response = await self.smtp.data(data)
        except aiosmtplib.SMTPResponseException as exc:  # the server answered DATA: not accepted
            await self._after_refusal()
            return Attempt(False, exc.code, detail=f"{exc.code} {exc.message}")
        except (aiosmtplib.SMTPException, OSError) as exc:  # lost during DATA: maybe accepted
            await self.close()
            return Attempt(False, None, ambiguous=True, detail=f"{type(exc).__name__}: {exc}")
        return Attempt(True, response.code, detail=response.message)

    async def abandon(self) -> None:
        """Drop an accepted envelope without sending (RSET; the connection closes if that fails)."""
        if self.smtp is not None:
            await self._after_refusal()

    async def send(self, sender: str, recipient: str, data: bytes) -> Attempt:
        return await self.envelope(sender, recipient) or await self.data(data)
