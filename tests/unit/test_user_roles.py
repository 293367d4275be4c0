"""Who may do what: roles, their permissions, and what each user sees."""
import pytest

from domain.errors import InvalidInput, NotPermitted
from domain.user import MAX_TELEGRAM_ID, Permission, Role, User, parse_role, parse_telegram_id

P = Permission
DOCUMENT_WORK = (P.QUOTE, P.CONFIRM, P.DELIVER, P.INVOICE)


def user(role: Role, user_id: int = 10, **fields) -> User:
    u = User(telegram_id=fields.pop("telegram_id", 5000 + user_id), name=fields.pop("name", "Sam"),
             role=role, **fields)
    u.id = user_id
    return u


# --- permissions ------------------------------------------------------------------------------

@pytest.mark.parametrize("permission", DOCUMENT_WORK)
def test_a_salesperson_can_quote_confirm_deliver_and_invoice(permission):
    sales = user(Role.SALES)
    assert sales.can(permission)
    sales.require(permission)


def test_a_salesperson_sees_only_their_own_documents():
    sales = user(Role.SALES, user_id=10)
    assert not sales.can(P.SEE_ALL)
    assert sales.may_see(10)
    assert not sales.may_see(11)
    assert not sales.may_see(None)


# Issue 5: campaigns are marketing's own work (Permission.CAMPAIGNS), none of the sales work.
@pytest.mark.parametrize("permission", [p for p in Permission if p is not Permission.CAMPAIGNS])
def test_marketing_can_do_none_of_the_sales_work(permission):
    marketing = user(Role.MARKETING)
    assert not marketing.can(permission)
    with pytest.raises(NotPermitted, match="Your role does not allow this"):
        marketing.require(permission)


def test_marketing_does_not_see_a_salespersons_documents():
    assert not user(Role.MARKETING, user_id=20).may_see(10)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_managers_and_admins_may_do_everything_and_see_all(role):
    boss = user(role, user_id=30)
    assert all(boss.can(p) for p in Permission)
    for p in Permission:
        boss.require(p)
    assert boss.may_see(10) and boss.may_see(30) and boss.may_see(None)


# --- roles typed by a person ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "role"), [
    ("sales", Role.SALES), ("Marketing", Role.MARKETING), (" MANAGER ", Role.MANAGER),
    ("admin", Role.ADMIN)])
def test_a_role_is_read_whatever_its_case_and_spacing(text, role):
    assert parse_role(text) is role


@pytest.mark.parametrize("text", ["", "boss", "salesperson", "root", "sales manager"])
def test_an_unknown_role_is_refused_with_the_role_in_the_message(text):
    with pytest.raises(InvalidInput) as caught:
        parse_role(text)
    assert caught.value.params == {"role": text}
    assert f"Unknown role '{text}'" in str(caught.value)


# --- users ------------------------------------------------------------------------------------

def test_a_user_given_the_role_as_text_gets_the_role():
    u = User(telegram_id=42, name="Mia", role="manager")
    assert u.role is Role.MANAGER and u.can(P.SEE_ALL)


@pytest.mark.parametrize("telegram_id", [0, -1])
def test_a_telegram_id_must_be_a_positive_number(telegram_id):
    with pytest.raises(InvalidInput, match="positive number"):
        User(telegram_id=telegram_id, name="Sam", role=Role.SALES)


@pytest.mark.parametrize("text", ["2007.0", "12a", "-5", "", "9" * 20, str(MAX_TELEGRAM_ID + 1), "٣"])
def test_a_telegram_id_is_digits_within_telegram_s_range(text):
    with pytest.raises(InvalidInput, match="is not a Telegram id|positive number"):
        parse_telegram_id(text)
    assert parse_telegram_id(" 2007 ") == 2007 and parse_telegram_id(str(MAX_TELEGRAM_ID)) == MAX_TELEGRAM_ID


def test_a_telegram_id_too_big_for_telegram_is_refused_before_the_database():
    with pytest.raises(InvalidInput, match="'99999999999999999999' is not a Telegram id"):
        User(telegram_id=99999999999999999999, name="Sam", role=Role.SALES)


@pytest.mark.parametrize("name", ["", "   "])
def test_a_user_needs_a_name(name):
    with pytest.raises(InvalidInput, match="needs a name"):
        User(telegram_id=42, name=name, role=Role.SALES)


def test_a_users_email_is_trimmed_and_checked():
    assert User(telegram_id=42, name="Sam", role=Role.SALES, email=" sam@example.com ").email == (
        "sam@example.com")
    with pytest.raises(InvalidInput, match="is not an e-mail address"):
        User(telegram_id=42, name="Sam", role=Role.SALES, email="sam at example")


def test_a_user_without_email_or_language_is_accepted():
    u = User(telegram_id=42, name="Sam", role=Role.SALES)
    assert (u.email, u.language) == ("", None)


def test_a_users_language_is_en_or_nl():
    assert User(telegram_id=42, name="Sam", role=Role.SALES, language="NL").language == "nl"
    assert User(telegram_id=42, name="Sam", role=Role.SALES, language="en-GB").language == "en"
    with pytest.raises(InvalidInput, match="not supported"):
        User(telegram_id=42, name="Sam", role=Role.SALES, language="de")


@pytest.mark.parametrize("text, code", [("English", "en"), ("nederlands", "nl"), ("Dutch", "nl"),
                                        ("nl_BE", "nl"), (" EN ", "en")])
def test_a_language_may_be_named(text, code):
    assert User(telegram_id=42, name="Sam", role=Role.SALES, language=text).language == code


@pytest.mark.parametrize("text", ["enzo", "nlx", "Nederland", "e"])
def test_a_word_that_only_starts_like_a_language_code_is_not_one(text):
    with pytest.raises(InvalidInput, match=f"Language '{text}' is not supported"):
        User(telegram_id=42, name="Sam", role=Role.SALES, language=text)


def test_marketing_runs_campaigns_and_sales_do_not():
    assert user(Role.MARKETING).can(Permission.CAMPAIGNS)
    assert not user(Role.SALES).can(Permission.CAMPAIGNS)
    assert user(Role.MANAGER).can(Permission.CAMPAIGNS)
