"""Watchlists with webhooks against a real registry: a receiver on loopback
(Python's http.server) gets each change with a valid signature by the log
key; it refuses the first deliveries and the registry retries with the same
idempotency key; with deliveries pending the registry is killed (SIGKILL)
and restarted, and every change is still delivered."""
import base64
import hashlib
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "web"))
import web_fixture  # noqa: E402

import grpc  # noqa: E402
from cryptography.hazmat.primitives.serialization import load_pem_public_key  # noqa: E402

HAIER = "90126Q21540R2M"
HAIER_CODE = "91370212CXUGT6619K"
API_KEY = "buyer-secret-key-for-tests"


class Receiver:
    """An HTTP endpoint that answers 503 while `failing` is positive (and
    counts it down), 200 otherwise, keeping every request."""

    def __init__(self):
        receiver = self
        self.lock = threading.Lock()
        self.requests = []  # (status answered, headers, body)
        self.failing = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    fail = receiver.failing != 0
                    if receiver.failing > 0:
                        receiver.failing -= 1
                    status = 503 if fail else 200
                    receiver.requests.append((status, dict(self.headers), body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def accepted(self):
        with self.lock:
            return [(h, b) for status, h, b in self.requests if status == 200]

    def wait_accepted(self, count, seconds=60):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if len(self.accepted()) >= count:
                return self.accepted()
            time.sleep(0.1)
        return self.accepted()


class WebhookTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = os.environ.get("TEST_TMPDIR", "/tmp")
        cls.config = os.path.join(cls.tmp, "config", "certreg")
        os.makedirs(cls.config, exist_ok=True)
        cls.env = dict(os.environ, XDG_CONFIG_HOME=os.path.dirname(cls.config))
        subprocess.run([web_fixture.runfile("tools/certctl"), "keygen",
                        cls.config + "/operator"], check=True, env=cls.env,
                       stdout=subprocess.DEVNULL)
        cls.keys_file = os.path.join(cls.tmp, "api_keys")
        with open(cls.keys_file, "w") as f:
            digest = hashlib.sha256(API_KEY.encode()).hexdigest()
            f.write(f"buyer {digest} 1000 1000 1000 100 1000\n")
        cls.port = web_fixture.free_port()
        cls.address = f"127.0.0.1:{cls.port}"
        cls.process = None
        cls.start_registry()
        cls.certctl("demo-seed", f"--keys_dir={cls.tmp}/keys")
        web_fixture.python_protos(cls.tmp)
        global pb, pb_grpc
        from certreg.v1 import registry_pb2 as pb, registry_pb2_grpc as pb_grpc
        with open(cls.config + "/log.pub", "rb") as f:
            cls.log_key = load_pem_public_key(f.read())
        cls.receiver = Receiver()

    @classmethod
    def tearDownClass(cls):
        if cls.process:
            cls.process.terminate()
            cls.process.wait()

    @classmethod
    def start_registry(cls):
        log = open(os.path.join(cls.tmp, "registry.log"), "a")
        cls.process = subprocess.Popen(
            [web_fixture.runfile("registry/certreg-registry"),
             f"--data_dir={cls.tmp}/data", f"--listen={cls.address}",
             f"--operator_public_key={cls.config}/operator.pub",
             f"--log_private_key={cls.config}/log.key",
             f"--api_keys_file={cls.keys_file}",
             f"--admin_socket=unix:/tmp/certreg-wh-{os.getpid()}.sock",
             "--metrics_listen="], env=cls.env, stdout=log, stderr=log)
        web_fixture.wait_for_port(cls.port, cls.process, "registry")

    @classmethod
    def certctl(cls, *args):
        result = subprocess.run(
            [web_fixture.runfile("tools/certctl"), f"--registry={cls.address}",
             *args], env=cls.env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def stub(self):
        return pb_grpc.RegistryServiceStub(grpc.insecure_channel(self.address))

    def create_watchlist(self):
        watchlist = pb.Watchlist(
            callback_url=f"http://127.0.0.1:{self.receiver.port}/hook")
        watchlist.filter.unified_social_credit_codes.append(HAIER_CODE)
        return self.stub().CreateWatchlist(
            pb.CreateWatchlistRequest(watchlist=watchlist),
            metadata=[("x-api-key", API_KEY)])

    def check_signed(self, headers, body):
        signature = base64.b64decode(headers["Certreg-Signature"])
        # Raises InvalidSignature when it does not verify.
        self.log_key.verify(signature, b"certreg.v1.WebhookEvent\0" + body)
        event = json.loads(body)
        self.assertEqual(headers["Certreg-Idempotency-Key"], event["deliveryId"])
        return event

    def test_1_refused_without_a_key_or_with_a_bad_url(self):
        watchlist = pb.Watchlist(callback_url="http://example.com/hook")
        watchlist.filter.certificate_numbers.append(HAIER)
        with self.assertRaises(grpc.RpcError) as raised:
            self.stub().CreateWatchlist(pb.CreateWatchlistRequest(watchlist=watchlist))
        self.assertEqual(raised.exception.code(), grpc.StatusCode.UNAUTHENTICATED)
        with self.assertRaises(grpc.RpcError) as raised:
            self.stub().CreateWatchlist(pb.CreateWatchlistRequest(watchlist=watchlist),
                                        metadata=[("x-api-key", API_KEY)])
        self.assertEqual(raised.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("callback_url", raised.exception.details())

    def test_2_retries_then_delivers_signed_and_survives_kill_9(self):
        created = self.create_watchlist()
        self.assertTrue(created.id.startswith("wl-"))
        listed = self.stub().ListWatchlists(pb.ListWatchlistsRequest(),
                                            metadata=[("x-api-key", API_KEY)])
        self.assertIn(created.id, [w.id for w in listed.watchlists])

        # Refused twice, then accepted: three attempts, one idempotency key.
        with self.receiver.lock:
            self.receiver.failing = 2
        key = f"{self.tmp}/keys/CNCA-R-2002-901.key"
        self.certctl("suspend", HAIER, f"--key={key}", "--reason=整改期间暂停")
        accepted = self.receiver.wait_accepted(1)
        self.assertEqual(len(accepted), 1)
        event = self.check_signed(*accepted[0])
        self.assertEqual(event["watchlistId"], created.id)
        self.assertEqual(event["change"]["kind"], "CHANGE_KIND_STATEMENT")
        self.assertEqual(event["change"]["statementKind"], "STATEMENT_KIND_SUSPEND")
        with self.receiver.lock:
            attempts = [h["Certreg-Idempotency-Key"] for _, h, _ in self.receiver.requests]
        self.assertEqual(attempts, [event["deliveryId"]] * 3)

        # Pending when the registry is killed: delivered after the restart.
        with self.receiver.lock:
            self.receiver.failing = -1  # refuse everything
        self.certctl("reinstate", HAIER, f"--key={key}")
        self.certctl("surveil", HAIER, f"--key={key}")
        deadline = time.time() + 30
        while time.time() < deadline:
            with self.receiver.lock:
                refused = {h["Certreg-Idempotency-Key"] for s, h, _ in self.receiver.requests
                           if s == 503}
            if len(refused) >= 2:
                break
            time.sleep(0.1)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        with self.receiver.lock:
            self.receiver.failing = 0
        type(self).start_registry()
        accepted = self.receiver.wait_accepted(3)
        self.assertEqual(len(accepted), 3)
        kinds = [self.check_signed(h, b)["change"]["statementKind"] for h, b in accepted]
        self.assertEqual(kinds, ["STATEMENT_KIND_SUSPEND", "STATEMENT_KIND_REINSTATE",
                                 "STATEMENT_KIND_SURVEILLANCE"])
        deliveries = self.stub().ListDeliveries(
            pb.ListDeliveriesRequest(watchlist_id=created.id),
            metadata=[("x-api-key", API_KEY)]).deliveries
        self.assertEqual(len(deliveries), 3)
        self.assertTrue(all(d.state == pb.DELIVERY_STATE_DELIVERED for d in deliveries))
        accepted_keys = {h["Certreg-Idempotency-Key"] for h, _ in accepted}
        self.assertEqual(accepted_keys, {d.id for d in deliveries})

        # Replay: the same idempotency key once more.
        replayed = self.stub().ReplayDelivery(
            pb.ReplayDeliveryRequest(watchlist_id=created.id,
                                     delivery_id=deliveries[-1].id),
            metadata=[("x-api-key", API_KEY)])
        self.assertEqual(replayed.id, deliveries[-1].id)
        accepted = self.receiver.wait_accepted(4)
        self.assertEqual(accepted[3][0]["Certreg-Idempotency-Key"], deliveries[-1].id)
        self.stub().DeleteWatchlist(pb.DeleteWatchlistRequest(id=created.id),
                                    metadata=[("x-api-key", API_KEY)])


if __name__ == "__main__":
    web_fixture.main(__name__)
