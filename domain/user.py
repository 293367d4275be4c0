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


class Permission(StrEnum):
    QUOTE = "quote"            # create and send quotations
    CONFIRM = "confirm"        # confirm, lose or cancel quotations
    DELIVER = "deliver"        # post packing slips
    INVOICE = "invoice"        # post customer invoices
    SEE_ALL = "see_all"        # see every salesperson's documents, not just one's own

    # ~~ §1 relationships ~~
    # ~~ end §1 ~~

    # ~~ §2 pricing ~~
    # ~~ end §2 ~~

    # ~~ §3 sales agreements ~~
    # ~~ end §3 ~~

    # ~~ §4 order types ~~
    # ~~ end §4 ~~

    # ~~ §5 up-sell/cross-sell ~~
    # ~~ end §5 ~~

    # ~~ §6 invoicing ~~
    # ~~ end §6 ~~

    # ~~ §7 backorders ~~
    BACKORDERS = "backorders"  # see backorders, raise a line's priority, confirm a delivery date
    ALLOCATE = "allocate"      # split an item's on-hand stock among all its backorders
    # ~~ end §7 ~~


# What a salesperson may do; each part of the product adds its own permissions below.
SALES_PERMISSIONS: set[Permission] = {Permission.QUOTE, Permission.CONFIRM, Permission.DELIVER,
                                      Permission.INVOICE}

# ~~ §1 relationships ~~
# ~~ end §1 ~~

# ~~ §2 pricing ~~
# ~~ end §2 ~~

# ~~ §3 sales agreements ~~
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

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SALES: frozenset(SALES_PERMISSIONS),
    Role.MARKETING: frozenset(),
    Role.MANAGER: frozenset(Permission),
    Role.ADMIN: frozenset(Permission),
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

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise NotPermitted(N_("Your role does not allow this."))

    def may_see(self, owner_id: int | None) -> bool:
        """A salesperson sees their own documents; managers and admins see all."""
        return self.can(Permission.SEE_ALL) or owner_id == self.id
