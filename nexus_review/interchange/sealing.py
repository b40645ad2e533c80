"""Sealing a review package's payload: AES-256-GCM under a key derived from the passphrase with
scrypt, whose cost settings a reader bounds before deriving anything."""

from __future__ import annotations

import base64
import json
from typing import Any

from nexus_review.errors import InterchangeError

MANIFEST = "manifest.json"
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
# What a reader accepts: up to twice the writer's cost (at most 64 MB of memory), refused
# before any key is derived. A manifest cannot make the reader spend more.
SCRYPT_LIMITS = {"n": (2**10, 2**16), "r": (1, 8), "p": (1, 2)}
SALT_BYTES = (8, 64)


def _key(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(
        passphrase.encode("utf-8")
    )


def manifest_seal_data(manifest: dict[str, Any]) -> bytes:
    """What a sealed payload authenticates besides itself: the whole manifest but the payload's
    checksum (which is of the sealed bytes), in one canonical form. Changing the reviewer, the
    device or anything else in the manifest of a protected package makes it fail to open."""
    bound = {k: v for k, v in manifest.items() if k != "payload_sha256"}
    return json.dumps(bound, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def _key_check(key: bytes) -> str:
    """A short proof of the key, so a wrong passphrase is told apart from a changed package."""
    import hmac

    return base64.b64encode(
        hmac.digest(key, b"nexus-review passphrase check", "sha256")[:16]
    ).decode()


def seal_settings(passphrase: str) -> tuple[bytes, dict[str, Any]]:
    """A new key and the protection settings that go in the manifest (before sealing, since the
    manifest is part of what the seal authenticates)."""
    import os

    salt, nonce = os.urandom(16), os.urandom(12)
    key = _key(passphrase, salt, SCRYPT)
    info = {
        "method": "AES-256-GCM",
        "kdf": "scrypt",
        **SCRYPT,
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "check": _key_check(key),
    }
    return key, info


def scrypt_settings(info: dict[str, Any]) -> dict[str, int]:
    """The key-derivation settings of a sealed package, if they are within what the reader
    accepts (:data:`SCRYPT_LIMITS`: whole numbers, ``n`` a power of two); ValueError if not.
    Checked before any key is derived, so no manifest can make the reader spend gigabytes."""
    params: dict[str, int] = {}
    for key, (low, high) in SCRYPT_LIMITS.items():
        value = info.get(key)
        if type(value) is not int or not low <= value <= high:
            raise ValueError(f"scrypt {key} out of bounds")
        params[key] = value
    if params["n"] & (params["n"] - 1):
        raise ValueError("scrypt n is not a power of two")
    return params


def seal(payload: bytes, key: bytes, info: dict[str, Any], associated: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key).encrypt(base64.b64decode(info["nonce"]), payload, associated)


def unseal(
    sealed: bytes,
    info: dict[str, Any],
    passphrase: str,
    name: str,
    associated: bytes = MANIFEST.encode(),
) -> bytes:
    """The payload of a protected package; ``associated`` is what the seal authenticates
    besides the payload (format 2: the manifest; format 1: only the text "manifest.json")."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        params = scrypt_settings(info)
        if info.get("method") != "AES-256-GCM" or info.get("kdf") != "scrypt":
            raise ValueError("unknown method")
        salt = base64.b64decode(info["salt"], validate=True)
        nonce = base64.b64decode(info["nonce"], validate=True)
        if len(nonce) != 12 or not SALT_BYTES[0] <= len(salt) <= SALT_BYTES[1]:
            raise ValueError("bad nonce or salt")
        check = info.get("check")
        if check is not None and (not isinstance(check, str) or len(check) > 64):
            raise ValueError("bad check")
    except (KeyError, TypeError, ValueError, OverflowError):
        raise InterchangeError(
            f"{name} is damaged: its protection settings cannot be read."
        ) from None
    key = _key(passphrase, salt, params)
    wrong = InterchangeError(
        f"The passphrase is not the one {name} was protected with; check it and try again."
    )
    if check is not None and not _same(check, _key_check(key)):
        raise wrong
    try:
        return bytes(AESGCM(key).decrypt(nonce, sealed, associated))
    except InvalidTag:
        if check is None:
            raise wrong from None
        raise InterchangeError(
            f"{name} has been changed since it was made: its manifest (reviewer, device, counts) does not match its sealed records."
        ) from None


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())
