"""Mail transport: build messages, deliver them over SMTP or into .eml files, decide on retries."""

from bot.mail.message import (
    Attachment,
    OutgoingMail,
    build_message,
    clean_header_value,
    format_address,
    make_message_id,
)
from bot.mail.templates import MailTemplates
from bot.mail.transport import (
    MAX_ATTEMPTS,
    Delivery,
    DeliveryResult,
    EmlDirectoryTransport,
    MailTransport,
    NextStep,
    SmtpTransport,
    classify_smtp_error,
    eml_filename,
    next_step,
    retry_delay,
)

__all__ = [
    "MAX_ATTEMPTS",
    "Attachment",
    "Delivery",
    "DeliveryResult",
    "EmlDirectoryTransport",
    "MailTemplates",
    "MailTransport",
    "NextStep",
    "OutgoingMail",
    "SmtpTransport",
    "build_message",
    "classify_smtp_error",
    "clean_header_value",
    "eml_filename",
    "format_address",
    "make_message_id",
    "next_step",
    "retry_delay",
]
