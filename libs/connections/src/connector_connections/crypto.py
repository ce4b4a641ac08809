"""Encrypting platform tokens for transport on Kafka and storage in service replicas."""

from cryptography.fernet import Fernet, InvalidToken


class SecretBox:
    """Fernet encryption with the key every service shares (`CONNECTOR_SECRET_KEY`)."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    @staticmethod
    def new_key() -> str:
        """A fresh random key (url-safe base64, 32 bytes)."""
        return Fernet.generate_key().decode()

    def seal(self, plaintext: str) -> str:
        """Encrypt a secret."""
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, ciphertext: str) -> str:
        """Decrypt a secret sealed with the same key (ValueError when it was not)."""
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("secret was not sealed with this CONNECTOR_SECRET_KEY") from exc
