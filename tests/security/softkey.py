"""A software security key for HTTP-level tests: it answers the options the server gives as a
CTAP2 key with "none" attestation would (P-256, ES256), so the server's real verification runs
on real signatures without a browser. The browser tests use Chromium's virtual authenticator."""

from __future__ import annotations

import copy
import hashlib
import json
import os
from base64 import urlsafe_b64encode
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = 0x01, 0x04, 0x40  # authenticator data flags: presence, verification, credential


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftKey:
    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0

    @property
    def id(self) -> str:
        return b64url(self.credential_id)

    def clone(self) -> SoftKey:
        """A copy with the same key material and counter (then used apart from the original)."""
        return copy.copy(self)

    def _cose_public_key(self) -> bytes:
        numbers = self.private.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _auth_data(self, rp_id: str, flags: int, attested: bool = False) -> bytes:
        data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags])
        data += self.sign_count.to_bytes(4, "big")
        if attested:
            data += bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id
            data += self._cose_public_key()
        return data

    def register(self, options: dict[str, Any], origin: str) -> dict[str, Any]:
        """The answer to navigator.credentials.create(options)."""
        client_data = json.dumps(
            {"type": "webauthn.create", "challenge": options["challenge"], "origin": origin}
        ).encode()
        attestation = cbor2.dumps(
            {
                "fmt": "none",
                "attStmt": {},
                "authData": self._auth_data(options["rp"]["id"], UP | UV | AT, attested=True),
            }
        )
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["usb"],
            },
        }

    def sign(
        self, options: dict[str, Any], origin: str, rp_id: str | None = None
    ) -> dict[str, Any]:
        """The answer to navigator.credentials.get(options): the counter goes up by one."""
        self.sign_count += 1
        client_data = json.dumps(
            {"type": "webauthn.get", "challenge": options["challenge"], "origin": origin}
        ).encode()
        auth_data = self._auth_data(rp_id or options["rpId"], UP | UV)
        signature = self.private.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": None,
            },
        }
