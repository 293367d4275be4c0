"""Demo data for `salesbot demo`: a small office-supplies shop, seeded once into a fresh database."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D

from domain.customer import Customer
from domain.item import Item
from domain.ports import Clock, UnitOfWork
from domain.services import quotations
from domain.user import Role, User

DEMO_USER_ID = 1  # the Telegram id the console plays
DEMO_USER = dict(telegram_id=DEMO_USER_ID, name="Demo Sales", role=Role.SALES,
                 email="demo.sales@example.com")

# (item number, name, unit, price excl. tax, tax %, on hand). 21% is the Dutch standard rate,
# 9% the reduced rate (books, food and drink).
ITEMS = (
    ("A-100", "Office chair", "pcs", "149.95", "21", "40"),
    ("A-110", "Ergonomic office chair", "pcs", "289.00", "21", "12"),
    ("A-200", "Standing desk", "pcs", "499.00", "21", "8"),
    ("A-210", "LED desk lamp", "pcs", "39.95", "21", "60"),
    ("A-300", "Monitor arm", "pcs", "79.50", "21", "25"),
    ("A-400", "Whiteboard 120×90 cm", "pcs", "89.00", "21", "15"),
    ("B-100", "Sales handbook", "pcs", "24.50", "9", "100"),
    ("B-110", "Negotiation pocket guide", "pcs", "12.95", "9", "150"),
    ("C-100", "Coffee beans 1 kg", "bag", "18.75", "9", "80"),
    ("C-110", "Tea assortment box", "box", "9.95", "9", "120"),
    ("P-100", "Printer paper A4, 500 sheets", "ream", "5.49", "21", "500"),
    ("P-110", "Ballpoint pens, box of 50", "box", "14.90", "21", "70"),
)

# (account number, name, e-mail, language of their documents)
CUSTOMERS = (  # account, name, e-mail, language, postal address (printed on mailing letters)
    ("C-001", "Acme Office BV", "buyer@acme.example", "en", "Herengracht 100, 1015 BS Amsterdam"),
    ("C-002", "Café Hoogvliet", "inkoop@hoogvliet.example", "nl", "Markt 7, 3011 AA Rotterdam"),
    ("C-003", "ООО Ромашка", "zakupki@romashka.example", "en", "ул. Ленина 1, 119019 Москва, Россия"),
    ("C-004", "Nordwind Logistik GmbH", "einkauf@nordwind.example", "en", "Hafenstraße 3, 20457 Hamburg, Deutschland"),
    ("C-005", "Bakkerij De Gouden Korst", "info@goudenkorst.example", "nl", ""),
)

# The quotation whose last valid day is today, so the expiry warning shows at start.
EXPIRING_FOR = "C-002"
EXPIRING_LINES = (("C-100", D("10")), ("C-110", D("20")))


async def is_seeded(uow: UnitOfWork) -> bool:
    async with uow:
        return await uow.users.by_telegram_id(DEMO_USER_ID) is not None


async def seed(uow: Callable[[], UnitOfWork], clock: Clock) -> None:
    """Fill an empty demo database. Master data in one transaction, the quotation through the
    same services the bot uses, so it is numbered and totalled like any other."""
    async with uow() as u:
        user = User(**DEMO_USER)
        await u.users.add(user)
        for number, name, unit, price, tax, on_hand in ITEMS:
            await u.items.add(Item(number, name, unit, D(price), D(tax), D(on_hand)))
        for account, name, email, language, address in CUSTOMERS:
            await u.customers.add(Customer(account, name, email, language, postal_address=address))
        await u.commit()

    async with uow() as u:
        customer = await u.customers.by_account(EXPIRING_FOR)
        items = {number: await u.items.by_number(number) for number, _ in EXPIRING_LINES}
    q = await quotations.start_quotation(uow(), clock, user, customer.id)
    for number, quantity in EXPIRING_LINES:
        q = await quotations.add_line(uow(), user, q.id, items[number].id, quantity)
    q = await quotations.set_valid_until(uow(), clock, user, q.id, clock.today())
    # Mark it sent without queueing a mail: the customer "already has it" in this story.
    async with uow() as u:
        stored = await u.quotations.get(q.id)
        stored.send(clock.now())
        await u.commit()
