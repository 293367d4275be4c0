"""`salesbot import`: what a file says is what is imported, or the file is refused with every bad
row named (a QA pass found prices of 0, dropped fields and wiped groups)."""
from __future__ import annotations

from decimal import Decimal

from bot.cli import main
from storage import tables as t
from tests.integration.test_cli import PRODUCTS, count, db_url, lookup, write  # noqa: F401 (fixture)

PRICE_HEADER = ("relation,item_code,item,account_code,account,from_quantity,valid_from,valid_to,price,"
                "discount_percent,discount_amount\n")


def _item(url: str, number: str):
    return lookup(url, lambda uow: uow.items.by_number(number))


def _customer(url: str, account: str):
    return lookup(url, lambda uow: uow.customers.by_account(account))


def test_a_price_agreement_without_a_price_is_refused(db_url, tmp_path, capsys):
    assert main(["import", "products", write(tmp_path, "p.csv", PRODUCTS)]) == 0
    prices = PRICE_HEADER + "price,item,A-100,all,,,,,,,\nprice,item,A-200,all,,,,,0,,\n"
    assert main(["import", "prices", write(tmp_path, "pr.csv", prices)]) == 1
    err = capsys.readouterr().err
    assert "line 2: A price agreement needs a price." in err
    assert "line 3:" not in err  # a price of 0 typed on purpose is a price
    assert count(db_url, t.trade_agreements) == 0


def test_column_names_are_matched_whatever_their_case(db_url, tmp_path, capsys):
    assert main(["import", "products", write(tmp_path, "p.csv", PRODUCTS.replace("name,unit", "Name,UNIT"))]) == 0
    prices = "Relation,Item_Code,item,account_code,account,Price\nprice,item,A-100,all,,99.50\n"
    assert main(["import", "prices", write(tmp_path, "pr.csv", prices)]) == 0
    [agreement] = lookup(db_url, lambda uow: uow.trade_agreements.all())
    assert agreement.price == Decimal("99.50")


def test_a_column_the_import_does_not_know_is_refused_by_name(db_url, tmp_path, capsys):
    typo = "item_number,name,unit,sales_price,sales_tax_percent,item_grup\nA-1,Chair,pcs,10,21,FURN\n"
    assert main(["import", "products", write(tmp_path, "p.csv", typo)]) == 1
    err = capsys.readouterr().err
    assert "unknown column(s): item_grup" in err and "item_group" in err  # names what it knows
    twice = "item_number,on_hand,On_Hand\nA-100,1,2\n"
    assert main(["import", "stock", write(tmp_path, "s.csv", twice)]) == 1
    assert "column on_hand appears twice" in capsys.readouterr().err


def test_every_import_knows_its_optional_columns(db_url, tmp_path, capsys):
    assert main(["import", "products", write(tmp_path, "p.csv", PRODUCTS)]) == 0
    rules = ("kind,item_number,suggested_item_number,customer_group,min_quantity,valid_from,valid_to,note\n"
             "up,A-100,A-200,,,,,\n")
    assert main(["import", "product_rules", write(tmp_path, "r.csv", rules)]) == 0
    customers = ("account_number,name,email,language,customer_group,address,salesperson\n"
                 "C-1,Acme,a@acme.example,en,,,\n")
    assert main(["import", "customers", write(tmp_path, "c.csv", customers)]) == 0
    pos = ("purchase_order,vendor,vendor_name,item_number,quantity,expected_date,received\n"
           "PO-1,V-1,Vendor,A-100,5,2026-12-01,\n")
    assert main(["import", "purchase_orders", write(tmp_path, "po.csv", pos)]) == 0


def test_a_row_with_more_or_fewer_fields_than_the_header_is_refused(db_url, tmp_path, capsys):
    products = ("item_number,name,unit,sales_price,sales_tax_percent\n"
                "X-1,Chair,pcs,12,50,21\n"       # line 2: an unquoted Dutch 12,50
                "X-2,Desk,pcs,10\n"              # line 3: one short
                'X-3,Lamp,pcs,"12,50",21\n')     # line 4: fine
    assert main(["import", "products", write(tmp_path, "p.csv", products)]) == 1
    err = capsys.readouterr().err
    assert "line 2: 6 fields, the header has 5" in err
    assert "line 3: 4 fields, the header has 5" in err
    assert "line 4:" not in err and "2 bad row(s)" in err
    assert count(db_url, t.items) == 0
    assert main(["import", "products", write(tmp_path, "p.csv", PRODUCTS)]) == 0
    assert main(["import", "stock", write(tmp_path, "s.csv", "item_number,on_hand\nA-100,1,5\n")]) == 1
    assert "line 2: 3 fields, the header has 2" in capsys.readouterr().err
    assert _item(db_url, "A-100").on_hand == 0


def test_a_file_without_an_optional_column_leaves_that_field_as_it_is(db_url, tmp_path, capsys):
    grouped = "item_number,name,unit,sales_price,sales_tax_percent,item_group\nA-1,Chair,pcs,10,21,FURN\n"
    assert main(["import", "products", write(tmp_path, "p.csv", grouped)]) == 0
    plain = "item_number,name,unit,sales_price,sales_tax_percent\nA-1,Chair,pcs,11,21\n"
    assert main(["import", "products", write(tmp_path, "p2.csv", plain)]) == 0
    chair = _item(db_url, "A-1")
    assert (chair.sales_price, chair.item_group) == (Decimal(11), "FURN")
    customers = "account_number,name,email,language,customer_group\nC-1,Acme,a@acme.example,en,WHOLESALE\n"
    assert main(["import", "customers", write(tmp_path, "c.csv", customers)]) == 0
    plain = "account_number,name,email,language\nC-1,Acme BV,a@acme.example,en\n"
    assert main(["import", "customers", write(tmp_path, "c2.csv", plain)]) == 0
    acme = _customer(db_url, "C-1")
    assert (acme.name, acme.customer_group) == ("Acme BV", "WHOLESALE")


def test_a_semicolon_separated_file_is_read(db_url, tmp_path, capsys):
    dutch = ("Item_Number;Name;Unit;Sales_Price;Sales_Tax_Percent\n"
             "A-1;Stoel, zwart;pcs;12,50;21\n")
    assert main(["import", "products", write(tmp_path, "p.csv", dutch, "utf-8-sig")]) == 0
    chair = _item(db_url, "A-1")
    assert (chair.name, chair.sales_price) == ("Stoel, zwart", Decimal("12.50"))


def test_unknown_references_are_named_with_the_other_bad_rows(db_url, tmp_path, capsys):
    assert main(["import", "products", write(tmp_path, "p.csv", PRODUCTS)]) == 0
    stock = "item_number,on_hand\nA-100,1\nZZZ,5\nA-200,abc\n"
    assert main(["import", "stock", write(tmp_path, "s.csv", stock)]) == 1
    err = capsys.readouterr().err
    assert err.index("line 3: unknown item number 'ZZZ'") < err.index("line 4: 'abc' is not a number.")
    assert "2 bad row(s)" in err
    prices = PRICE_HEADER + "price,item,Z-9,all,,,,,10,,\nprice,itm,A-100,all,,,,,10,,\n"
    assert main(["import", "prices", write(tmp_path, "pr.csv", prices)]) == 1
    err = capsys.readouterr().err
    assert "line 2: unknown item number 'Z-9'" in err and "line 3:" in err
    customers = ("account_number,name,email,language,salesperson\n"
                 "C-1,Acme,a@acme.example,en,999\nC-2,,b@acme.example,en,\n")
    assert main(["import", "customers", write(tmp_path, "c.csv", customers)]) == 1
    err = capsys.readouterr().err
    assert "line 2: salesperson '999'" in err and "line 3: A customer needs a name." in err
    pos = ("purchase_order,vendor,item_number,quantity,expected_date,received\n"
           "PO-1,V-1,Z-9,5,2026-12-01,\nPO-1,V-1,A-100,x,2026-12-01,\n")
    assert main(["import", "purchase_orders", write(tmp_path, "po.csv", pos)]) == 1
    err = capsys.readouterr().err
    assert "line 2: unknown item number 'Z-9'" in err and "line 3: 'x' is not a number." in err
    tags = "contact,tags\nC-404,vip\n,vip\n"
    assert main(["import", "tags", write(tmp_path, "t.csv", tags)]) == 1
    err = capsys.readouterr().err
    assert "line 2: unknown contact 'C-404'" in err and "line 3: A row needs a contact" in err


def test_a_negative_stock_is_refused_as_negative(db_url, tmp_path, capsys):
    assert main(["import", "products", write(tmp_path, "p.csv", PRODUCTS)]) == 0
    assert main(["import", "stock", write(tmp_path, "s.csv", "item_number,on_hand\nA-100,-3\nA-200,0\n")]) == 1
    err = capsys.readouterr().err
    assert "line 2: The quantity cannot be negative." in err and "line 3:" not in err


def test_a_language_is_en_or_nl_not_a_word_that_starts_like_one(db_url, tmp_path, capsys):
    customers = ("account_number,name,email,language\n"
                 "C-1,Acme,a@acme.example,enzo\nC-2,Bakker,b@bakker.example,Nederlands\n"
                 "C-3,Café,c@cafe.example,NL\n")
    assert main(["import", "customers", write(tmp_path, "c.csv", customers)]) == 1
    err = capsys.readouterr().err
    assert "line 2: Language 'enzo' is not supported; use en or nl." in err
    assert "line 3:" not in err and "line 4:" not in err


def test_a_telegram_id_must_be_one(db_url, tmp_path, capsys):
    users = "telegram_id,name,role,email\n2007.0,A,sales,\n99999999999999999999,B,sales,\n1001,C,sales,\n"
    assert main(["import", "users", write(tmp_path, "u.csv", users)]) == 1
    err = capsys.readouterr().err
    assert "line 2: '2007.0' is not a Telegram id" in err
    assert "line 3: '99999999999999999999' is not a Telegram id" in err
    assert "Traceback" not in err and count(db_url, t.users) == 0
    assert main(["users", "add", "--telegram-id", "99999999999999999999", "--name", "X", "--role", "sales"]) == 1
    err = capsys.readouterr().err
    assert "'99999999999999999999' is not a Telegram id" in err and "Traceback" not in err


def _link_customer(url: str, telegram_id: int) -> None:
    from domain.user import Role, User

    async def link(uow):
        customer = await uow.customers.by_account("C-1")
        await uow.users.add(User(telegram_id=telegram_id, name="Buyer", role=Role.CUSTOMER,
                                 customer_id=customer.id))
        await uow.commit()
    lookup(url, link)


def test_a_customer_s_telegram_account_is_not_made_staff(db_url, tmp_path, capsys):
    customers = "account_number,name,email,language\nC-1,Acme,a@acme.example,en\n"
    assert main(["import", "customers", write(tmp_path, "c.csv", customers)]) == 0
    _link_customer(db_url, 7777)
    capsys.readouterr()
    assert main(["users", "add", "--telegram-id", "7777", "--name", "New Rep", "--role", "sales"]) == 1
    assert "Telegram id 7777 is linked to customer C-1 Acme" in capsys.readouterr().err
    users = "telegram_id,name,role,email\n7777,New Rep,sales,\n"
    assert main(["import", "users", write(tmp_path, "u.csv", users)]) == 1
    assert "line 2: Telegram id 7777 is linked to customer C-1 Acme" in capsys.readouterr().err
    buyer = lookup(db_url, lambda uow: uow.users.by_telegram_id(7777))
    assert (buyer.role, buyer.name) == ("customer", "Buyer")
