"""Polls the request mailbox over IMAP (aioimaplib) and hands each new mail to the intake use case.

One round: connect, log in, select the folder (learning its UIDVALIDITY), search the unseen mails
and those after the last UID recorded, and for each: skip it when it is recorded already, else fetch it without marking it read
(BODY.PEEK[]) and process it (one transaction: the mail, its request, the acknowledgement); then,
only after that commit, flag it \\Seen. A crash or a cancel between the commit and the flag leaves
the mail unseen: the next round finds it recorded and only flags it, so a mail is processed once.

A connection or server error is logged and the round is tried again at the next poll; it never
stops the bot.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

import aioimaplib

from bot.worker import BackgroundLoop
from domain.services.mail_intake import FetchedMail, IntakeResult

log = logging.getLogger(__name__)
_UIDVALIDITY = re.compile(rb"\[UIDVALIDITY (\d+)\]")

Handle = Callable[[FetchedMail], Awaitable[IntakeResult]]
Recorded = Callable[[str, int, int], Awaitable[bool]]
LastUid = Callable[[str, int], Awaitable[int | None]]


class ImapError(Exception):
    """The server refused a command (the round stops; the next poll tries again)."""


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int = 993
    username: str = ""
    password: str = ""
    folder: str = "INBOX"
    security: Literal["none", "starttls", "tls"] = "tls"
    timeout: float = 30
    ssl_context: ssl.SSLContext | None = None  # None: the system's trusted certificates


class ImapPoller(BackgroundLoop):
    """Polls until stopped (bot/worker.py); `stop()` lets the mail being processed finish (its
    transaction commits or not). A round that processed mail is followed by another at once."""

    task_name = "imap-poller"

    def __init__(self, config: ImapConfig, handle: Handle, recorded: Recorded, *,
                 last_uid: LastUid | None = None, poll_seconds: float = 60,
                 on_queued: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.config = config
        self.handle = handle
        self.recorded = recorded
        self.last_uid = last_uid
        self.poll_seconds = poll_seconds
        self.on_queued = on_queued

    async def drain_once(self) -> int:
        return await self.poll_once()

    def round_failed(self, error: Exception) -> None:
        # A server that is down is said in one line per poll, not a traceback each time.
        log.warning("IMAP poll of %s:%s failed: %r", self.config.host, self.config.port, error)

    async def poll_once(self) -> int:
        """One round; the number of mails processed (recorded now, not before)."""
        client = await self._connect()
        processed = 0
        try:
            folder = self.config.folder
            selected = _ok(await client.select(_quote(folder)), "SELECT")
            uidvalidity = _uidvalidity(selected.lines)
            # Unseen mails, and every mail after the last one recorded: a mail someone opened in
            # their mail client before the bot polled is read too.
            last = await self.last_uid(folder, uidvalidity) if self.last_uid is not None else None
            criteria = ("UNSEEN",) if last is None else ("OR", "UNSEEN", "UID", f"{last + 1}:*")
            found = _ok(await client.uid_search(*criteria, charset=None), "SEARCH")
            uids = [int(n) for line in found.lines[:-1] for n in bytes(line).split() if n.isdigit()]
            for uid in sorted(uids):
                if self._stopping:
                    break
                if not await self.recorded(folder, uidvalidity, uid):
                    raw = await self._fetch(client, uid)
                    if raw is None:
                        continue  # expunged meanwhile
                    try:
                        result = await self.handle(FetchedMail(folder, uidvalidity, uid, raw))
                    except Exception:
                        # Nothing was recorded: the mail stays unseen and is tried at the next poll,
                        # and one mail that cannot be processed does not hold up the others.
                        if asyncio.current_task().cancelling():
                            raise asyncio.CancelledError from None
                        log.exception("mail uid %s of %s could not be processed", uid, folder)
                        continue
                    processed += 1
                    log.info("mail uid %s of %s: %s", uid, folder, result.outcome)
                    if result.queued_mail and self.on_queued is not None:
                        self.on_queued()
                # Only after the commit: a crash before this line re-fetches and skips it.
                _ok(await client.uid("store", str(uid), "+FLAGS.SILENT", r"(\Seen)"), "STORE")
        finally:
            with contextlib.suppress(Exception):
                await client.logout()
        return processed

    async def _connect(self) -> aioimaplib.IMAP4:
        c = self.config
        context = c.ssl_context or ssl.create_default_context()
        if c.security == "tls":
            client = aioimaplib.IMAP4_SSL(c.host, c.port, timeout=c.timeout, ssl_context=context)
        else:
            client = aioimaplib.IMAP4(c.host, c.port, timeout=c.timeout)
        try:
            await client.wait_hello_from_server()
            if c.security == "starttls":
                await _starttls(client, context, c.host, c.timeout)
            _ok(await client.login(c.username, c.password), "LOGIN")
        except BaseException:
            with contextlib.suppress(Exception):
                client.protocol.transport.close()
            raise
        return client

    async def _fetch(self, client: aioimaplib.IMAP4, uid: int) -> bytes | None:
        response = _ok(await client.uid("fetch", str(uid), "(BODY.PEEK[])"), "FETCH")
        for line in response.lines:
            if isinstance(line, bytearray):
                return bytes(line)
        return None


async def _starttls(client: aioimaplib.IMAP4, context: ssl.SSLContext, host: str, timeout: float) -> None:
    """aioimaplib 2 knows the STARTTLS command but does not upgrade the connection itself."""
    protocol = client.protocol
    command = aioimaplib.Command("STARTTLS", protocol.new_tag(), loop=asyncio.get_running_loop())
    _ok(await asyncio.wait_for(protocol.execute(command), timeout), "STARTTLS")
    loop = asyncio.get_running_loop()
    protocol.transport = await asyncio.wait_for(
        loop.start_tls(protocol.transport, protocol, context, server_hostname=host), timeout)
    await asyncio.wait_for(protocol.capability(), timeout)


def _ok(response, command: str):
    if response.result != "OK":
        raise ImapError(f"{command} answered {response.result}: {response.lines[-1:]!r}")
    return response


def _uidvalidity(lines) -> int:
    for line in lines:
        found = _UIDVALIDITY.search(bytes(line))
        if found:
            return int(found[1])
    raise ImapError("SELECT gave no UIDVALIDITY")


def _quote(folder: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9._/-]+", folder):
        return folder
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def imap_poller_from_settings(settings, uow, clock, *, on_queued: Callable[[], None] | None = None,
                              sink=None, ssl_context: ssl.SSLContext | None = None) -> ImapPoller | None:
    """The poller the bot runs when SALESBOT_IMAP_HOST is set (None otherwise).

    `sink` makes the quotation request (domain/services/mail_intake.RequestSink; the bot passes
    bot.mail_requests.QuotationRequestSink); without one the recorded mail holds the customer and lines.
    """
    from email.utils import parseaddr

    from domain.services import mail_intake

    if not settings.imap_host:
        return None
    config = ImapConfig(settings.imap_host, settings.imap_port, settings.imap_username,
                        settings.imap_password.get_secret_value() if settings.imap_password else "",
                        settings.imap_folder, settings.imap_security, ssl_context=ssl_context)
    sink = sink or mail_intake.NoRequestSink()
    own = [a for a in (parseaddr(settings.mail_from)[1], settings.company_email) if a]
    # checks the token of a campaign mail's mailto unsubscribe (bot/campaign_mail.py)
    secret = settings.secret_key.get_secret_value().encode() if settings.secret_key else None

    async def handle(fetched: FetchedMail) -> IntakeResult:
        try:
            result = await mail_intake.process_mail(uow(), clock, sink, fetched, own_addresses=own,
                                                    default_language=settings.locale,
                                                    prospect_owner=settings.imap_prospect_owner,
                                                    unsubscribe_secret=secret)
        except BaseException:
            if hasattr(sink, "discard"):
                sink.discard()
            raise
        if hasattr(sink, "committed"):  # tell the salesperson only about what is stored
            await sink.committed()
        return result

    async def recorded(folder: str, uidvalidity: int, uid: int) -> bool:
        return await mail_intake.is_recorded(uow(), folder, uidvalidity, uid)

    async def last_uid(folder: str, uidvalidity: int) -> int | None:
        return await mail_intake.last_recorded_uid(uow(), folder, uidvalidity)

    return ImapPoller(config, handle, recorded, last_uid=last_uid, poll_seconds=settings.imap_poll_seconds,
                      on_queued=on_queued)
