"""Sealed quotes (密封报价): a quote's contents are encrypted (Fernet: AES-128-CBC with an HMAC) the moment they
are entered and decrypted only when the RFQ is opened (开标). Nothing in the database, the history, an export
or a search index holds them before, so no read path can show them early — not an administrator's, not a
report written later.

The key is derived from SECRET_KEY (HKDF-like: SHA-256 over a fixed label and the key). Rotate SECRET_KEY
the Django way: put the old one in SECRET_KEY_FALLBACKS until every RFQ sealed under it has been opened;
quotes sealed under a key that is gone cannot be opened (SealBrokenError: enter them again)."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext as _

from guanxi.core.exceptions import GuanxiError

_LABEL = b"guanxi.procurement.sealed-quote.v1"


class SealBrokenError(GuanxiError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            _(
                "A sealed quote cannot be read with this installation's secret key (it was changed without "
                "keeping the old one in SECRET_KEY_FALLBACKS). Ask the supplier to quote again."
            )
        )


def _fernet(secret: str) -> Fernet:
    digest = hashlib.sha256(_LABEL + b"\0" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(s) for s in secrets])


def seal(contents: dict[str, Any]) -> str:
    """The contents (JSON-able) as a token only unseal() reads."""
    return _keys().encrypt(json.dumps(contents, sort_keys=True).encode()).decode()


def unseal(token: str) -> dict[str, Any]:
    try:
        return json.loads(_keys().decrypt(token.encode()))
    except (InvalidToken, ValueError) as exc:
        raise SealBrokenError() from exc
