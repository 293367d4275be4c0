"""Everything the campaigns need at run time, assembled once from the settings (issue 5)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import parseaddr

from bot.campaign_jobs import CampaignJob
from bot.campaign_mail import CampaignMailer, Recipient
from bot.campaign_sender import CampaignSender
from bot.campaign_smtp import Attempt, SmtpConfig
from bot.documents.letters import render_letters
from bot.documents.renderer import company_header
from bot.documents.view import CompanyHeader
from bot.rate_limit import SharedRateLimit, connect_redis
from bot.settings import Settings
from bot.telegram_campaign import TelegramCampaignSender
from bot.worker import worker_name
from domain.campaign_content import CompiledContent, Rendered
from domain.consent import ConsentSource, require_unsubscribe_secret
from domain.errors import N_, InvalidInput
from domain.ports import Clock
from domain.services import campaigns
from domain.services.campaign_letters import Letter
from domain.user import User


def public_base_url(settings: Settings) -> str:
    """Where contacts reach the bot's HTTP server (unsubscribe links): SALESBOT_PUBLIC_URL, else
    the server's own address (fine on one machine, wrong behind a proxy: set PUBLIC_URL there)."""
    if settings.public_url:
        return settings.public_url
    return f"http://{settings.http_host}:{settings.http_port or 8080}"


@dataclass
class CampaignKit:
    uow: Callable
    clock: Clock
    mailer: CampaignMailer
    sender: CampaignSender
    job: CampaignJob
    poll_seconds: float
    telegram: TelegramCampaignSender | None = None  # set by build_app (it needs the bot)
    company: CompanyHeader | None = None  # the letters' header (mailing campaigns)
    redis: object | None = None  # with REDIS_URL: the client of the paces shared by all processes

    def attach_telegram(self, bot, settings: Settings) -> None:
        self.telegram = TelegramCampaignSender(
            bot, self.uow, self.clock, self.mailer, default_locale=settings.locale, name=self.sender.name,
            rate=settings.telegram_campaign_rate, chat_interval=settings.telegram_chat_interval,
            batch=settings.campaign_batch, lease_seconds=settings.campaign_lease_seconds,
            poll_seconds=settings.campaign_poll_seconds,
            # Telegram counts a bot's messages, whichever process sends them.
            pace=None if self.redis is None else SharedRateLimit(
                self.redis, f"salesbot:rate:telegram:{bot.id}", settings.telegram_campaign_rate))
        self.job.wake = self.wake_all

    def wake_all(self) -> None:
        self.sender.wake()
        self.wake_telegram()

    def wake_telegram(self) -> None:
        if self.telegram is not None:
            self.telegram.wake()

    @classmethod
    def from_settings(cls, settings: Settings, uow: Callable, clock: Clock) -> CampaignKit:
        secret = settings.secret_key.get_secret_value().encode() if settings.secret_key else None
        # The mailto unsubscribe goes to MAIL_FROM's address, where replies to the bot's mails go
        # too: the request mailbox the IMAP poller reads. No poller, no mailto.
        mailbox = parseaddr(settings.mail_from)[1] if settings.imap_host else None
        mailer = CampaignMailer(settings.mail_from, public_base_url(settings), secret, mailbox or None)
        # No SMTP host: campaigns are not sent (mass mail into .eml files helps nobody); the sender
        # finds the server unreachable and waits, losing nothing.
        smtp = SmtpConfig(settings.smtp_host or "127.0.0.1", settings.smtp_port if settings.smtp_host else 1,
                          settings.smtp_username,
                          settings.smtp_password.get_secret_value() if settings.smtp_password else None,
                          settings.smtp_security)
        name = worker_name()
        redis = connect_redis(settings.redis_url) if settings.redis_url else None
        # A mail provider counts an account's messages, whichever process sends them.
        pace = None if redis is None else SharedRateLimit(
            redis, f"salesbot:rate:smtp:{smtp.username or ''}@{smtp.host}", settings.campaign_rate)
        sender = CampaignSender(uow, clock, mailer, smtp, rate=settings.campaign_rate,
                                connections=settings.campaign_connections, batch=settings.campaign_batch,
                                lease_seconds=settings.campaign_lease_seconds,
                                poll_seconds=settings.campaign_poll_seconds, name=name, pace=pace)
        job = CampaignJob(uow, clock, name, settings.campaign_poll_seconds, wake=sender.wake)
        return cls(uow, clock, mailer, sender, job, settings.campaign_poll_seconds,
                   company=company_header(settings), redis=redis)

    def render_letters(self, letters: Sequence[Letter]) -> bytes:
        """A mailing's print file (called in a worker thread)."""
        return render_letters(self.company, letters)

    def require_ready(self) -> None:
        require_unsubscribe_secret(self.mailer.secret)

    async def _sample(self, user: User, campaign_id: int) -> tuple[str, CompiledContent, Recipient]:
        """The campaign's name, its content for the first contact it reaches, and that contact."""
        self.require_ready()
        campaign, target = await campaigns.first_target(self.uow(), user, campaign_id)
        content = campaign.content_for(target.language)
        if content is None:
            raise InvalidInput(N_("Campaign {number} has no content yet: send /content first."),
                               number=campaign.label)
        recipient = Recipient(target.contact_kind, target.contact_id, target.email, target.name,
                              target.company, target.salesperson)
        return campaign.name, CompiledContent(content), recipient

    async def preview(self, user: User, campaign_id: int) -> tuple[Rendered, Recipient]:
        name, content, recipient = await self._sample(user, campaign_id)
        return content.render(self.mailer.fields(name, recipient)), recipient

    async def send_test(self, user: User, campaign_id: int) -> Attempt:
        """The preview, mailed to the user's own address."""
        if not user.email:
            raise InvalidInput(N_("You have no e-mail address of your own to send a test to; ask the "
                                  "administrator to add one."))
        name, content, recipient = await self._sample(user, campaign_id)
        return await self.sender.send_test(content, name, recipient, user.email)

    async def telegram_blocked(self, chat_id: int) -> None:
        await campaigns.telegram_opt_out(self.uow(), self.clock, chat_id, ConsentSource.BLOCKED)

    def start(self) -> None:
        self.sender.start()
        if self.telegram is not None:
            self.telegram.start()

    async def stop(self) -> None:
        await self.job.stop()
        await self.sender.stop()
        if self.telegram is not None:
            await self.telegram.stop()
        try:
            await self.job.resign()
        except Exception:  # the database may already be gone at shutdown; the lock expires anyway
            pass
        if self.redis is not None:
            await self.redis.aclose()
