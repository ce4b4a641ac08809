"""Mail over SMTP, queued durably: `queue_mail` writes a work item in the caller's transaction
(the mail exists exactly when what caused it does), and the `mail` worker sends it, retrying
with backoff until the server accepts it (ADR 0810).

A send that succeeds just before the process dies, uncommitted, is sent again: a duplicate mail
is the price of never losing one.
"""

import uuid
from email.message import EmailMessage

import aiosmtplib
import structlog
from connector_runtime import work
from connector_runtime.db import Connection

from gateway.core.mail import Mail
from gateway.metrics import MAILS
from gateway.settings import GatewaySettings

log = structlog.get_logger()

MAIL = "mail"
_SMTP_TIMEOUT_SECONDS = 30.0


async def queue_mail(conn: Connection, mail: Mail) -> None:
    """Queue `mail` for sending once the caller's transaction commits."""
    await work.queue(conn, MAIL, str(uuid.uuid4()), payload=mail.model_dump())


def mail_worker(settings: GatewaySettings) -> work.Worker:
    """The worker sending queued mail; never gives up (a mail is retried until sent)."""
    backoff = work.Backoff(settings.mail_retry_min_seconds, settings.mail_retry_max_seconds)
    return work.Worker(
        kind=MAIL,
        run=lambda _runtime, _db, item: send_mail(settings, item),
        backoff=backoff,
        poll_seconds=min(5.0, settings.mail_retry_min_seconds),
    )


async def send_mail(settings: GatewaySettings, item: work.WorkItem) -> None:
    """Send one queued mail; raising puts it back for a later try."""
    mail = Mail.model_validate(item.payload)
    try:
        await _send(settings, _message(settings, mail))
    except (aiosmtplib.SMTPException, OSError) as error:
        MAILS.labels(mail.kind, "failed").inc()
        log.warning(
            "mail.failed", kind=mail.kind, mail_id=item.key, attempts=item.attempts + 1,
            error=str(error) or type(error).__name__,
        )  # fmt: skip
        raise
    MAILS.labels(mail.kind, "sent").inc()
    log.info("mail.sent", kind=mail.kind, mail_id=item.key, attempts=item.attempts + 1)


def _message(settings: GatewaySettings, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = (
        f"<{uuid.uuid4()}@{settings.mail_from.partition('@')[2] or 'localhost'}>"
    )
    message.set_content(mail.text)
    return message


async def _send(settings: GatewaySettings, message: EmailMessage) -> None:
    # An empty login (a blank secret in a manifest) means none: no AUTH is attempted.
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username or None,
        password=password or None,
        start_tls=settings.smtp_starttls,
        timeout=_SMTP_TIMEOUT_SECONDS,
    )
