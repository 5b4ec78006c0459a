"""cws_client: a standard-library client of the CWS Local API v1 and webhook verification."""

from .client import CwsClient
from .errors import CwsError
from .webhooks import sign_webhook_payload, verify_webhook_signature

__all__ = ["CwsClient", "CwsError", "sign_webhook_payload", "verify_webhook_signature"]
__version__ = "0.1.0"
