"""Envelope encryption, as pure functions: AES-256-GCM everywhere, no ORM, no settings.

A person's *data key* (32 random bytes) seals their sensitive values; the data key is stored only
*wrapped* (encrypted) under the master key. A sealed value is self-describing:

    version (1 byte) | person key id (16 bytes, a UUID) | nonce (12 bytes) | ciphertext + tag

and its associated data binds it to the place it was written (`app.model.field`) and to the key,
so a ciphertext moved to another row, field or person fails to open instead of decrypting.
"""

from __future__ import annotations

import hashlib
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
VERSION = 1
HEADER_BYTES = 1 + 16 + NONCE_BYTES


class SealBroken(ValueError):
    """A sealed value or wrapped key did not authenticate: wrong key, wrong place, or tampering."""


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def master_key_id(master_key: bytes) -> str:
    """A short public fingerprint of a master key, stored beside what it wrapped."""
    return hashlib.sha256(b"goodskin.master-key-id\x00" + master_key).hexdigest()[:16]


def wrap_data_key(data_key: bytes, *, master_key: bytes, key_id: uuid.UUID) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    associated = b"goodskin.person-key\x00" + key_id.bytes
    return nonce + AESGCM(master_key).encrypt(nonce, data_key, associated)


def unwrap_data_key(wrapped: bytes, *, master_key: bytes, key_id: uuid.UUID) -> bytes:
    nonce, body = wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:]
    associated = b"goodskin.person-key\x00" + key_id.bytes
    try:
        return AESGCM(master_key).decrypt(nonce, body, associated)
    except InvalidTag:
        raise SealBroken("the person key does not open with this master key") from None


def seal(plaintext: bytes, *, data_key: bytes, key_id: uuid.UUID, context: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    header = bytes([VERSION]) + key_id.bytes
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, header + context.encode())
    return header + nonce + ciphertext


def sealed_key_id(envelope: bytes) -> uuid.UUID:
    if len(envelope) < HEADER_BYTES or envelope[0] != VERSION:
        raise SealBroken("not a sealed value")
    return uuid.UUID(bytes=bytes(envelope[1:17]))


def unseal(envelope: bytes, *, data_key: bytes, context: str) -> bytes:
    sealed_key_id(envelope)  # validates the header
    header, nonce, ciphertext = envelope[:17], envelope[17:HEADER_BYTES], envelope[HEADER_BYTES:]
    try:
        return AESGCM(data_key).decrypt(
            bytes(nonce), bytes(ciphertext), bytes(header) + context.encode()
        )
    except InvalidTag:
        raise SealBroken(f"the sealed value does not open as {context}") from None
