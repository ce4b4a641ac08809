"""The mail the gateway composes: who it goes to, the link, and until when the link works."""

from datetime import UTC, datetime

from gateway.core.mail import invitation_mail, password_reset_mail

EXPIRES = datetime(2027, 1, 8, 9, 30, tzinfo=UTC)


def test_an_invitation_names_the_inviter_and_carries_the_link_and_its_expiry() -> None:
    mail = invitation_mail("Ada", "ada@example.com", "Olivia", "https://c/accept?token=t", EXPIRES)
    assert (mail.kind, mail.to) == ("invitation", "ada@example.com")
    assert "Olivia added you" in mail.text
    assert "https://c/accept?token=t" in mail.text
    assert "until 2027-01-08 09:30 UTC" in mail.text


def test_a_reset_mail_carries_the_link_and_says_to_ignore_it_if_not_asked() -> None:
    mail = password_reset_mail("Ada", "ada@example.com", "https://c/reset?token=t", EXPIRES)
    assert (mail.kind, mail.to) == ("password_reset", "ada@example.com")
    assert "https://c/reset?token=t" in mail.text
    assert "If you did not ask, ignore this mail" in mail.text
