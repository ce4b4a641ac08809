"""The mail worker's send against a real local SMTP server: what arrives, and that a refusal
or a server without the STARTTLS it was told to require raises (the item is tried again)."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import aiosmtplib
import pytest
from connector_devstack.in_process import isolated_settings
from connector_devstack.infra import Infra
from connector_devstack.mailbox import Mailbox, text_of
from connector_runtime.work import WorkItem
from gateway.core.mail import Mail
from gateway.mail import send_mail
from gateway.settings import GatewaySettings

pytestmark = pytest.mark.integration

MAIL = Mail(kind="invitation", to="ada@example.com", subject="Hello", text="Set it: https://x/y")


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A mailbox of this test's own (refusals set here reach no other test)."""
    running = Mailbox().start()
    yield running
    running.stop()


@pytest.fixture
def settings(infra: Infra, mailbox: Mailbox) -> Callable[..., GatewaySettings]:
    """Gateway settings pointing at the mailbox, with `overrides`."""
    env = {k.lower(): v for k, v in mailbox.smtp_env().items()}
    return lambda **overrides: isolated_settings(GatewaySettings, infra, **{**env, **overrides})


def item(mail: Mail) -> WorkItem:
    now = datetime.now(UTC)
    return WorkItem(
        id=1, kind="mail", key="m1", order_key=None, due_at=now, attempts=0, queued_at=now,
        last_error=None, payload=mail.model_dump(),
    )  # fmt: skip


async def test_a_queued_mail_arrives_from_the_configured_sender(
    mailbox: Mailbox, settings: Callable[..., GatewaySettings]
) -> None:
    await send_mail(settings(mail_from="team@shop.example"), item(MAIL))
    (received,) = mailbox.messages_to("ada@example.com")
    assert (received["From"], received["Subject"]) == ("team@shop.example", "Hello")
    assert text_of(received).strip() == "Set it: https://x/y"


async def test_a_refused_mail_raises_so_it_is_tried_again(
    mailbox: Mailbox, settings: Callable[..., GatewaySettings]
) -> None:
    mailbox.refuse_next(1)
    with pytest.raises(aiosmtplib.SMTPDataError):
        await send_mail(settings(), item(MAIL))
    assert mailbox.messages_to("ada@example.com") == []


async def test_a_server_without_starttls_is_a_failed_send_when_starttls_is_required(
    mailbox: Mailbox, settings: Callable[..., GatewaySettings]
) -> None:
    with pytest.raises(aiosmtplib.SMTPException):
        await send_mail(settings(smtp_starttls=True), item(MAIL))
    assert mailbox.messages_to("ada@example.com") == []
