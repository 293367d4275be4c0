"""EmlDirectoryTransport: one .eml file per Message-ID, written atomically."""

import email
from email.policy import default as default_policy

from bot.mail import Attachment, DeliveryResult, EmlDirectoryTransport, OutgoingMail, eml_filename


def a_mail(**changes) -> OutgoingMail:
    values = dict(
        message_id="<outbox-9@salesbot.test>",
        mail_from="sales@shop.test",
        to="Zoë <zoe@customer.test>",
        subject="Factuur F-0009",
        text="Hierbij uw factuur.",
        attachments=(Attachment("F-0009.pdf", b"%PDF-1.4\x00\xff"),),
    )
    values.update(changes)
    return OutgoingMail(**values)


async def test_a_mail_is_written_as_its_message_id_in_a_new_directory(tmp_path):
    outbox = tmp_path / "does" / "not" / "exist"

    delivery = await EmlDirectoryTransport(outbox).deliver(a_mail())

    assert delivery.result is DeliveryResult.SENT
    assert [p.name for p in outbox.iterdir()] == ["outbox-9@salesbot.test.eml"]
    msg = email.message_from_bytes((outbox / "outbox-9@salesbot.test.eml").read_bytes(),
                                   policy=default_policy)
    assert msg["Message-ID"] == "<outbox-9@salesbot.test>"
    assert msg["Subject"] == "Factuur F-0009"
    assert [a.get_content() for a in msg.iter_attachments()] == [b"%PDF-1.4\x00\xff"]


async def test_delivering_the_same_mail_again_overwrites_and_leaves_no_temp_file(tmp_path):
    transport = EmlDirectoryTransport(tmp_path)

    await transport.deliver(a_mail(subject="first"))
    await transport.deliver(a_mail(subject="second"))

    [only] = list(tmp_path.iterdir())  # no duplicate, no leftover .tmp
    assert email.message_from_bytes(only.read_bytes(), policy=default_policy)["Subject"] == "second"


async def test_different_mails_get_different_files(tmp_path):
    transport = EmlDirectoryTransport(tmp_path)

    for n in range(3):
        await transport.deliver(a_mail(message_id=f"<outbox-{n}@salesbot.test>"))

    assert len(list(tmp_path.glob("*.eml"))) == 3


def test_odd_message_ids_become_safe_distinct_file_names():
    names = {eml_filename(m) for m in ["<../../etc/passwd@x>", "<a/b@x>", "<a_b@x>", "<>", "<.@x>"]}

    assert len(names) == 5
    for name in names:
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert name.endswith(".eml") and len(name) < 200
    assert eml_filename("<outbox-1@salesbot.test>") == "outbox-1@salesbot.test.eml"


async def test_an_unwritable_directory_means_retry_not_an_exception(tmp_path):
    blocker = tmp_path / "outbox"
    blocker.write_text("a file where the directory should be")

    delivery = await EmlDirectoryTransport(blocker).deliver(a_mail())

    assert delivery.result is DeliveryResult.RETRY
    assert delivery.detail


async def test_a_mail_that_cannot_be_built_fails(tmp_path):
    delivery = await EmlDirectoryTransport(tmp_path).deliver(a_mail(to="nobody"))

    assert delivery.result is DeliveryResult.FAILED
    assert list(tmp_path.iterdir()) == []
