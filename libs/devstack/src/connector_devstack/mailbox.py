"""A local SMTP server that keeps every mail it accepts, so tests and `make demo` read real mail.

It runs aiosmtpd on a thread of the calling process; the services reach it as `SMTP_HOST` /
`SMTP_PORT`. `refuse_next(n)` makes it answer the next `n` messages with a transient 451, as a
busy or greylisting server does, to show that mail is retried rather than lost.
"""

import email
import email.policy
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from connector_devstack.polling import poll
from connector_devstack.ports import free_port

REFUSAL = "451 4.3.0 try again later (the devstack mailbox refuses this one on purpose)"


@dataclass
class _Keeper:
    """The aiosmtpd handler: stores each accepted message (and writes it to `directory`)."""

    directory: Path | None = None
    received: list[EmailMessage] = field(default_factory=list)
    refusals_left: int = 0
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.refusals_left > 0:
                self.refusals_left -= 1
                self.refused += 1
                return REFUSAL
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(message, EmailMessage)  # the default policy's class
            self.received.append(message)
            if self.directory is not None:
                name = f"{len(self.received):04d}.eml"
                (self.directory / name).write_bytes(envelope.content)
        return "250 OK"


class Mailbox:
    """A running local SMTP server and the mail it has received."""

    def __init__(self, directory: Path | None = None) -> None:
        self._keeper = _Keeper(directory)
        self.port = free_port()
        self._controller = Controller(self._keeper, hostname="127.0.0.1", port=self.port)

    def start(self) -> "Mailbox":
        """Start serving (returns once the server accepts connections)."""
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._controller.stop()

    def smtp_env(self) -> dict[str, str]:
        """Environment that points the gateway's mail at this server."""
        return {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.port),
            "SMTP_STARTTLS": "false",
            "MAIL_FROM": "connector@devstack.invalid",
        }

    def refuse_next(self, count: int) -> None:
        """Answer the next `count` messages with a transient 451 refusal."""
        with self._keeper.lock:
            self._keeper.refusals_left = count

    @property
    def refused(self) -> int:
        """How many messages were refused on purpose so far."""
        return self._keeper.refused

    def messages_to(self, address: str) -> list[EmailMessage]:
        """The messages received for `address` (any case), oldest first."""
        with self._keeper.lock:
            return [m for m in self._keeper.received if address.lower() in str(m["To"]).lower()]

    def wait_for(self, address: str, count: int = 1, timeout: float = 60) -> list[EmailMessage]:
        """The messages for `address` once at least `count` arrived (fewer after `timeout`)."""
        result: list[EmailMessage] = poll(
            lambda: self.messages_to(address), lambda got: len(got) >= count, timeout
        )
        return result


def text_of(message: EmailMessage) -> str:
    """The plain-text body of a received message."""
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""
