"""`salesbot import`: what a file says is what is imported, or the file is refused with every bad
row named (a QA pass found prices of 0, dropped fields and wiped groups)."""
from __future__ import annotations

from bot.cli import main
from storage import tables as t
from tests.integration.test_cli import PRODUCTS, count, db_url, write  # noqa: F401 (fixture)

PRICE_HEADER = ("relation,item_code,item,account_code,account,from_quantity,valid_from,valid_to,price,"
                "discount_percent,discount_amount\n")


def test_a_price_agreement_without_a_price_is_refused(db_url, tmp_path, capsys):
    assert main(["import", "products", write(tmp_path, "p.csv", PRODUCTS)]) == 0
    prices = PRICE_HEADER + "price,item,A-100,all,,,,,,,\nprice,item,A-200,all,,,,,0,,\n"
    assert main(["import", "prices", write(tmp_path, "pr.csv", prices)]) == 1
    err = capsys.readouterr().err
    assert "line 2: A price agreement needs a price." in err
    assert "line 3:" not in err  # a price of 0 typed on purpose is a price
    assert count(db_url, t.trade_agreements) == 0
