import os
import subprocess
import tempfile
import unittest

from .fake_server import CwsFake, TlsPair

CLIENT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_DIR = os.path.dirname(os.path.dirname(CLIENT_DIR))
# The playbooks live beside the repository (shared/playbooks), not inside it.
PLAYBOOK_DIR = os.environ.get(
    "CWS_PLAYBOOKS_DIR", os.path.join(os.path.dirname(REPO_DIR), "shared", "playbooks")
)
RUNNER = os.path.join(PLAYBOOK_DIR, "run-all.sh")


@unittest.skipUnless(os.path.exists(RUNNER), f"playbooks not found at {PLAYBOOK_DIR}")
class PlaybookP11Test(unittest.TestCase):
    def setUp(self):
        self.tls = TlsPair()
        self.addCleanup(self.tls.remove)
        self.fake = CwsFake(self.tls, finding_count=60)
        self.addCleanup(self.fake.stop)
        self.scratch = tempfile.TemporaryDirectory(prefix="cws-p11-")
        self.addCleanup(self.scratch.cleanup)

    def test_run_all_passes_the_python_script_with_cws_client(self):
        env = {
            **os.environ,
            "CWS_BASE_URL": self.fake.base_url,
            "CWS_TOKEN": self.fake.token,
            "PYTHONPATH": CLIENT_DIR,
            "CWS_CA_FILE": self.tls.cert_path,
            "PLAYBOOK_LOG_DIR": os.path.join(self.scratch.name, "logs"),
            "TMPDIR": self.scratch.name,
        }
        run = subprocess.run(
            ["bash", RUNNER, "p11-*.py"], env=env, capture_output=True, text=True, timeout=150
        )
        log_path = os.path.join(env["PLAYBOOK_LOG_DIR"], "p11-openapi-sdk-pagination.py.log")
        with open(log_path, encoding="utf-8") as log:
            log_text = log.read()
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr + log_text)
        self.assertIn("PASS p11-openapi-sdk-pagination.py", run.stdout)
        self.assertIn("1 passed, 0 failed", run.stdout)
        self.assertIn("next_cursor", log_text)

        pages = [r for r in self.fake.requests if r["path"] == "/v1/findings"]
        self.assertEqual(len(pages), 1)
        self.assertEqual(pages[0]["query"], {"envelope": "true", "limit": "50"})
        self.assertTrue(pages[0]["headers"]["user-agent"].startswith("cws-client-python/"))


if __name__ == "__main__":
    unittest.main()
