"""Signing and verification of CWS webhook deliveries (``X-CWS-Signature``)."""

import hashlib
import hmac
import re
import time
from typing import Optional, Union

_PREFIX = "sha256="
_HEX_DIGEST = re.compile(r"[0-9a-fA-F]{64}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")

Bytesish = Union[str, bytes, bytearray, memoryview]


def verify_webhook_signature(
    secret: Bytesish,
    timestamp: Union[str, int, bytes],
    body: Bytesish,
    signature: Union[str, bytes],
    tolerance_seconds: float = 300,
    now: Optional[float] = None,
) -> bool:
    """True when ``signature`` (``sha256=<hex>``) is the HMAC-SHA256 of ``"<timestamp>.<body>"``
    under ``secret`` and the timestamp lies within ``tolerance_seconds`` of now. ``body`` must be
    the raw request body, never re-serialised JSON. Malformed input gives False, never an error."""
    ts = _text(timestamp)
    sig = _text(signature)
    key = _bytes(secret)
    payload = _bytes(body)
    if ts is None or sig is None or key is None or payload is None:
        return False
    ts = ts.strip()
    if not _TIMESTAMP.fullmatch(ts):
        return False
    current = time.time() if now is None else float(now)
    if abs(current - int(ts)) > tolerance_seconds:
        return False
    received = sig.strip()
    if received.startswith(_PREFIX):
        received = received[len(_PREFIX) :]
    if not _HEX_DIGEST.fullmatch(received):
        return False
    expected = _digest(key, ts, payload)
    return hmac.compare_digest(expected, received.lower())


def sign_webhook_payload(secret: Bytesish, timestamp: Union[str, int], body: Bytesish) -> str:
    """The ``X-CWS-Signature`` value CWS sends for this timestamp and body."""
    key = _bytes(secret)
    payload = _bytes(body)
    if key is None or payload is None:
        raise TypeError("secret and body must be str or bytes")
    return _PREFIX + _digest(key, str(timestamp), payload)


def _digest(key: bytes, timestamp: str, body: bytes) -> str:
    return hmac.new(key, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def _text(value: object) -> Optional[str]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("ascii")
        except UnicodeDecodeError:
            return None
    if isinstance(value, (str, int)):
        return str(value)
    return None


def _bytes(value: object) -> Optional[bytes]:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return None
