"""A client of the CWS Local API v1, standard library only."""

import json
import os
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, Iterator, List, Optional, Union

from .errors import CwsError, error_from_response

__all__ = ["CwsClient"]

JsonObject = Dict[str, Any]

USER_AGENT = "cws-client-python/0.1.0"
TERMINAL_STATUSES = frozenset(["completed", "failed", "canceled"])


class CwsClient:
    """One method per route of the CWS Local API v1.

    TLS is verified against the system trust store plus, when given, ``ca_file`` (or the file named
    by ``CWS_CA_FILE``): pass the server's self-signed certificate there. ``verify=False`` turns
    verification off altogether.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        ca_file: Optional[str] = None,
        verify: bool = True,
        timeout: float = 30,
    ) -> None:
        if not base_url:
            raise ValueError("CwsClient: base_url is required")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._token = token
        context = _tls_context(ca_file or os.environ.get("CWS_CA_FILE") or None, verify)
        self._opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))

    def __repr__(self) -> str:
        # The token stays out of reprs, tracebacks and logs.
        return f"CwsClient(base_url={self.base_url!r})"

    # Low level ------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        query: Optional[Dict[str, Any]] = None,
        body: Any = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Sends one request (``body``, when not None, as JSON) and decodes the JSON answer; a
        non-2xx answer raises CwsError."""
        accept = "application/json"
        status, headers, data = self._exchange(method, path, query, body, accept, timeout)
        if not data:
            return None
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise CwsError(
                status,
                "client.invalid_response",
                f"{method} {path} answered {status} with a body that is not JSON",
                [],
                headers.get("X-Request-Id"),
            ) from None

    # Public and meta ------------------------------------------------------------------------

    def status(self) -> JsonObject:
        """GET /status (needs no token)."""
        return self.request("GET", "/status")

    def openapi(self) -> JsonObject:
        """GET /v1/openapi.json."""
        return self.request("GET", "/v1/openapi.json")

    def compatibility(self) -> JsonObject:
        """GET /v1/meta/compatibility: versioning, pagination and webhook-signing policies."""
        return self.request("GET", "/v1/meta/compatibility")

    def capabilities(self) -> JsonObject:
        """GET /v1/meta/capabilities."""
        return self.request("GET", "/v1/meta/capabilities")

    def errors(self) -> List[JsonObject]:
        """GET /v1/meta/errors: the error catalogue."""
        return self.request("GET", "/v1/meta/errors")

    # Settings -------------------------------------------------------------------------------

    def get_general_settings(self) -> JsonObject:
        """GET /v1/settings/general."""
        return self.request("GET", "/v1/settings/general")

    def update_general_settings(self, patch: JsonObject) -> JsonObject:
        """PATCH /v1/settings/general."""
        return self.request("PATCH", "/v1/settings/general", body=patch)

    def get_scan_policy(self) -> JsonObject:
        """GET /v1/settings/scan-policy."""
        return self.request("GET", "/v1/settings/scan-policy")

    def update_scan_policy(self, patch: JsonObject) -> JsonObject:
        """PATCH /v1/settings/scan-policy."""
        return self.request("PATCH", "/v1/settings/scan-policy", body=patch)

    def get_quota(self) -> JsonObject:
        """GET /v1/settings/quota."""
        return self.request("GET", "/v1/settings/quota")

    def update_quota(self, monthly_scan_limit: Optional[int]) -> JsonObject:
        """PATCH /v1/settings/quota (None = unlimited)."""
        return self.request(
            "PATCH", "/v1/settings/quota", body={"monthly_scan_limit": monthly_scan_limit}
        )

    def get_smtp_settings(self) -> JsonObject:
        """GET /v1/settings/smtp (the password is never returned)."""
        return self.request("GET", "/v1/settings/smtp")

    def update_smtp_settings(self, patch: JsonObject) -> JsonObject:
        """PATCH /v1/settings/smtp."""
        return self.request("PATCH", "/v1/settings/smtp", body=patch)

    # Notifications --------------------------------------------------------------------------

    def get_notification_policy(self) -> JsonObject:
        """GET /v1/notifications/policy."""
        return self.request("GET", "/v1/notifications/policy")

    def update_notification_policy(self, notification_trigger_mode: str) -> JsonObject:
        """PATCH /v1/notifications/policy (``scan_complete`` or ``waste_only``)."""
        body = {"notification_trigger_mode": notification_trigger_mode}
        return self.request("PATCH", "/v1/notifications/policy", body=body)

    def list_notification_channels(self) -> List[JsonObject]:
        """Every notification channel (all pages)."""
        return self._collect("/v1/notifications/channels", {})

    def create_notification_channel(self, channel: JsonObject) -> JsonObject:
        """POST /v1/notifications/channels."""
        return self.request("POST", "/v1/notifications/channels", body=channel)

    def get_notification_channel(self, channel_id: str) -> JsonObject:
        """GET /v1/notifications/channels/{id}."""
        return self.request("GET", f"/v1/notifications/channels/{_seg(channel_id)}")

    def update_notification_channel(self, channel_id: str, patch: JsonObject) -> JsonObject:
        """PATCH /v1/notifications/channels/{id}."""
        path = f"/v1/notifications/channels/{_seg(channel_id)}"
        return self.request("PATCH", path, body=patch)

    def delete_notification_channel(self, channel_id: str) -> None:
        """DELETE /v1/notifications/channels/{id}."""
        self.request("DELETE", f"/v1/notifications/channels/{_seg(channel_id)}")

    def test_notification_channel(self, channel_id: str) -> JsonObject:
        """POST /v1/notifications/channels/{id}/test: diagnostics, no quota used."""
        return self.request("POST", f"/v1/notifications/channels/{_seg(channel_id)}/test")

    # Accounts and proxies -------------------------------------------------------------------

    def list_accounts(self) -> List[JsonObject]:
        """Every scannable account: AWS profiles and cloud accounts (all pages)."""
        return self._collect("/v1/accounts", {})

    def list_cloud_accounts(self) -> List[JsonObject]:
        """Every cloud account, credentials masked (all pages)."""
        return self._collect("/v1/cloud-accounts", {})

    def create_cloud_account(self, account: JsonObject) -> JsonObject:
        """POST /v1/cloud-accounts (Azure, Alibaba; AWS comes from profiles)."""
        return self.request("POST", "/v1/cloud-accounts", body=account)

    def get_cloud_account(self, account_id: str) -> JsonObject:
        """GET /v1/cloud-accounts/{id}."""
        return self.request("GET", f"/v1/cloud-accounts/{_seg(account_id)}")

    def update_cloud_account(self, account_id: str, patch: JsonObject) -> JsonObject:
        """PATCH /v1/cloud-accounts/{id}."""
        return self.request("PATCH", f"/v1/cloud-accounts/{_seg(account_id)}", body=patch)

    def delete_cloud_account(self, account_id: str) -> None:
        """DELETE /v1/cloud-accounts/{id}."""
        self.request("DELETE", f"/v1/cloud-accounts/{_seg(account_id)}")

    def test_cloud_account(self, test: JsonObject) -> JsonObject:
        """POST /v1/cloud-accounts/test: checks credentials without storing them or using quota."""
        return self.request("POST", "/v1/cloud-accounts/test", body=test)

    def list_proxies(self) -> List[JsonObject]:
        """Every proxy profile (all pages)."""
        return self._collect("/v1/proxies", {})

    def create_proxy(self, proxy: JsonObject) -> JsonObject:
        """POST /v1/proxies."""
        return self.request("POST", "/v1/proxies", body=proxy)

    def get_proxy(self, proxy_id: str) -> JsonObject:
        """GET /v1/proxies/{id}."""
        return self.request("GET", f"/v1/proxies/{_seg(proxy_id)}")

    def update_proxy(self, proxy_id: str, patch: JsonObject) -> JsonObject:
        """PATCH /v1/proxies/{id}."""
        return self.request("PATCH", f"/v1/proxies/{_seg(proxy_id)}", body=patch)

    def delete_proxy(self, proxy_id: str) -> None:
        """DELETE /v1/proxies/{id}."""
        self.request("DELETE", f"/v1/proxies/{_seg(proxy_id)}")

    def test_proxy(self, test: JsonObject) -> JsonObject:
        """POST /v1/proxies/test."""
        return self.request("POST", "/v1/proxies/test", body=test)

    # Scans ----------------------------------------------------------------------------------

    def create_scan(self, scan: Optional[JsonObject] = None) -> JsonObject:
        """POST /v1/scans; without a body every account is scanned."""
        return self.request("POST", "/v1/scans", body=scan)

    def list_scans(
        self,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
        status: Optional[str] = None,
    ) -> JsonObject:
        """One envelope page of GET /v1/scans: ``{"items": [...], "page": {...}}``."""
        return self._page("/v1/scans", {"limit": limit, "cursor": cursor, "status": status})

    def iter_scans(
        self, limit: Optional[int] = None, status: Optional[str] = None
    ) -> Iterator[JsonObject]:
        """Every scan, page after page."""
        return self._iterate("/v1/scans", {"limit": limit, "status": status})

    def get_scan(self, scan_id: str) -> JsonObject:
        """GET /v1/scans/{id}."""
        return self.request("GET", f"/v1/scans/{_seg(scan_id)}")

    def get_scan_progress(self, scan_id: str) -> JsonObject:
        """GET /v1/scans/{id}/progress."""
        return self.request("GET", f"/v1/scans/{_seg(scan_id)}/progress")

    def cancel_scan(self, scan_id: str) -> JsonObject:
        """POST /v1/scans/{id}/cancel (409 ``scan.not_cancelable`` once terminal)."""
        return self.request("POST", f"/v1/scans/{_seg(scan_id)}/cancel")

    def wait_for_scan(
        self,
        scan_id: str,
        interval: float = 2.0,
        timeout: Optional[float] = None,
        on_poll: Optional[Callable[[JsonObject], None]] = None,
    ) -> JsonObject:
        """Polls a scan until it is completed, failed or canceled and returns that final state;
        raises CwsError ``client.timeout`` after ``timeout`` seconds when one is given."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            scan = self.get_scan(scan_id)
            if on_poll is not None:
                on_poll(scan)
            if scan.get("status") in TERMINAL_STATUSES:
                return scan
            if deadline is not None and time.monotonic() + interval > deadline:
                raise CwsError(
                    0,
                    "client.timeout",
                    f"scan {scan_id} is still {scan.get('status')} after {timeout} s",
                )
            time.sleep(interval)

    # Findings -------------------------------------------------------------------------------

    def list_findings(
        self, limit: int = 50, cursor: Optional[str] = None, **filters: Any
    ) -> JsonObject:
        """One envelope page of GET /v1/findings. Filters: scan_id, provider, account_id,
        resource_type, rule, min_monthly_cost (latest completed scan without scan_id)."""
        return self._page("/v1/findings", {**filters, "limit": limit, "cursor": cursor})

    def iter_findings(self, limit: int = 50, **filters: Any) -> Iterator[JsonObject]:
        """Every finding matching the filters, following ``page.next_cursor``."""
        return self._iterate("/v1/findings", {**filters, "limit": limit})

    def get_finding(self, finding_id: str) -> JsonObject:
        """GET /v1/findings/{id}."""
        return self.request("GET", f"/v1/findings/{_seg(finding_id)}")

    def mark_handled(self, finding_id: str) -> JsonObject:
        """POST /v1/findings/{id}/handled: stays handled until the resource changes."""
        return self.request("POST", f"/v1/findings/{_seg(finding_id)}/handled")

    # Kubernetes -----------------------------------------------------------------------------

    def list_k8s_contexts(self, path: Optional[str] = None) -> JsonObject:
        """GET /v1/k8s/contexts: the contexts of a kubeconfig."""
        return self.request("GET", "/v1/k8s/contexts", query={"path": path})

    def create_k8s_scan(
        self, kubeconfig_path: str, kube_context: str, namespaces: Optional[List[str]] = None
    ) -> JsonObject:
        """POST /v1/k8s/scans: a read-only kubectl scan of one context."""
        body: JsonObject = {"kubeconfig_path": kubeconfig_path, "kube_context": kube_context}
        if namespaces is not None:
            body["namespaces"] = namespaces
        return self.request("POST", "/v1/k8s/scans", body=body)

    def list_k8s_findings(
        self, limit: int = 50, cursor: Optional[str] = None, **filters: Any
    ) -> JsonObject:
        """One envelope page of GET /v1/k8s/findings."""
        return self._page("/v1/k8s/findings", {**filters, "limit": limit, "cursor": cursor})

    def iter_k8s_findings(self, limit: int = 50, **filters: Any) -> Iterator[JsonObject]:
        """Every Kubernetes finding, page after page."""
        return self._iterate("/v1/k8s/findings", {**filters, "limit": limit})

    def get_k8s_inventory(self) -> JsonObject:
        """GET /v1/k8s/inventory."""
        return self.request("GET", "/v1/k8s/inventory")

    def get_k8s_governance(self, window_days: Optional[int] = None) -> JsonObject:
        """GET /v1/reports/k8s-governance."""
        query = {"window_days": window_days}
        return self.request("GET", "/v1/reports/k8s-governance", query=query)

    def get_k8s_action_plan(self, window_days: Optional[int] = None) -> JsonObject:
        """GET /v1/reports/k8s-action-plan."""
        query = {"window_days": window_days}
        return self.request("GET", "/v1/reports/k8s-action-plan", query=query)

    # Reports --------------------------------------------------------------------------------

    def generate_report(
        self, format: str, scan_id: Optional[str] = None, include_esg: Optional[bool] = None
    ) -> JsonObject:
        """POST /v1/reports/generate (format: pdf, csv, json or html)."""
        body = _without_none({"format": format, "scan_id": scan_id, "include_esg": include_esg})
        return self.request("POST", "/v1/reports/generate", body=body)

    def list_reports(self) -> List[JsonObject]:
        """Every report's metadata (all pages)."""
        return self._collect("/v1/reports", {})

    def get_report(self, report_id: str) -> JsonObject:
        """GET /v1/reports/{id}."""
        return self.request("GET", f"/v1/reports/{_seg(report_id)}")

    def download_report(self, report_id: str, path: Optional[str] = None) -> Union[bytes, str]:
        """GET /v1/reports/{id}/download: the bytes, or, given ``path``, writes them there and
        returns the path."""
        route = f"/v1/reports/{_seg(report_id)}/download"
        _, _, data = self._exchange("GET", route, None, None, "*/*", None)
        if path is None:
            return data
        with open(path, "wb") as out:
            out.write(data)
        return path

    def get_reports_overview(self, window_days: Optional[int] = None) -> JsonObject:
        """GET /v1/reports/overview."""
        return self.request("GET", "/v1/reports/overview", query={"window_days": window_days})

    # Schedules ------------------------------------------------------------------------------

    def list_schedules(self) -> List[JsonObject]:
        """Every schedule (all pages)."""
        return self._collect("/v1/schedules", {})

    def create_schedule(self, schedule: JsonObject) -> JsonObject:
        """POST /v1/schedules."""
        return self.request("POST", "/v1/schedules", body=schedule)

    def get_schedule(self, schedule_id: str) -> JsonObject:
        """GET /v1/schedules/{id}."""
        return self.request("GET", f"/v1/schedules/{_seg(schedule_id)}")

    def update_schedule(self, schedule_id: str, patch: JsonObject) -> JsonObject:
        """PATCH /v1/schedules/{id}."""
        return self.request("PATCH", f"/v1/schedules/{_seg(schedule_id)}", body=patch)

    def delete_schedule(self, schedule_id: str) -> None:
        """DELETE /v1/schedules/{id}."""
        self.request("DELETE", f"/v1/schedules/{_seg(schedule_id)}")

    def run_schedule_now(self, schedule_id: str) -> JsonObject:
        """POST /v1/schedules/{id}/run-now."""
        return self.request("POST", f"/v1/schedules/{_seg(schedule_id)}/run-now")

    # Webhooks -------------------------------------------------------------------------------

    def list_webhooks(self) -> List[JsonObject]:
        """Every webhook (all pages)."""
        return self._collect("/v1/webhooks", {})

    def create_webhook(self, webhook: JsonObject) -> JsonObject:
        """POST /v1/webhooks."""
        return self.request("POST", "/v1/webhooks", body=webhook)

    def get_webhook(self, webhook_id: str) -> JsonObject:
        """GET /v1/webhooks/{id}."""
        return self.request("GET", f"/v1/webhooks/{_seg(webhook_id)}")

    def update_webhook(self, webhook_id: str, patch: JsonObject) -> JsonObject:
        """PATCH /v1/webhooks/{id}."""
        return self.request("PATCH", f"/v1/webhooks/{_seg(webhook_id)}", body=patch)

    def delete_webhook(self, webhook_id: str) -> None:
        """DELETE /v1/webhooks/{id}."""
        self.request("DELETE", f"/v1/webhooks/{_seg(webhook_id)}")

    def test_webhook(self, webhook_id: str) -> JsonObject:
        """POST /v1/webhooks/{id}/test: sends ``webhook.test`` now."""
        return self.request("POST", f"/v1/webhooks/{_seg(webhook_id)}/test")

    def list_webhook_deliveries(self, webhook_id: str) -> List[JsonObject]:
        """A webhook's whole delivery log (all pages)."""
        return self._collect(f"/v1/webhooks/{_seg(webhook_id)}/deliveries", {})

    # MCP and audit --------------------------------------------------------------------------

    def mcp_capabilities(self) -> JsonObject:
        """GET /v1/mcp/capabilities: the tools and their input schemas."""
        return self.request("GET", "/v1/mcp/capabilities")

    def mcp_tool(self, name: str, payload: Optional[JsonObject] = None) -> JsonObject:
        """Calls a REST MCP tool by name (``run_scan`` or ``run-scan``; a trailing ``/id`` is kept,
        as in ``get-scan/<id>``): POST with ``payload`` as the body, or GET without one."""
        tool, *rest = name.split("/")
        path = "/".join(["/v1/mcp/tools", tool.replace("_", "-"), *(_seg(part) for part in rest)])
        if payload is None:
            return self.request("GET", path)
        return self.request("POST", path, body=payload)

    def mcp_run_scan(self, scan: Optional[JsonObject] = None) -> JsonObject:
        """POST /v1/mcp/tools/run-scan."""
        return self.mcp_tool("run-scan", dict(scan or {}))

    def mcp_get_scan(self, scan_id: str) -> JsonObject:
        """GET /v1/mcp/tools/get-scan/{id}."""
        return self.request("GET", f"/v1/mcp/tools/get-scan/{_seg(scan_id)}")

    def list_events(self, limit: Optional[int] = None, cursor: Optional[str] = None) -> JsonObject:
        """One envelope page of the audit log, GET /v1/events (newest first)."""
        return self._page("/v1/events", {"limit": limit, "cursor": cursor})

    def iter_events(self, limit: Optional[int] = None) -> Iterator[JsonObject]:
        """The whole audit log, page after page."""
        return self._iterate("/v1/events", {"limit": limit})

    # Plumbing -------------------------------------------------------------------------------

    def _page(self, path: str, query: Dict[str, Any]) -> JsonObject:
        """One envelope page; ``envelope=true`` asks for ``{items, page}`` over the legacy array."""
        answer = self.request("GET", path, query={**query, "envelope": True})
        if isinstance(answer, list):
            last = {"limit": len(answer), "next_cursor": None, "has_more": False}
            return {"items": answer, "page": last}
        if (
            isinstance(answer, dict)
            and isinstance(answer.get("items"), list)
            and isinstance(answer.get("page"), dict)
        ):
            return answer
        raise CwsError(0, "client.invalid_response", f"{path} did not answer with a list envelope")

    def _iterate(self, path: str, query: Dict[str, Any]) -> Iterator[JsonObject]:
        """Follows ``page.next_cursor`` until the server says there is no more."""
        cursor = query.get("cursor")
        while True:
            page = self._page(path, {**query, "cursor": cursor})
            yield from page["items"]
            following = page["page"].get("next_cursor")
            if not following or not page["page"].get("has_more"):
                return
            if following == cursor:
                message = f"{path} returned the same cursor twice"
                raise CwsError(0, "client.invalid_response", message)
            cursor = following

    def _collect(self, path: str, query: Dict[str, Any]) -> List[JsonObject]:
        return list(self._iterate(path, query))

    def _exchange(
        self,
        method: str,
        path: str,
        query: Optional[Dict[str, Any]],
        body: Any,
        accept: str,
        timeout: Optional[float],
    ):
        """Sends one request with the token; every failure becomes a CwsError."""
        url = self.base_url + path
        encoded = _encode_query(query or {})
        if encoded:
            url += "?" + encoded
        headers = {
            "Accept": accept,
            "Authorization": f"Bearer {self._token}",
            "User-Agent": USER_AGENT,
        }
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode("utf-8")
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=timeout or self.timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as failed:
            with failed:
                answer = failed.read()
            request_id = failed.headers.get("X-Request-Id")
            raise error_from_response(failed.code, answer, request_id) from None
        except urllib.error.URLError as failed:
            raise _describe_failure(failed.reason, method, path) from failed
        except OSError as failed:
            raise _describe_failure(failed, method, path) from failed


def _tls_context(ca_file: Optional[str], verify: bool) -> ssl.SSLContext:
    """System trust plus the caller's CA. ``create_default_context(cafile=...)`` would load the CA
    instead of the system store, so the file is added afterwards."""
    if not verify:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    context = ssl.create_default_context()
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError) as failed:
            message = f"cannot read the CA file {ca_file}: {failed}"
            raise CwsError(0, "client.tls_error", message) from None
    return context


def _describe_failure(reason: object, method: str, path: str) -> CwsError:
    if isinstance(reason, ssl.SSLError):
        return CwsError(
            0,
            "client.tls_error",
            f"{method} {path}: certificate not trusted ({reason}); pass ca_file (or CWS_CA_FILE) "
            "with the server certificate from its data directory",
        )
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return CwsError(0, "client.timeout", f"{method} {path}: no answer in time")
    return CwsError(0, "client.network_error", f"{method} {path}: {reason}")


def _encode_query(query: Dict[str, Any]) -> str:
    pairs = []
    for key, value in query.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if item is None:
                continue
            text = ("true" if item else "false") if isinstance(item, bool) else str(item)
            pairs.append((key, text))
    return urllib.parse.urlencode(pairs)


def _without_none(values: JsonObject) -> JsonObject:
    return {key: value for key, value in values.items() if value is not None}


def _seg(value: str) -> str:
    return urllib.parse.quote(str(value), safe="")
