import time
import unittest

from cws_client import sign_webhook_payload, verify_webhook_signature

SECRET = "shared-secret"
TIMESTAMP = "1762502400"
BODY = '{"event":"scan.completed"}'
# HMAC-SHA256("shared-secret", f"{TIMESTAMP}.{BODY}"), computed with `openssl dgst -hmac`.
SIGNATURE = "sha256=44e48726c8c8e0fcff40647586af3ac76ebf7ad6eae63d647dc8b19954d9c656"
NOW = int(TIMESTAMP) + 10


def verify(**overrides):
    values = {
        "secret": SECRET,
        "timestamp": TIMESTAMP,
        "body": BODY,
        "signature": SIGNATURE,
        "now": NOW,
        **overrides,
    }
    return verify_webhook_signature(**values)


class SignWebhookPayloadTest(unittest.TestCase):
    def test_signs_timestamp_dot_raw_body_with_hmac_sha256(self):
        self.assertEqual(sign_webhook_payload(SECRET, TIMESTAMP, BODY), SIGNATURE)


class VerifyWebhookSignatureTest(unittest.TestCase):
    def test_accepts_a_correct_signature_within_the_tolerance(self):
        self.assertTrue(verify())

    def test_accepts_bytes_and_an_integer_timestamp(self):
        as_bytes = {"body": BODY.encode(), "secret": SECRET.encode()}
        self.assertTrue(verify(timestamp=int(TIMESTAMP), **as_bytes))

    def test_rejects_a_signature_made_with_another_secret(self):
        self.assertFalse(verify(signature=sign_webhook_payload("other", TIMESTAMP, BODY)))

    def test_rejects_a_tampered_or_re_serialised_body(self):
        self.assertFalse(verify(body='{"event":"scan.failed"}'))
        self.assertFalse(verify(body='{ "event": "scan.completed" }'))

    def test_rejects_a_signature_moved_to_another_timestamp(self):
        self.assertFalse(verify(timestamp="1762502401"))

    def test_rejects_stale_and_future_timestamps_beyond_the_tolerance(self):
        self.assertTrue(verify(now=int(TIMESTAMP) + 300))
        self.assertFalse(verify(now=int(TIMESTAMP) + 301))
        self.assertFalse(verify(now=int(TIMESTAMP) - 301))
        self.assertTrue(verify(now=int(TIMESTAMP) + 1000, tolerance_seconds=3600))

    def test_checks_against_the_real_clock_when_now_is_not_given(self):
        fresh = str(int(time.time()))
        signed = sign_webhook_payload(SECRET, fresh, BODY)
        self.assertTrue(verify_webhook_signature(SECRET, fresh, BODY, signed))
        self.assertFalse(verify_webhook_signature(SECRET, TIMESTAMP, BODY, SIGNATURE))

    def test_returns_false_for_malformed_input_instead_of_raising(self):
        for bad in ["sha256=RECEIVED_SIGNATURE", "", "sha256=", SIGNATURE[:-2], "md5=00", None]:
            with self.subTest(signature=bad):
                self.assertFalse(verify(signature=bad))
        for bad in ["", "soon", "-1762502400", "1762502400.5", None, True]:
            with self.subTest(timestamp=bad):
                self.assertFalse(verify(timestamp=bad))
        self.assertFalse(verify(body={"event": "scan.completed"}))


if __name__ == "__main__":
    unittest.main()
