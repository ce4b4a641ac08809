"""Encrypting platform tokens for transport on Kafka and storage in service replicas."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SecretBox:
    """Fernet encryption with the keys every service shares (`CONNECTOR_SECRET_KEY`).

    `keys` is comma-separated: the first encrypts, every one decrypts, so a new key can be put
    first while tokens sealed with the old one are still read (then re-sealed, see `reseal`).
    """

    def __init__(self, keys: str) -> None:
        try:
            fernets = [Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()]
        except ValueError as exc:
            raise ValueError("CONNECTOR_SECRET_KEY holds a value that is not a Fernet key") from exc
        if not fernets:
            raise ValueError("CONNECTOR_SECRET_KEY holds no key")
        self._fernet = MultiFernet(fernets)

    @staticmethod
    def new_key() -> str:
        """A fresh random key (url-safe base64, 32 bytes)."""
        return Fernet.generate_key().decode()

    def seal(self, plaintext: str) -> str:
        """Encrypt a secret with the first key."""
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, ciphertext: str) -> str:
        """Decrypt a secret sealed with any of the keys (ValueError when it was not)."""
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("secret was not sealed with this CONNECTOR_SECRET_KEY") from exc

    def reseal(self, ciphertext: str) -> str:
        """The same secret sealed with the first key (ValueError when no key opens it)."""
        try:
            return self._fernet.rotate(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("secret was not sealed with this CONNECTOR_SECRET_KEY") from exc
