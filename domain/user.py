"""People who use the bot, and what each role may do (checked server-side on every action)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.customer import check_email, check_language
from domain.errors import InvalidInput, N_, NotPermitted


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

    # ~~ §1 relationships ~~
    LEADS = "leads"            # capture parties, qualify them, see the pipeline
    # ~~ end §1 ~~

    # ~~ §2 pricing ~~
    # ~~ end §2 ~~

    # ~~ §3 sales agreements ~~
    AGREEMENT = "agreement"  # create, set effective, close and order from sales agreements
    # ~~ end §3 ~~

    # ~~ §4 order types ~~
    # ~~ end §4 ~~

    # ~~ §5 up-sell/cross-sell ~~
    MANAGE_PRODUCT_LISTS = "manage_product_lists"  # up-sell/cross-sell rules
    # ~~ end §5 ~~

    # ~~ §6 invoicing ~~
    # ~~ end §6 ~~

    # ~~ §7 backorders ~~
    BACKORDERS = "backorders"  # see backorders, raise a line's priority, confirm a delivery date
    ALLOCATE = "allocate"      # split an item's on-hand stock among all its backorders
    # ~~ end §7 ~~

    # ~~ §C customer channel ~~
    INVITE = "invite"          # e-mail a customer a link to connect their Telegram account
    # ~~ end §C ~~

    # ~~ §R quote requests ~~
    # ~~ end §R ~~

    # ~~ §A accept and web ~~
    # ~~ end §A ~~

    # ~~ §I imap ~~
    # ~~ end §I ~~

    # ~~ §K campaigns ~~
    CAMPAIGNS = "campaigns"    # create, schedule, pause and cancel marketing campaigns
    # ~~ end §K ~~

    # ~~ §N notices ~~
    # ~~ end §N ~~


# What a salesperson may do; each part of the product adds its own permissions below.
SALES_PERMISSIONS: set[Permission] = {Permission.QUOTE, Permission.CONFIRM, Permission.DELIVER,
                                      Permission.INVOICE}

# ~~ §1 relationships ~~
SALES_PERMISSIONS.add(Permission.LEADS)
# ~~ end §1 ~~

# ~~ §2 pricing ~~
# ~~ end §2 ~~

# ~~ §3 sales agreements ~~
SALES_PERMISSIONS.add(Permission.AGREEMENT)
# ~~ end §3 ~~

# ~~ §4 order types ~~
# ~~ end §4 ~~

# ~~ §5 up-sell/cross-sell ~~
# ~~ end §5 ~~

# ~~ §6 invoicing ~~
# ~~ end §6 ~~

# ~~ §7 backorders ~~
SALES_PERMISSIONS.add(Permission.BACKORDERS)
# ~~ end §7 ~~

# ~~ §C customer channel ~~
SALES_PERMISSIONS.add(Permission.INVITE)
# ~~ end §C ~~

# ~~ §R quote requests ~~
# ~~ end §R ~~

# ~~ §A accept and web ~~
# ~~ end §A ~~

# ~~ §I imap ~~
# ~~ end §I ~~

# ~~ §K campaigns ~~
# ~~ end §K ~~

# ~~ §N notices ~~
# ~~ end §N ~~

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SALES: frozenset(SALES_PERMISSIONS),
    Role.MARKETING: frozenset({Permission.CAMPAIGNS}),  # issue 5 §K
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
        if self.telegram_id <= 0:
            raise InvalidInput(N_("A Telegram id is a positive number."))
        if not self.name.strip():
            raise InvalidInput(N_("A user needs a name."))
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
