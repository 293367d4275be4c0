"""`salesbot import tags FILE` against a real SQLite file: bad rows named, nothing imported from a
file with errors, a re-run changes nothing; the tags then select a campaign's targets."""
from __future__ import annotations

from bot.cli import main
from tests.integration.test_cli import CUSTOMERS, db_url, write  # noqa: F401  (db_url is a fixture)

GOOD = "contact,tags\nC-001,VIP retail\nC-003,vip москва\nC-002,\n"


def test_tags_are_imported_and_a_rerun_is_idempotent(db_url, tmp_path, capsys):
    assert main(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)]) == 0
    assert main(["users", "add", "--telegram-id", "4001", "--name", "Mark", "--role", "marketing"]) == 0
    capsys.readouterr()
    assert main(["import", "tags", write(tmp_path, "t.csv", GOOD)]) == 0
    assert "tags: 2 created, 1 updated" in capsys.readouterr().out
    assert main(["import", "tags", write(tmp_path, "t.csv", GOOD)]) == 0
    assert "tags: 0 created, 3 updated" in capsys.readouterr().out
    assert main(["campaign", "create", "--user", "4001", "--name", "VIP", "--select", "tag=vip"]) == 0
    assert "reaches 2 contact(s)" in capsys.readouterr().out
    assert main(["campaign", "create", "--user", "4001", "--name", "Moscow",
                 "--select", "tag=vip tag=Москва"]) == 0
    assert "reaches 1 contact(s)" in capsys.readouterr().out


def test_a_file_with_bad_rows_names_each_and_imports_nothing(db_url, tmp_path, capsys):
    assert main(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)]) == 0
    assert main(["users", "add", "--telegram-id", "4001", "--name", "Mark", "--role", "marketing"]) == 0
    bad = ("contact,tags\n"
           "C-001,vip\n"          # line 2: fine
           "C-002,vip!\n"         # line 3: bad character
           ",vip\n"               # line 4: no contact
           "c-001,old\n"          # line 5: duplicate of line 2
           "C-001x,vip\n")        # line 6: unknown (only reported once the rows parse)
    capsys.readouterr()
    assert main(["import", "tags", write(tmp_path, "bad.csv", bad)]) == 1
    err = capsys.readouterr().err
    assert "line 3: 'vip!' is not a tag" in err
    assert "line 4: A row needs a contact" in err
    assert "line 5: duplicate of line 2" in err
    assert "nothing was imported" in err and "line 2:" not in err
    assert main(["import", "tags", write(tmp_path, "unknown.csv", "contact,tags\nC-001,vip\nP77,x\n")]) == 1
    err = capsys.readouterr().err
    assert "line 3: unknown contact 'P77'" in err and "1 bad row(s)" in err
    assert main(["campaign", "create", "--user", "4001", "--name", "VIP", "--select", "tag=vip"]) == 0
    assert "reaches 0 contact(s)" in capsys.readouterr().out
    assert main(["import", "tags", write(tmp_path, "x.csv", "contact\nC-001\n")]) == 1
    assert "missing column(s): tags" in capsys.readouterr().err
