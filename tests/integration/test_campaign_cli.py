"""`salesbot campaign ...` against a real SQLite file (issue 5 §1)."""
from __future__ import annotations

from bot.cli import main
from tests.integration.test_cli import CUSTOMERS, db_url, write  # noqa: F401  (db_url is a fixture)


def test_a_campaign_is_created_filled_scheduled_paused_resumed_and_cancelled_from_the_command_line(
        db_url, tmp_path, capsys):
    assert main(["users", "add", "--telegram-id", "4001", "--name", "Mark", "--role", "marketing"]) == 0
    assert main(["import", "customers", write(tmp_path, "c.csv", CUSTOMERS)]) == 0
    capsys.readouterr()
    assert main(["campaign", "create", "--user", "4001", "--name", "Spring", "--select", "language=en"]) == 0
    assert "campaign #1 created (draft): reaches 2 contact(s); 0 opted out" in capsys.readouterr().out
    assert main(["campaign", "schedule", "1", "now"]) == 1  # no content yet
    assert "no content in its own language" in capsys.readouterr().err
    template = write(tmp_path, "t.txt", "Spring at {{ company }}\nDear {{ contact_name }},\nspring!\n")
    assert main(["campaign", "content", "1", "en", template]) == 0
    assert main(["campaign", "schedule", "1", "2030-03-01 09:00"]) == 0
    assert "scheduled 2030-03-01T09:00" in capsys.readouterr().out
    assert main(["campaign", "pause", "1"]) == 0
    assert "paused" in capsys.readouterr().out
    assert main(["campaign", "resume", "1"]) == 0
    assert "scheduled;" in capsys.readouterr().out
    assert main(["campaign", "status", "1"]) == 0
    assert "targeted 2" in capsys.readouterr().out
    assert main(["campaign", "cancel", "1"]) == 0
    assert main(["campaign", "list"]) == 0
    assert "#1 Spring [email] cancelled" in capsys.readouterr().out


def test_the_command_line_refuses_bad_times_and_unknown_campaigns(db_url, capsys):
    assert main(["campaign", "schedule", "7", "tomorrow"]) == 2
    assert "YYYY-MM-DD HH:MM" in capsys.readouterr().err
    assert main(["campaign", "pause", "7"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["campaign", "create", "--user", "99", "--name", "X"]) == 1
