"""Signing staff in, in tests: a test client whose force_login stands for the whole sign-in,
real authenticator codes, and a software passkey for tests without a browser.

The passkey is a fake only in the sense that it is not a phone: it holds a real P-256 key and
answers WebAuthn ceremonies exactly as an authenticator does (attestation "none"), so the
server-side checks (origin, domain, challenge, signature, counter) run for real.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pyotp
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.utils import timezone
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.cose import COSECRV, COSEKTY, COSEAlgorithmIdentifier, COSEKey
from webauthn.helpers.encode_cbor import encode_cbor

from goodskin.accounts import factors
from goodskin.accounts.models import User
from goodskin.core.middleware import SECOND_FACTOR_AT, STAFF_SEEN, STAFF_SINCE


class StaffClient(Client):
    """`force_login` of a staff account also stamps the session as if its second factor had
    just passed, as signing in through the pages does; tests of the second factor itself sign in
    through the pages, with real codes."""

    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        if getattr(user, "is_staff", False):
            session = self.session
            now = time.time()
            session[SECOND_FACTOR_AT] = session[STAFF_SINCE] = session[STAFF_SEEN] = now
            session.save()


def give_authenticator(user: User) -> str:
    """Enrol an authenticator app for `user` as the enrolment page does; return its secret."""
    secret = factors.new_authenticator_secret()
    # Enrolled with a code from a minute ago, so the codes of now are still unused.
    earlier = timezone.now() - timedelta(seconds=2 * factors.STEP_SECONDS)
    code = pyotp.TOTP(secret).at(earlier)
    factors.enrol_authenticator(user=user, secret=secret, code=code, now=earlier)
    return secret


def code_for(secret: str, *, steps_ahead: int = 0) -> str:
    """The code the app shows now (or that many steps on: still within the allowed drift)."""
    return pyotp.TOTP(secret).at(time.time() + steps_ahead * factors.STEP_SECONDS)


@dataclass
class SoftwarePasskey:
    """A passkey for one site, held in memory."""

    origin: str
    rp_id: str
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    counter: int = 0

    def _public_cose(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return encode_cbor(
            {
                COSEKey.KTY: COSEKTY.EC2,
                COSEKey.ALG: COSEAlgorithmIdentifier.ECDSA_SHA_256,
                COSEKey.CRV: COSECRV.P256,
                COSEKey.X: numbers.x.to_bytes(32, "big"),
                COSEKey.Y: numbers.y.to_bytes(32, "big"),
            }
        )

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        ).encode()

    def _auth_data(self, flags: int, attested: bytes = b"") -> bytes:
        rp_hash = hashlib.sha256(self.rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + struct.pack(">I", self.counter) + attested

    def create(self, options_json: str) -> str:
        """Answer navigator.credentials.create() for these options."""
        options = json.loads(options_json)
        attested = (
            bytes(16)  # AAGUID: none given
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self._public_cose()
        )
        auth_data = self._auth_data(0x45, attested)  # user present, verified, credential data
        attestation = encode_cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"])
        return json.dumps(
            {
                "id": bytes_to_base64url(self.credential_id),
                "rawId": bytes_to_base64url(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": bytes_to_base64url(client_data),
                    "attestationObject": bytes_to_base64url(attestation),
                    "transports": ["internal"],
                },
                "clientExtensionResults": {},
            }
        )

    def get(self, options_json: str) -> str:
        """Answer navigator.credentials.get(), counting one more signature."""
        options = json.loads(options_json)
        self.counter += 1
        auth_data = self._auth_data(0x05)  # user present and verified
        client_data = self._client_data("webauthn.get", options["challenge"])
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return json.dumps(
            {
                "id": bytes_to_base64url(self.credential_id),
                "rawId": bytes_to_base64url(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": bytes_to_base64url(client_data),
                    "authenticatorData": bytes_to_base64url(auth_data),
                    "signature": bytes_to_base64url(signature),
                    "userHandle": bytes_to_base64url(b"staff"),
                },
                "clientExtensionResults": {},
            }
        )
