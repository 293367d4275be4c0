"""People who use the bot, and what each role may do (checked server-side on every action)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain import text_limits as limits
from domain.customer import check_email, check_language
from domain.errors import N_, InvalidInput, NotPermitted


class Role(StrEnum):
    SALES = "sales"
    MARKETING = "marketing"
    MANAGER = "manager"
    ADMIN = "admin"
    CUSTOMER = "customer"  # a customer's contact who linked their Telegram account (issue 4)


class Permission(StrEnum):
    QUOTE = "quote"            # create and send quotations
    CONFIRM = "confirm"        # confirm, lose or cancel quotations
    DELIVER = "deliver"        # post packing slips
    INVOICE = "invoice"        # post customer invoices
    SEE_ALL = "see_all"        # see every salesperson's documents, not just one's own
    LEADS = "leads"            # capture parties, qualify them, see the pipeline
    AGREEMENT = "agreement"  # create, set effective, close and order from sales agreements
    MANAGE_PRODUCT_LISTS = "manage_product_lists"  # up-sell/cross-sell rules
    BACKORDERS = "backorders"  # see backorders, raise a line's priority, confirm a delivery date
    ALLOCATE = "allocate"      # split an item's on-hand stock among all its backorders
    INVITE = "invite"          # e-mail a customer a link to connect their Telegram account
    CAMPAIGNS = "campaigns"    # create, schedule, pause and cancel marketing campaigns


# What a salesperson may do (managers and admins may do everything).
SALES_PERMISSIONS: frozenset[Permission] = frozenset({
    Permission.QUOTE, Permission.CONFIRM, Permission.DELIVER, Permission.INVOICE,
    Permission.LEADS, Permission.AGREEMENT, Permission.BACKORDERS, Permission.INVITE,
})


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SALES: SALES_PERMISSIONS,
    Role.MARKETING: frozenset({Permission.CAMPAIGNS}),
    Role.MANAGER: frozenset(Permission),
    Role.ADMIN: frozenset(Permission),
    Role.CUSTOMER: frozenset(),  # no staff permission; sees only their own party (may_see_customer)
}


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise InvalidInput(N_("Unknown role '{role}'; use sales, marketing, manager or admin."),
                           role=text) from None


# Telegram's user ids have at most 52 significant bits; a larger number is a mistyped id (and would
# not fit the database's integer).
MAX_TELEGRAM_ID = 2**52 - 1
NOT_A_TELEGRAM_ID = N_("'{text}' is not a Telegram id (a whole number, like 123456789).")


def parse_telegram_id(text: str) -> int:
    """A Telegram id as typed or read from a file: digits only ('2007.0' is a spreadsheet's
    number, not an id)."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput(NOT_A_TELEGRAM_ID, text=text)
    return check_telegram_id(int(text))


def check_telegram_id(telegram_id: int) -> int:
    if telegram_id <= 0:
        raise InvalidInput(N_("A Telegram id is a positive number."))
    if telegram_id > MAX_TELEGRAM_ID:
        raise InvalidInput(NOT_A_TELEGRAM_ID, text=telegram_id)
    return telegram_id


@dataclass(eq=False)
class User:
    telegram_id: int
    name: str
    role: Role
    email: str = ""
    language: str | None = None  # None: follow Telegram's language_code
    id: int | None = None
    customer_id: int | None = None  # set for Role.CUSTOMER only: the customer this account speaks for

    def __post_init__(self) -> None:
        check_telegram_id(self.telegram_id)
        if not self.name.strip():
            raise InvalidInput(N_("A user needs a name."))
        limits.check_length(self.name, limits.NAME, limits.NAME_TOO_LONG)
        self.role = Role(self.role)
        if self.email:
            self.email = check_email(self.email)
        if self.language:
            self.language = check_language(self.language)
        if (self.role is Role.CUSTOMER) != (self.customer_id is not None):
            raise InvalidInput(N_("A customer account is linked to one customer; staff are linked to none."))

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise NotPermitted(N_("Your role does not allow this."))

    def may_see(self, owner_id: int | None) -> bool:
        """A salesperson sees their own documents; managers and admins see all."""
        return self.can(Permission.SEE_ALL) or owner_id == self.id

    def require_may_maintain_customer(self, salesperson_id: int | None) -> None:
        """A customer's contact data (e-mail, postal address, language) is kept by whoever quotes:
        the account's own salesperson, any salesperson while the account has none, managers and
        admins always. Another salesperson's account is theirs to keep."""
        self.require(Permission.QUOTE)
        if salesperson_id is not None and not self.may_see(salesperson_id):
            raise NotPermitted(N_("This customer is another salesperson's account; ask them or a "
                                  "manager to change it."))

    # -- the customer channel (issue 4) ----------------------------------------------------------
    @property
    def is_customer(self) -> bool:
        return self.role is Role.CUSTOMER

    def may_see_customer(self, customer_id: int | None) -> bool:
        """The one customer-scope check: a linked customer sees their own party's records, nothing else.

        Staff never pass it (they see documents through may_see); every customer-facing service uses it.
        """
        return self.is_customer and self.customer_id is not None and customer_id == self.customer_id

    def require_customer(self) -> int:
        """The customer this account speaks for; anyone else is refused."""
        if not self.is_customer or self.customer_id is None:
            raise NotPermitted(N_("This is for customers who linked their Telegram account from one of "
                                  "our e-mails."))
        return self.customer_id
