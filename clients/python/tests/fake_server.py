"""A local HTTPS fake of the CWS API answering in the contract's shapes, for the client tests."""

import base64
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "cws_fake_token"
REPORT_BYTES = bytes([0x25, 0x50, 0x44, 0x46, 0x00, 0xFF, 0xFE, 0x80, 0x0A])
ACCOUNTS = ["profile_a", "profile_b", "profile_c", "azure_1", "alibaba_1"]


class TlsPair:
    """A throw-away self-signed P-256 certificate for localhost / 127.0.0.1, made by openssl."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="cws-client-tls-")
        self.cert_path = os.path.join(self.dir, "cert.pem")
        self.key_path = os.path.join(self.dir, "key.pem")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", self.key_path, "-out", self.cert_path, "-days", "1",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            check=True,
            capture_output=True,
        )

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


class CwsFake:
    """Serves on 127.0.0.1, port 0, in a background thread; records every request it sees."""

    def __init__(self, tls: TlsPair, finding_count: int = 7) -> None:
        self.requests = []
        self.findings = [_finding(i) for i in range(finding_count)]
        self.polls = {}
        fake = self

        class Handler(_Handler):
            state = fake

        self._server = _Server(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls.cert_path, tls.key_path)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.base_url = f"https://127.0.0.1:{self._server.server_address[1]}"
        self.token = TOKEN
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def last(self) -> dict:
        return self.requests[-1]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that gave up (timeout tests) leaves a closed socket behind; that is expected.
        if not isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    state: CwsFake
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class names it so
        pass

    def do_GET(self):
        self._serve()

    do_POST = do_PATCH = do_DELETE = do_GET

    def _serve(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        seen = {
            "method": self.command,
            "path": url.path,
            "query": {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()},
            "raw_query": url.query,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": self.rfile.read(length).decode("utf-8") if length else "",
        }
        self.state.requests.append(seen)
        self.request_id = self.headers.get("X-Request-Id") or f"req_{uuid.uuid4().hex[:12]}"
        self._route(seen)

    def _route(self, req):
        key = f"{req['method']} {req['path']}"
        if key == "GET /status":
            return self._json(200, {"status": "running", "api_version": "v1", "tls_enabled": True})
        auth = req["headers"].get("authorization")
        if not auth:
            return self._fail(401, "auth.missing_token", "Bearer token missing")
        if auth != f"Bearer {TOKEN}":
            return self._fail(401, "auth.invalid_token", "Bearer token not accepted")
        scan = re.fullmatch(r"/v1/scans/([^/]+)", req["path"])
        if key == "GET /v1/openapi.json":
            return self._json(200, {"openapi": "3.1.0", "info": {"title": "CWS"}, "paths": {}})
        if key == "GET /v1/meta/compatibility":
            return self._json(200, {"pagination": {"cursor_field": "page.next_cursor"}})
        if key == "GET /v1/findings":
            return self._list(req, self.state.findings)
        if key == "GET /v1/accounts":
            items = [
                {"id": i, "provider": "aws", "name": i, "source": "aws_profile"} for i in ACCOUNTS
            ]
            return self._list(req, items, max_limit=2)
        if key in ("GET /v1/findings/missing", "GET /v1/scans/missing"):
            return self._fail(404, "resource.not_found", "No such resource")
        if key == "PATCH /v1/settings/general" and req["body"].strip() == "{}":
            detail = {"path": "", "message": "at least one field is required"}
            return self._fail(400, "request.validation_failed", "Body has no field", [detail])
        if key == "POST /v1/scans":
            return self._json(202, {"scan_id": "scan_1", "status": "queued", "message": "queued"})
        if key == "POST /v1/scans/scan_done/cancel":
            return self._fail(409, "scan.not_cancelable", "Scan already finished")
        if req["method"] == "GET" and scan:
            return self._json(200, self._poll(scan.group(1)))
        if key == "GET /v1/reports/rep_1/download":
            return self._send(200, "application/pdf", REPORT_BYTES)
        if key == "GET /v1/slow":
            time.sleep(1.5)
            return self._json(200, {})
        if key == "GET /v1/not-json":
            return self._send(502, "text/html", b"<html>bad gateway</html>")
        # Everything else answers an empty success so route-mapping tests can inspect the request.
        if req["method"] == "DELETE":
            return self._send(204, None, b"")
        if req["query"].get("envelope") == "true":
            return self._list(req, [])
        return self._json(200, {"ok": True})

    def _list(self, req, items, max_limit=250):
        """Legacy array unless envelope=true or a cursor; keyset cursor on the item index."""
        try:
            limit = int(req["query"].get("limit", "50"))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 250:
            detail = {"path": "limit", "message": "must be an integer between 1 and 250"}
            return self._fail(400, "request.validation_failed", "limit must be 1-250", [detail])
        cursor = req["query"].get("cursor")
        start = 0
        if cursor is not None:
            try:
                decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            except ValueError:
                decoded = ""
            if not re.fullmatch(r"after:\d+", decoded):
                detail = {"path": "cursor", "message": "unknown cursor"}
                return self._fail(400, "request.validation_failed", "cursor is not valid", [detail])
            start = int(decoded[len("after:"):])
        size = min(limit, max_limit)
        chunk = items[start:start + size]
        if req["query"].get("envelope") != "true" and cursor is None:
            return self._json(200, chunk)
        has_more = start + size < len(items)
        following = None
        if has_more:
            following = base64.urlsafe_b64encode(f"after:{start + size}".encode()).decode()
            following = following.rstrip("=")
        page = {"limit": size, "next_cursor": following, "has_more": has_more}
        return self._json(200, {"items": chunk, "page": page})

    def _poll(self, scan_id):
        count = self.state.polls.get(scan_id, 0) + 1
        self.state.polls[scan_id] = count
        status = "completed" if count >= 3 else "running" if count == 2 else "queued"
        return {"scan_id": scan_id, "id": scan_id, "status": status, "accounts": []}

    def _json(self, status, body):
        self._send(status, "application/json", json.dumps(body).encode("utf-8"))

    def _fail(self, status, code, message, details=None):
        body = {"error": {"code": code, "message": message, "details": details or []}}
        body["request_id"] = self.request_id
        self._json(status, body)

    def _send(self, status, content_type, data):
        self.send_response(status)
        self.send_header("X-Request-Id", self.request_id)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _finding(i):
    return {
        "id": f"fnd_{i:03d}",
        "scan_id": "scan_1",
        "rule_id": "aws.ebs.unattached",
        "provider": "aws",
        "account_id": "profile_a",
        "region": "us-east-1",
        "resource_type": "ebs_volume",
        "resource_id": f"vol-{i}",
        "action_type": "DELETE",
        "estimated_monthly_cost": 8,
        "estimated_monthly_cost_usd": 8,
        "currency": "USD",
        "confidence": "high",
        "handled": False,
    }
