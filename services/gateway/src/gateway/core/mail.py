"""The mail the gateway sends, composed from what happened (pure: no SMTP here)."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Mail(BaseModel):
    """One message to one recipient, as queued: `kind` labels its metrics and logs."""

    model_config = ConfigDict(frozen=True)

    kind: str
    to: str
    subject: str
    text: str


def invitation_mail(name: str, email: str, inviter: str, link: str, expires_at: datetime) -> Mail:
    """The invitation a new user gets: a link to set their password."""
    text = (
        f"Hello {name},\n\n{inviter} added you to their TikTok Shop connector account.\n"
        f"Set your password to log in:\n\n{link}\n\n"
        f"The link works once, until {expires_at:%Y-%m-%d %H:%M} UTC.\n"
    )
    return Mail(kind="invitation", to=email, subject="You are invited to the connector", text=text)


def password_reset_mail(name: str, email: str, link: str, expires_at: datetime) -> Mail:
    """The mail answering a password-reset request for an existing user."""
    text = (
        f"Hello {name},\n\nSomeone asked to reset the password of your connector login.\n"
        f"Choose a new password here:\n\n{link}\n\n"
        f"The link works once, until {expires_at:%Y-%m-%d %H:%M} UTC. If you did not ask, ignore "
        "this mail: your password stays as it is.\n"
    )
    return Mail(kind="password_reset", to=email, subject="Reset your connector password", text=text)
