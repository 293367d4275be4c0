"""The unit of work: one session, one transaction; rolls back unless committed."""
from __future__ import annotations

import logging
from typing import Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from domain.errors import N_, ConcurrentChange
from storage import repositories as r

log = logging.getLogger(__name__)
# A version check that matched no row, or a unique key taken by a concurrent transaction.
_LOST_RACE = (StaleDataError, IntegrityError)


class SqlUnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self.session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        self.session = s = self._sessions()
        self.users = r.UserRepository(s)
        self.customers = r.CustomerRepository(s)
        self.items = r.ItemRepository(s)
        self.quotations = r.QuotationRepository(s)
        self.sales_orders = r.SalesOrderRepository(s)
        self.packing_slips = r.PackingSlipRepository(s)
        self.invoices = r.InvoiceRepository(s)
        self.free_text_invoices = r.FreeTextInvoiceRepository(s)
        self.posting_profiles = r.PostingProfileRepository(s)
        self.outbox = r.OutboxRepository(s)
        self.numbers = r.NumberSequences(s)
        self.parties = r.PartyRepository(s)
        self.trade_agreements = r.TradeAgreementRepository(s)
        self.sales_agreements = r.SalesAgreementRepository(s)
        self.returns = r.ReturnsRepository(s)
        self.product_list_rules = r.ProductListRuleRepository(s)
        self.suggestion_offers = r.SuggestionOfferRepository(s)
        self.invoicing = r.InvoicingRepository(s)
        self.backorders = r.BackorderRepository(s)
        self.vendors = r.VendorRepository(s)
        self.purchase_orders = r.PurchaseOrderRepository(s)
        self.customer_channel = r.CustomerChannelRepository(s)
        self.quotation_requests = r.QuotationRequestRepository(s)
        self.quotation_answers = r.QuotationAnswerRepository(s)
        self.inbound_mails = r.InboundMailRepository(s)
        self.campaigns = r.CampaignRepository(s)
        self.consents = r.ConsentRepository(s)
        self.recipients = r.RecipientQueue(s)
        self.campaign_responses = r.CampaignResponseRepository(s)
        self.delay_notices = r.DelayNoticeRepository(s)
        self.contact_tags = r.ContactTagRepository(s)
        self.campaign_contacts = r.CampaignContacts(s)
        self.calls = r.CallRepository(s)
        self.telegram_updates = r.UpdateLog(s)
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        # close() rolls back whatever was not committed and detaches the objects *without*
        # expiring them (rollback() would expire them), so callers can still read what they got.
        await self.session.close()
        self.session = None
        if isinstance(exc, _LOST_RACE):
            # An autoflush inside a query can lose the race too, not only flush() and commit().
            log.info("unit of work lost a race: %s", exc)
            raise _concurrent_change() from exc

    async def flush(self) -> None:
        """Write pending changes now (to get ids), translating lost races into a domain error."""
        try:
            await self.session.flush()
        except _LOST_RACE as exc:
            await self.session.rollback()
            raise _concurrent_change() from exc

    async def commit(self) -> None:
        try:
            await self.session.commit()
        except _LOST_RACE as exc:
            # A version check or a unique key lost a race with another transaction.
            await self.session.rollback()
            raise _concurrent_change() from exc

    async def rollback(self) -> None:
        await self.session.rollback()


def _concurrent_change() -> ConcurrentChange:
    return ConcurrentChange(N_("Someone changed this at the same moment. Please look again and retry."))


class UnitOfWorkFactory:
    """What handlers receive: call it for a fresh unit of work per action."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions)
