"""The one error type of the client."""

import json
from typing import Any, Dict, List, Optional


class CwsError(Exception):
    """A failed call. Server errors carry the HTTP status and the body's stable ``code``; calls that
    got no answer carry status 0 and a ``client.*`` code (``client.timeout``, ``client.tls_error``,
    ``client.network_error``, ``client.invalid_response``)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Optional[List[Dict[str, Any]]] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = list(details or [])
        self.request_id = request_id

    def __str__(self) -> str:
        suffix = f" [request {self.request_id}]" if self.request_id else ""
        return f"{self.code} ({self.status}): {self.message}{suffix}"


def error_from_response(status: int, body: bytes, header_request_id: Optional[str]) -> CwsError:
    """Builds the error for a non-2xx answer, using the contract's error body when it is one."""
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        value = None
    error = value.get("error") if isinstance(value, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("code"), str):
        message = f"HTTP {status} without a CWS error body"
        return CwsError(status, f"http.{status}", message, [], header_request_id)
    details = error.get("details")
    request_id = value.get("request_id")
    return CwsError(
        status,
        error["code"],
        error.get("message") if isinstance(error.get("message"), str) else error["code"],
        details if isinstance(details, list) else [],
        request_id if isinstance(request_id, str) else header_request_id,
    )
