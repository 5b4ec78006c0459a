import base64
import json
import os
import tempfile
import unittest
from unittest import mock

from cws_client import CwsClient, CwsError

from .fake_server import REPORT_BYTES, CwsFake, TlsPair

# The tests choose every CA themselves; inherited settings would blur the TLS cases.
CLEAN_ENV = {"CWS_CA_FILE": "", "SSL_CERT_FILE": "", "SSL_CERT_DIR": ""}


class FakeServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tls = TlsPair()
        cls.fake = CwsFake(cls.tls)

    @classmethod
    def tearDownClass(cls):
        cls.fake.stop()
        cls.tls.remove()

    def setUp(self):
        patcher = mock.patch.dict(os.environ, CLEAN_ENV)
        patcher.start()
        self.addCleanup(patcher.stop)

    def client(self, **options):
        settings = {"ca_file": self.tls.cert_path, **options}
        return CwsClient(self.fake.base_url, settings.pop("token", self.fake.token), **settings)

    def caught(self, call, *args, **kwargs):
        with self.assertRaises(CwsError) as raised:
            call(*args, **kwargs)
        return raised.exception


class TlsTest(FakeServerTest):
    def test_trusts_the_server_certificate_given_as_ca_file(self):
        self.assertEqual(self.client().status()["status"], "running")

    def test_refuses_the_self_signed_certificate_without_a_ca(self):
        error = self.caught(self.client(ca_file=None).status)
        self.assertEqual((error.status, error.code), (0, "client.tls_error"))

    def test_reads_the_ca_from_cws_ca_file(self):
        with mock.patch.dict(os.environ, {"CWS_CA_FILE": self.tls.cert_path}):
            self.assertEqual(self.client(ca_file=None).status()["status"], "running")

    def test_skips_verification_only_when_verify_is_false(self):
        self.assertEqual(self.client(ca_file=None, verify=False).status()["status"], "running")

    def test_reports_an_unreadable_ca_file_as_a_tls_error(self):
        error = self.caught(self.client, ca_file=os.path.join(self.tls.dir, "absent.pem"))
        self.assertEqual(error.code, "client.tls_error")


class RequestTest(FakeServerTest):
    def test_sends_the_bearer_token_and_a_json_body(self):
        self.client().update_general_settings({"currency": "EUR"})
        seen = self.fake.last()
        self.assertEqual(seen["headers"]["authorization"], f"Bearer {self.fake.token}")
        self.assertEqual(seen["headers"]["content-type"], "application/json")
        self.assertEqual(json.loads(seen["body"]), {"currency": "EUR"})

    def test_keeps_the_token_out_of_the_repr(self):
        self.assertNotIn(self.fake.token, repr(self.client()))

    def test_sends_no_body_when_a_scan_is_created_without_one(self):
        self.assertEqual(self.client().create_scan()["scan_id"], "scan_1")
        self.assertEqual(self.fake.last()["body"], "")
        self.assertNotIn("content-type", self.fake.last()["headers"])

    def test_each_method_calls_its_route(self):
        routes = [
            (lambda c: c.openapi(), "GET", "/v1/openapi.json", ""),
            (lambda c: c.capabilities(), "GET", "/v1/meta/capabilities", ""),
            (lambda c: c.errors(), "GET", "/v1/meta/errors", ""),
            (lambda c: c.get_scan_policy(), "GET", "/v1/settings/scan-policy", ""),
            (lambda c: c.update_quota(None), "PATCH", "/v1/settings/quota", ""),
            (lambda c: c.update_smtp_settings({"port": 2525}), "PATCH", "/v1/settings/smtp", ""),
            (
                lambda c: c.update_notification_policy("waste_only"),
                "PATCH",
                "/v1/notifications/policy",
                "",
            ),
            (
                lambda c: c.list_notification_channels(),
                "GET",
                "/v1/notifications/channels",
                "envelope=true",
            ),
            (
                lambda c: c.test_notification_channel("ch 1"),
                "POST",
                "/v1/notifications/channels/ch%201/test",
                "",
            ),
            (lambda c: c.delete_cloud_account("acc_1"), "DELETE", "/v1/cloud-accounts/acc_1", ""),
            (
                lambda c: c.test_cloud_account({"provider": "azure", "credentials": "{}"}),
                "POST",
                "/v1/cloud-accounts/test",
                "",
            ),
            (lambda c: c.test_proxy({"url": "http://proxy:3128"}), "POST", "/v1/proxies/test", ""),
            (lambda c: c.get_scan_progress("s1"), "GET", "/v1/scans/s1/progress", ""),
            (
                lambda c: c.list_scans(status="running"),
                "GET",
                "/v1/scans",
                "status=running&envelope=true",
            ),
            (lambda c: c.mark_handled("f1"), "POST", "/v1/findings/f1/handled", ""),
            (
                lambda c: c.list_k8s_contexts("/k/config"),
                "GET",
                "/v1/k8s/contexts",
                "path=%2Fk%2Fconfig",
            ),
            (lambda c: c.create_k8s_scan("/k", "prod"), "POST", "/v1/k8s/scans", ""),
            (lambda c: c.get_k8s_inventory(), "GET", "/v1/k8s/inventory", ""),
            (
                lambda c: c.get_k8s_governance(7),
                "GET",
                "/v1/reports/k8s-governance",
                "window_days=7",
            ),
            (lambda c: c.get_k8s_action_plan(), "GET", "/v1/reports/k8s-action-plan", ""),
            (lambda c: c.generate_report("csv"), "POST", "/v1/reports/generate", ""),
            (
                lambda c: c.get_reports_overview(30),
                "GET",
                "/v1/reports/overview",
                "window_days=30",
            ),
            (lambda c: c.run_schedule_now("sch_1"), "POST", "/v1/schedules/sch_1/run-now", ""),
            (
                lambda c: c.update_schedule("sch_1", {"enabled": False}),
                "PATCH",
                "/v1/schedules/sch_1",
                "",
            ),
            (lambda c: c.test_webhook("wh_1"), "POST", "/v1/webhooks/wh_1/test", ""),
            (
                lambda c: c.list_webhook_deliveries("wh_1"),
                "GET",
                "/v1/webhooks/wh_1/deliveries",
                "envelope=true",
            ),
            (lambda c: c.mcp_capabilities(), "GET", "/v1/mcp/capabilities", ""),
            (lambda c: c.mcp_run_scan({"demo_mode": True}), "POST", "/v1/mcp/tools/run-scan", ""),
            (lambda c: c.mcp_get_scan("scan_9"), "GET", "/v1/mcp/tools/get-scan/scan_9", ""),
            (lambda c: c.mcp_tool("get_settings"), "GET", "/v1/mcp/tools/get-settings", ""),
            (lambda c: c.list_events(limit=10), "GET", "/v1/events", "limit=10&envelope=true"),
        ]
        client = self.client()
        for call, method, path, query in routes:
            with self.subTest(route=f"{method} {path}"):
                call(client)
                seen = self.fake.last()
                self.assertEqual(
                    (seen["method"], seen["path"], seen["raw_query"]), (method, path, query)
                )

    def test_generate_report_sends_only_the_given_fields(self):
        self.client().generate_report("pdf", include_esg=True)
        sent = json.loads(self.fake.last()["body"])
        self.assertEqual(sent, {"format": "pdf", "include_esg": True})


class PaginationTest(FakeServerTest):
    def test_list_findings_returns_one_envelope_page(self):
        page = self.client().list_findings(limit=3)
        self.assertEqual(self.fake.last()["query"]["envelope"], "true")
        self.assertEqual([f["id"] for f in page["items"]], ["fnd_000", "fnd_001", "fnd_002"])
        self.assertTrue(page["page"]["has_more"])
        self.assertIsInstance(page["page"]["next_cursor"], str)

    def test_iter_findings_walks_every_page_through_next_cursor(self):
        before = len(self.fake.requests)
        ids = [f["id"] for f in self.client().iter_findings(limit=3, provider="aws")]
        self.assertEqual(ids, [f"fnd_{i:03d}" for i in range(7)])
        seen = self.fake.requests[before:]
        self.assertEqual(len(seen), 3)
        self.assertEqual([r["query"]["provider"] for r in seen], ["aws"] * 3)
        self.assertNotIn("cursor", seen[0]["query"])
        expected = base64.urlsafe_b64encode(b"after:6").decode().rstrip("=")
        self.assertEqual(seen[2]["query"]["cursor"], expected)

    def test_collects_whole_lists_across_server_limited_pages(self):
        ids = [a["id"] for a in self.client().list_accounts()]
        self.assertEqual(ids, ["profile_a", "profile_b", "profile_c", "azure_1", "alibaba_1"])

    def test_a_rejected_cursor_is_a_validation_error(self):
        error = self.caught(self.client().list_findings, cursor="not-a-cursor")
        self.assertEqual((error.status, error.code), (400, "request.validation_failed"))
        self.assertEqual(error.details, [{"path": "cursor", "message": "unknown cursor"}])


class ErrorTest(FakeServerTest):
    def test_maps_the_error_body_onto_cws_error(self):
        error = self.caught(self.client().get_finding, "missing")
        self.assertEqual((error.status, error.code), (404, "resource.not_found"))
        self.assertEqual(error.message, "No such resource")
        self.assertRegex(error.request_id, r"^req_")
        self.assertIn("resource.not_found", str(error))

    def test_carries_validation_details(self):
        error = self.caught(self.client().update_general_settings, {})
        self.assertEqual(error.code, "request.validation_failed")
        self.assertEqual(error.details, [{"path": "", "message": "at least one field is required"}])

    def test_reports_a_wrong_token_as_invalid_token(self):
        error = self.caught(self.client(token="cws_wrong").openapi)
        self.assertEqual((error.status, error.code), (401, "auth.invalid_token"))

    def test_names_the_http_status_when_the_error_body_is_not_json(self):
        error = self.caught(self.client().request, "GET", "/v1/not-json")
        self.assertEqual((error.status, error.code), (502, "http.502"))

    def test_gives_up_after_the_timeout(self):
        error = self.caught(self.client(timeout=0.2).request, "GET", "/v1/slow")
        self.assertEqual(error.code, "client.timeout")


class ScanAndReportTest(FakeServerTest):
    def test_waits_until_the_scan_reaches_a_terminal_status(self):
        seen = []
        scan = self.client().wait_for_scan(
            "scan_wait", interval=0.01, on_poll=lambda s: seen.append(s["status"])
        )
        self.assertEqual(scan["status"], "completed")
        self.assertEqual(seen, ["queued", "running", "completed"])

    def test_stops_waiting_after_the_timeout(self):
        error = self.caught(self.client().wait_for_scan, "scan_slow", interval=0.05, timeout=0.02)
        self.assertEqual(error.code, "client.timeout")

    def test_cancel_of_a_finished_scan_is_not_cancelable(self):
        error = self.caught(self.client().cancel_scan, "scan_done")
        self.assertEqual((error.status, error.code), (409, "scan.not_cancelable"))

    def test_downloads_report_bytes_unchanged(self):
        self.assertEqual(self.client().download_report("rep_1"), REPORT_BYTES)
        self.assertEqual(self.fake.last()["headers"]["accept"], "*/*")

    def test_writes_a_downloaded_report_to_a_path(self):
        with tempfile.TemporaryDirectory() as folder:
            target = os.path.join(folder, "report.pdf")
            self.assertEqual(self.client().download_report("rep_1", target), target)
            with open(target, "rb") as written:
                self.assertEqual(written.read(), REPORT_BYTES)


if __name__ == "__main__":
    unittest.main()
