"""`salesbot import product_rules FILE`: up-sell/cross-sell rules from CSV, all or nothing."""
from __future__ import annotations

from bot.cli import main
from storage import tables as t
from tests.integration.test_cli import PRODUCTS, count, db_url, write  # noqa: F401 (fixture)

RULES = """kind,item_number,suggested_item_number,customer_group,min_quantity,valid_from,valid_to,note
up,A-100,A-200,,,,,Standing is healthier
cross,A-100,B-300,Wholesale,5,2026-12-01,31-12-2026,
"""


def test_product_rules_are_imported_and_a_rerun_updates_them(db_url, tmp_path, capsys):
    assert main(["import", "products", write(tmp_path, "p.csv", PRODUCTS)]) == 0
    assert main(["import", "product_rules", write(tmp_path, "r.csv", RULES)]) == 0
    assert capsys.readouterr().out.strip().endswith("product_rules: 2 created, 0 updated")
    assert main(["import", "product_rules", write(tmp_path, "r.csv", RULES)]) == 0
    assert capsys.readouterr().out.strip().endswith("product_rules: 0 created, 2 updated")
    assert count(db_url, t.product_list_rules) == 2
    # Only the three key columns are required.
    minimal = "kind,item_number,suggested_item_number\ncross,A-200,B-300\n"
    assert main(["import", "product_rules", write(tmp_path, "m.csv", minimal)]) == 0
    assert count(db_url, t.product_list_rules) == 3


def test_bad_rule_rows_are_named_by_line_and_nothing_is_imported(db_url, tmp_path, capsys):
    assert main(["import", "products", write(tmp_path, "p.csv", PRODUCTS)]) == 0
    bad = ("kind,item_number,suggested_item_number,min_quantity,valid_from,valid_to\n"
           "up,A-100,A-200,,,\n"                       # line 2: fine
           "down,A-100,B-300,,,\n"                     # line 3: unknown kind
           "cross,A-100,B-300,x,,\n"                   # line 4: bad quantity
           "cross,A-200,B-300,,2026-12-31,2026-12-01\n"  # line 5: ends before it starts
           "cross,A-200,B-300,,31-02-2026,\n"          # line 6: no such date
           "up,A-100,A-200,,,\n")                      # line 7: duplicate of line 2
    assert main(["import", "product_rules", write(tmp_path, "bad.csv", bad)]) == 1
    err = capsys.readouterr().err
    assert "line 3: 'down' is not a kind of rule" in err
    assert "line 4: 'x' is not a number." in err
    assert "line 5: The rule ends on 2026-12-01 before it starts on 2026-12-31." in err
    assert "line 6: '31-02-2026' is not a date." in err
    assert "line 7: duplicate of line 2" in err
    assert "nothing was imported" in err and count(db_url, t.product_list_rules) == 0
    unknown = "kind,item_number,suggested_item_number\nup,A-100,Z-1\n"
    assert main(["import", "product_rules", write(tmp_path, "u.csv", unknown)]) == 1
    assert "line 2: There is no item with number Z-1." in capsys.readouterr().err
    missing = "kind,item_number\nup,A-100\n"
    assert main(["import", "product_rules", write(tmp_path, "x.csv", missing)]) == 1
    assert "missing column(s): suggested_item_number" in capsys.readouterr().err
