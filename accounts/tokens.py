"""API token keys and the fingerprints stored in their place: plain functions, no ORM.

A key is 256 random bits; the database keeps only its SHA-256 digest, so a leaked table
gives no usable token. A fast hash is enough for a random secret of that length (there is
no dictionary to try), and it lets authentication find the row by an indexed equality.

A token also keeps a fingerprint of the password hash its user had when it was issued.
Any way of setting a password (the password page, the admin, `manage.py changepassword`,
a shell) writes a new salted hash, so the fingerprint no longer matches and the token is
refused: the same rule Django applies to sessions with `get_session_auth_hash()`. It needs
no secret: the fingerprint only has to change when the hash does, and it says less about the
password than the hash stored next to it in the same database.
"""

from __future__ import annotations

import hashlib
import secrets

KEY_BYTES = 32


def new_key() -> str:
    """A fresh token key: 64 hex characters, safe in an `Authorization` header."""
    return secrets.token_hex(KEY_BYTES)


def key_digest(key: str) -> str:
    """What is stored in place of `key`, and looked up when a client presents it."""
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(password_hash: str) -> str:
    """Changes whenever the user's stored password hash changes."""
    return hashlib.sha256(f"api-token:{password_hash}".encode()).hexdigest()
