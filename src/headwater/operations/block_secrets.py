"""Secret block fields, encrypted at rest with Fernet (`cryptography`).

Before a block document reaches the store, each value its schema names secret
(`secret_fields`: `password`, `extra.*`, ...) is replaced by
`{"$headwater_encrypted": "<Fernet token of its JSON>"}`, so the database never holds
a secret in clear; reading decrypts every such marker, wherever it is.

The key is `HEADWATER_SECRET_KEY` (Fernet keys, comma-separated: the first encrypts,
all decrypt, so a key can be changed without losing data), else the key file
`$HEADWATER_HOME/secret.key`, created with mode 0600 on first use. Rotating the file's
key (`rotate_key`) writes the new key to `secret.key.new` first, re-encrypts every
document in one transaction, then renames the file into place: stopped at any point,
no secret is lost, because both files' keys are tried until the rename is done.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from headwater.exceptions import StoreError

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.store import Store

__all__ = ["ENCRYPTED", "SecretCipher", "SecretKeyError", "cipher_for", "rotate_key"]

ENCRYPTED = "$headwater_encrypted"
"""The key of the marker that holds an encrypted value in stored block data."""

KEY_FILE = "secret.key"
PENDING_KEY_FILE = "secret.key.new"


class SecretKeyError(StoreError):
    """The secret key is unusable, or a stored secret cannot be decrypted with it (the
    API answers 503: the secrets are there, but not readable with this key)."""


class SecretCipher:
    """Encrypts and decrypts block document values with a list of Fernet keys (the
    first encrypts)."""

    def __init__(self, keys: list[bytes]) -> None:
        from cryptography.fernet import Fernet, MultiFernet

        try:
            self._fernet = MultiFernet([Fernet(k) for k in keys])
        except ValueError:
            raise SecretKeyError("the secret key is not a Fernet key (32 url-safe base64-encoded bytes); "
                                 "make one with `headwater block key rotate` or fix HEADWATER_SECRET_KEY") from None

    def encrypt_value(self, value: Any) -> dict[str, str]:
        """`value` (any JSON) as an encrypted marker."""
        token = self._fernet.encrypt(json.dumps(value, separators=(",", ":")).encode())
        return {ENCRYPTED: token.decode()}

    def encrypt_secrets(self, data: dict[str, Any], secret_fields: list[str]) -> dict[str, Any]:
        """`data` with each secret value (None excepted) encrypted."""
        from headwater.core.block_schemas import map_secret_fields

        paths = [p[:-2] if p.endswith(".*") else p for p in secret_fields]  # a secret dict: encrypted whole
        return map_secret_fields(data, paths, lambda v: v if v is None or _is_marker(v) else self.encrypt_value(v))

    def decrypt_tree(self, data: Any) -> Any:
        """`data` with every encrypted marker replaced by its value.

        Raises:
            SecretKeyError: a value was encrypted with a key this cipher does not have.
        """
        if isinstance(data, dict):
            if _is_marker(data):
                from cryptography.fernet import InvalidToken

                try:
                    return json.loads(self._fernet.decrypt(data[ENCRYPTED].encode()))
                except (InvalidToken, ValueError):
                    raise SecretKeyError(
                        "a secret block value cannot be decrypted with the current secret key: the key file "
                        "(HEADWATER_HOME/secret.key) or HEADWATER_SECRET_KEY was changed or lost; restore it"
                    ) from None
            return {k: self.decrypt_tree(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self.decrypt_tree(v) for v in data]
        return data

    def reencrypt_tree(self, data: Any) -> Any:
        """`data` with every encrypted marker encrypted again with the first key."""
        if isinstance(data, dict):
            if _is_marker(data):
                from cryptography.fernet import InvalidToken

                try:
                    return {ENCRYPTED: self._fernet.rotate(data[ENCRYPTED].encode()).decode()}
                except (InvalidToken, ValueError):
                    raise SecretKeyError("a secret block value cannot be decrypted with the keys at hand: nothing "
                                         "was changed; restore the key it was encrypted with first") from None
            return {k: self.reencrypt_tree(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self.reencrypt_tree(v) for v in data]
        return data


def _is_marker(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get(ENCRYPTED), str)


def _write_key_file(path: Path, key: bytes) -> None:
    """Create `path` holding `key`, readable by its owner only (mode 0600 from the start)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_key_file(path: Path) -> bytes | None:
    try:
        return path.read_bytes().strip() or None
    except FileNotFoundError:
        return None


def _file_keys(home: Path, create: bool) -> list[bytes]:
    current = _read_key_file(home / KEY_FILE)
    if current is None and create:
        from cryptography.fernet import Fernet

        try:
            _write_key_file(home / KEY_FILE, Fernet.generate_key())
        except FileExistsError:  # another process made it first: use theirs
            pass
        current = _read_key_file(home / KEY_FILE)
    pending = _read_key_file(home / PENDING_KEY_FILE)
    return [k for k in (current, pending) if k is not None]


def _keys(settings: Settings, create: bool = True) -> list[bytes]:
    if settings.secret_key is not None:
        keys = [k.strip().encode() for k in settings.secret_key.get_secret_value().split(",") if k.strip()]
        if not keys:
            raise SecretKeyError("HEADWATER_SECRET_KEY is set but empty: unset it or give a Fernet key")
        return keys
    return _file_keys(settings.home, create)


_ciphers: dict[int, tuple[Settings, SecretCipher]] = {}
_ciphers_lock = threading.Lock()


def cipher_for(settings: Settings, *, refresh: bool = False) -> SecretCipher:
    """The cipher for these settings' keys (the key file is made on first use).

    The keys are read once per settings object; `refresh=True` reads them again
    (before every write, so a key rotated by another process is never written with,
    and after a failed decryption, to pick up a rotation done elsewhere).

    Raises:
        SecretKeyError: the key is not a Fernet key.
    """
    kept = _ciphers.get(id(settings))
    if kept is not None and kept[0] is settings and not refresh:
        return kept[1]
    cipher = SecretCipher(_keys(settings))
    with _ciphers_lock:
        _ciphers[id(settings)] = (settings, cipher)
    return cipher


def rotate_key(store: Store, settings: Settings) -> tuple[int, str]:
    """Encrypt every stored secret with a new key.

    With the key file, a new key is made and becomes the file's key; with
    `HEADWATER_SECRET_KEY`, secrets are encrypted again with its first key (put the new
    key first, run this, then drop the old keys from the setting).

    Returns:
        How many documents were rewritten, and where the key now is (for the message).

    Raises:
        SecretKeyError: a stored secret cannot be decrypted with the keys at hand
            (nothing was changed).
    """
    if settings.secret_key is not None:
        cipher = SecretCipher(_keys(settings))
        count = store.blocks.rewrite_all_data(cipher.reencrypt_tree)
        return count, "HEADWATER_SECRET_KEY (its first key)"
    from cryptography.fernet import Fernet

    home = settings.home
    old = _file_keys(home, create=True)
    pending_path = home / PENDING_KEY_FILE
    new = _read_key_file(pending_path)
    if new is None:  # else: a rotation was interrupted; finish it with its key
        new = Fernet.generate_key()
        _write_key_file(pending_path, new)
    cipher = SecretCipher([new, *[k for k in old if k != new]])
    count = store.blocks.rewrite_all_data(cipher.reencrypt_tree)
    os.replace(pending_path, home / KEY_FILE)
    with _ciphers_lock:
        _ciphers.clear()
    return count, str(home / KEY_FILE)
