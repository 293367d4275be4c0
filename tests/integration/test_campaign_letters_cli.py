"""`salesbot campaign letters N --out FILE`: a mailing's letters as one PDF, then the campaign is done."""
from __future__ import annotations

import io

from pypdf import PdfReader

from bot.cli import main
from tests.integration.test_cli import CUSTOMERS, db_url, write  # noqa: F401  (db_url is a fixture)

# The optional address column; a comma inside the quoted cell starts a new line of the address.
ADDRESS = 'account_number,name,email,language,address\nC-002,Café Hoogvliet,inkoop@hoogvliet.example,nl,' \
          '"Noordeinde 5, 2514 GC Den Haag, Nederland"\n'
LETTER = "Winteraanbieding voor {{ company }}\nBeste {{ contact_name }},\n\nStoelen vanaf € 149,95.\n"


def test_a_mailing_prints_one_letter_per_target_and_is_then_done(db_url, tmp_path, capsys):
    assert main(["users", "add", "--telegram-id", "4001", "--name", "Mark", "--role", "marketing"]) == 0
    assert main(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)]) == 0
    assert main(["import", "customers", write(tmp_path, "a.csv", ADDRESS)]) == 0
    assert main(["campaign", "create", "--user", "4001", "--type", "mailing", "--name", "Winter",
                 "--language", "nl"]) == 0
    out = tmp_path / "letters.pdf"
    capsys.readouterr()
    assert main(["campaign", "letters", "1", "--out", str(out)]) == 1
    assert "no content in its own language" in capsys.readouterr().err and not out.exists()
    assert main(["campaign", "content", "1", "nl", write(tmp_path, "l.txt", LETTER)]) == 0
    assert main(["campaign", "schedule", "1", "now"]) == 1
    assert "printed, not sent" in capsys.readouterr().err
    assert main(["campaign", "letters", "1", "--out", str(out)]) == 0
    assert "3 letter(s) written" in (said := capsys.readouterr().out)
    assert "2 without a postal address" in said
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages]
    assert len(pages) == 3
    text = "\n".join(pages)
    assert "Beste Café Hoogvliet," in text and "Beste ООО Ромашка," in text and "€ 149,95" in text
    assert "Noordeinde 5\n2514 GC Den Haag\nNederland" in text
    assert "Salesbot Demo BV" in text
    assert main(["campaign", "status", "1"]) == 0
    assert "done" in capsys.readouterr().out


def test_only_a_mailing_campaign_has_letters(db_url, tmp_path, capsys):
    assert main(["users", "add", "--telegram-id", "4001", "--name", "Mark", "--role", "marketing"]) == 0
    assert main(["campaign", "create", "--user", "4001", "--name", "Mail"]) == 0
    assert main(["campaign", "letters", "1", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "Only a mailing campaign" in capsys.readouterr().err


def test_a_telemarketing_campaign_shows_its_targets_and_then_its_calls_on_the_command_line(db_url, tmp_path, capsys):
    assert main(["users", "add", "--telegram-id", "4001", "--name", "Mark", "--role", "marketing"]) == 0
    assert main(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)]) == 0
    assert main(["campaign", "create", "--user", "4001", "--type", "telemarketing", "--name", "Bel"]) == 0
    capsys.readouterr()
    assert main(["campaign", "status", "1"]) == 0
    assert "targets 3, without a phone number 3" in capsys.readouterr().out  # customers without a party
    assert main(["campaign", "schedule", "1", "now"]) == 0  # no content needed
    assert "[telemarketing, en] scheduled" in capsys.readouterr().out
