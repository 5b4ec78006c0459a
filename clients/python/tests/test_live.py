"""The client against a real CWS server. These tests run only when CWS_BASE_URL, CWS_TOKEN and
CWS_CA_FILE name one (test/e2e/python-client.test.ts starts the compiled binary with ``--demo``
and sets them); otherwise they are skipped. They leave the server's settings as they found them."""

import http.server
import ipaddress
import os
import tempfile
import threading
import unittest
import urllib.parse

from cws_client import CwsClient, CwsError, verify_webhook_signature

BASE_URL = os.environ.get("CWS_BASE_URL", "")
TOKEN = os.environ.get("CWS_TOKEN", "")
CA_FILE = os.environ.get("CWS_CA_FILE", "")
PAGE_SIZE = 5


def _is_loopback(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@unittest.skipUnless(
    BASE_URL and TOKEN and CA_FILE, "set CWS_BASE_URL, CWS_TOKEN and CWS_CA_FILE to run"
)
class LiveServerTest(unittest.TestCase):
    scan = None

    @classmethod
    def setUpClass(cls):
        cls.client = CwsClient(BASE_URL, TOKEN, ca_file=CA_FILE, timeout=30)
        # One demo scan shared by the tests that read findings and reports.
        accepted = cls.client.create_scan({"demo_mode": True})
        cls.scan = cls.client.wait_for_scan(accepted["scan_id"], interval=0.2, timeout=60)

    def caught(self, call, *args, **kwargs):
        with self.assertRaises(CwsError) as raised:
            call(*args, **kwargs)
        return raised.exception

    def test_status_answers_running_without_secrets(self):
        status = self.client.status()
        self.assertEqual(status["status"], "running")
        self.assertEqual(status["api_version"], "v1")
        self.assertTrue(status["tls_enabled"])
        self.assertNotIn(TOKEN, repr(status))

    def test_openapi_describes_the_findings_route(self):
        document = self.client.openapi()
        self.assertTrue(document["openapi"].startswith("3.1"))
        self.assertIn("/v1/findings", document["paths"])

    def test_compatibility_states_the_pagination_and_signing_policies(self):
        policy = self.client.compatibility()
        self.assertEqual(policy["pagination"]["cursor_field"], "page.next_cursor")
        self.assertEqual(policy["pagination"]["max_limit"], 250)
        self.assertEqual(policy["webhooks"]["signed_payload"], "<timestamp>.<raw body>")

    def test_settings_round_trip_and_restore(self):
        before = self.client.get_general_settings()
        modes = ["scan_complete", "waste_only"]
        other = modes[1 - modes.index(before["notification_trigger_mode"])]
        try:
            changed = self.client.update_general_settings({"notification_trigger_mode": other})
            self.assertEqual(changed["notification_trigger_mode"], other)
            self.assertEqual(self.client.get_general_settings()["notification_trigger_mode"], other)
        finally:
            mode = before["notification_trigger_mode"]
            self.client.update_general_settings({"notification_trigger_mode": mode})
        self.assertEqual(self.client.get_general_settings(), before)

    def test_wait_for_scan_returns_the_completed_demo_scan(self):
        self.assertEqual(self.scan["status"], "completed")
        self.assertGreater(self.scan["resources_found"], PAGE_SIZE)
        self.assertEqual(self.client.get_scan(self.scan["scan_id"])["status"], "completed")

    def test_iter_findings_walks_every_page(self):
        findings = list(self.client.iter_findings(limit=PAGE_SIZE, scan_id=self.scan["scan_id"]))
        self.assertEqual(len(findings), self.scan["resources_found"])
        self.assertEqual(len({finding["id"] for finding in findings}), len(findings))
        self.assertTrue(all(f["scan_id"] == self.scan["scan_id"] for f in findings))

    def test_list_findings_returns_one_envelope_page(self):
        page = self.client.list_findings(limit=PAGE_SIZE, scan_id=self.scan["scan_id"])
        self.assertEqual(set(page), {"items", "page"})
        self.assertEqual(len(page["items"]), PAGE_SIZE)
        self.assertEqual(page["page"]["limit"], PAGE_SIZE)
        self.assertTrue(page["page"]["has_more"])
        self.assertIsInstance(page["page"]["next_cursor"], str)
        following = self.client.list_findings(
            limit=PAGE_SIZE, cursor=page["page"]["next_cursor"], scan_id=self.scan["scan_id"]
        )
        first_ids = {finding["id"] for finding in page["items"]}
        self.assertFalse(first_ids & {finding["id"] for finding in following["items"]})

    def test_a_bad_request_raises_cws_error_with_code_status_and_request_id(self):
        error = self.caught(
            self.client.update_general_settings, {"notification_trigger_mode": "sometimes"}
        )
        self.assertEqual((error.status, error.code), (400, "request.validation_failed"))
        self.assertTrue(error.request_id)
        self.assertIn("notification_trigger_mode", [detail["path"] for detail in error.details])
        missing = self.caught(self.client.get_scan, "scan_does_not_exist")
        self.assertEqual((missing.status, missing.code), (404, "resource.not_found"))

    def test_a_wrong_token_raises_auth_invalid_token(self):
        stranger = CwsClient(BASE_URL, "cws_not-the-token", ca_file=CA_FILE)
        error = self.caught(stranger.get_general_settings)
        self.assertEqual((error.status, error.code), (401, "auth.invalid_token"))

    def test_report_generate_and_download(self):
        report = self.client.generate_report("pdf", scan_id=self.scan["scan_id"])
        self.assertEqual(report["format"], "pdf")
        data = self.client.download_report(report["report_id"])
        self.assertTrue(data.startswith(b"%PDF-"))
        self.assertEqual(len(data), report["size_bytes"])
        with tempfile.TemporaryDirectory(prefix="cws-live-") as scratch:
            path = os.path.join(scratch, report["filename"])
            self.assertEqual(self.client.download_report(report["report_id"], path), path)
            with open(path, "rb") as saved:
                self.assertEqual(saved.read(), data)

    @unittest.skipUnless(_is_loopback(BASE_URL), "the server must reach a loopback receiver")
    def test_verify_webhook_signature_accepts_a_real_delivery(self):
        headers = self.client.compatibility()["webhooks"]["headers"]
        receiver = _Receiver()
        self.addCleanup(receiver.stop)
        secret = "live-test-secret"
        webhook = self.client.create_webhook(
            {"url": receiver.url, "events": ["scan.completed"], "is_active": True, "secret": secret}
        )
        self.addCleanup(self.client.delete_webhook, webhook["id"])
        self.assertNotIn(secret, repr(webhook))

        result = self.client.test_webhook(webhook["id"])
        self.assertTrue(result["ok"], result)
        received, body = receiver.deliveries[0]
        timestamp = received[headers["timestamp"]]
        signature = received[headers["signature"]]
        self.assertEqual(received[headers["event"]], "webhook.test")
        self.assertTrue(verify_webhook_signature(secret, timestamp, body, signature))
        self.assertFalse(verify_webhook_signature("other-secret", timestamp, body, signature))
        self.assertFalse(verify_webhook_signature(secret, timestamp, body + b" ", signature))
        stale = int(timestamp) - 301
        self.assertFalse(verify_webhook_signature(secret, stale, body, signature))


class _Receiver:
    """A loopback HTTP endpoint that records each POST (headers and raw body) and answers 204."""

    def __init__(self):
        deliveries = self.deliveries = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                deliveries.append((self.headers, self.rfile.read(length)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/hook"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()


if __name__ == "__main__":
    unittest.main()
