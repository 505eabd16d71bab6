"""Every JSON API route of certreg-web from Python (requests), with status
codes and bodies checked against the gRPC answers of the registry and the
verifier for the same request."""
import gzip
import hashlib
import subprocess
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import web_fixture  # noqa: E402

import grpc  # noqa: E402
import requests  # noqa: E402

SERVERS = None
VALID = "90126Q21540R2M"
REVOKED = "90119Q11234R0M"


API_KEY = "json-api-test-key"


def setUpModule():
    global SERVERS, pb, registry_grpc, verifier_pb, verifier_grpc, json_format
    keys = os.path.join(os.environ.get("TEST_TMPDIR", "/tmp"), "api_keys")
    with open(keys, "w") as f:
        f.write(f"tester {hashlib.sha256(API_KEY.encode()).hexdigest()} "
                "1000 1000 1000 100 1000\n")
    SERVERS = web_fixture.Servers(registry_flags=[f"--api_keys_file={keys}"])
    web_fixture.python_protos(SERVERS.tmp)
    from certreg.v1 import registry_pb2 as pb, registry_pb2_grpc as registry_grpc
    from certreg.v1 import verifier_pb2 as verifier_pb
    from certreg.v1 import verifier_pb2_grpc as verifier_grpc
    from google.protobuf import json_format
    globals().update(pb=pb, registry_grpc=registry_grpc,
                     verifier_pb=verifier_pb, verifier_grpc=verifier_grpc,
                     json_format=json_format)


def tearDownModule():
    if SERVERS:
        SERVERS.stop()


class JsonApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.registry = registry_grpc.RegistryServiceStub(
            grpc.insecure_channel(SERVERS.registry))
        cls.verifier = verifier_grpc.VerifierServiceStub(
            grpc.insecure_channel(f"127.0.0.1:{SERVERS.verifier_port}"))

    def get(self, path, **kwargs):
        return requests.get(SERVERS.web + path, timeout=10, **kwargs)

    def as_dict(self, message):
        return json.loads(json_format.MessageToJson(message))

    def test_certificates_are_the_registrys_answers(self):
        search = self.registry.SearchCertificates(
            pb.SearchCertificatesRequest(page_size=100))
        self.assertGreaterEqual(len(search.certificates), 8)
        for summary in search.certificates:
            for view in ("CERTIFICATE_VIEW_BASIC", "CERTIFICATE_VIEW_FULL"):
                answer = self.get(f"/api/v1/certificates/{summary.number}",
                                  params={"view": view})
                self.assertEqual(answer.status_code, 200, answer.text)
                self.assertEqual(answer.headers["Content-Type"],
                                 "application/json")
                expected = self.registry.GetCertificate(
                    pb.GetCertificateRequest(number=summary.number,
                                             view=pb.CertificateView.Value(view)))
                self.assertEqual(answer.json(), self.as_dict(expected),
                                 summary.number)
        then = self.get(f"/api/v1/certificates/{VALID}",
                        params={"as_of": "2020-01-01", "view": "CERTIFICATE_VIEW_BASIC"})
        request = pb.GetCertificateRequest(number=VALID, view=1)
        request.as_of.year, request.as_of.month, request.as_of.day = 2020, 1, 1
        self.assertEqual(then.json(),
                         self.as_dict(self.registry.GetCertificate(request)))

    def test_errors_carry_the_grpc_message_and_mapped_status(self):
        cases = [("/api/v1/certificates/99999Q99999R9M", 404, "99999Q99999R9M"),
                 ("/api/v1/certificates/bad%20number", 400, "bad number")]
        for path, status, number in cases:
            answer = self.get(path)
            self.assertEqual(answer.status_code, status, answer.text)
            with self.assertRaises(grpc.RpcError) as raised:
                self.registry.GetCertificate(pb.GetCertificateRequest(number=number))
            error = answer.json()["error"]
            self.assertEqual(error["message"], raised.exception.details())
            self.assertEqual(error["status"], raised.exception.code().name)
            self.assertEqual(error["code"], status)
        bad_date = self.get(f"/api/v1/certificates/{VALID}", params={"as_of": "2026-13-01"})
        self.assertEqual(bad_date.status_code, 400)
        self.assertIn("as_of", bad_date.json()["error"]["message"])
        self.assertEqual(self.get("/api/v1/nothing/here").status_code, 404)

    def test_search_matches_the_registry(self):
        for params, request in [
                ({"query": "海岳"}, pb.SearchCertificatesRequest(query="海岳")),
                ({"query": "91370212CXUGT6619K"},
                 pb.SearchCertificatesRequest(query="91370212CXUGT6619K")),
                ({"status": "CERTIFICATE_STATUS_REVOKED", "pageSize": "5"},
                 pb.SearchCertificatesRequest(status=3, page_size=5)),
                ({"type": "CERTIFICATION_TYPE_SERVICE"},
                 pb.SearchCertificatesRequest(type=2))]:
            answer = self.get("/api/v1/certificates:search", params=params)
            self.assertEqual(answer.status_code, 200, answer.text)
            self.assertEqual(answer.json(), self.as_dict(
                self.registry.SearchCertificates(request)), params)
        refused = self.get("/api/v1/certificates:search", params={"page_size": "x"})
        self.assertEqual(refused.status_code, 400)
        self.assertIn("page_size", refused.json()["error"]["message"])

    def test_verification_matches_the_verifier_service(self):
        claims = [{"certificateNumber": VALID, "holderName": "青岛海岳电器股份有限公司"},
                  {"certificateNumber": REVOKED},
                  {"certificateNumber": "90224S00317R0L", "minStarLevel": "STAR_LEVEL_FOUR"},
                  {"certificateNumber": "99999Q99999R9M"}]
        for claim in claims:
            answer = requests.post(SERVERS.web + "/api/v1/claims:verify",
                                   json={"claim": claim}, timeout=10)
            self.assertEqual(answer.status_code, 200, answer.text)
            request = json_format.ParseDict({"claim": claim}, verifier_pb.VerifyRequest())
            expected = self.as_dict(self.verifier.Verify(request))
            self.assertEqual(answer.json(), expected, claim)
        batch = requests.post(SERVERS.web + "/api/v1/claims:batchVerify",
                              json={"claims": claims}, timeout=10)
        self.assertEqual(batch.status_code, 200)
        self.assertEqual([r["verdict"] for r in batch.json()["results"]],
                         ["VERDICT_PASS", "VERDICT_FAIL", "VERDICT_PASS", "VERDICT_FAIL"])
        malformed = requests.post(SERVERS.web + "/api/v1/claims:verify",
                                  data="{nope", timeout=10,
                                  headers={"Content-Type": "application/json"})
        self.assertEqual(malformed.status_code, 400)
        self.assertEqual(malformed.json()["error"]["status"], "INVALID_ARGUMENT")

    def test_log_evidence_is_passed_on_unchanged(self):
        checkpoint = self.registry.GetCheckpoint(pb.GetCheckpointRequest())
        self.assertEqual(self.get("/api/v1/checkpoints/latest").json(),
                         self.as_dict(checkpoint))
        from certreg.v1 import log_pb2
        size = log_pb2.Checkpoint.FromString(checkpoint.checkpoint).tree_size
        self.assertEqual(self.get(f"/api/v1/checkpoints/{size}").json(),
                         self.as_dict(self.registry.GetCheckpoint(
                             pb.GetCheckpointRequest(tree_size=size))))
        self.assertEqual(
            self.get(f"/api/v1/certificates/{VALID}/bundle").json(),
            self.as_dict(self.registry.GetVerificationBundle(
                pb.GetVerificationBundleRequest(number=VALID))))
        self.assertEqual(
            self.get("/api/v1/proofs:inclusion",
                     params={"leaf_index": 1, "tree_size": size}).json(),
            self.as_dict(self.registry.GetInclusionProof(
                pb.GetInclusionProofRequest(leaf_index=1, tree_size=size))))
        self.assertEqual(
            self.get("/api/v1/proofs:consistency",
                     params={"from_size": 2, "to_size": size}).json(),
            self.as_dict(self.registry.GetConsistencyProof(
                pb.GetConsistencyProofRequest(from_size=2, to_size=size))))
        self.assertEqual(
            self.get("/api/v1/entries", params={"start": 0, "end": 5}).json(),
            self.as_dict(self.registry.GetEntries(pb.GetEntriesRequest(start=0, end=5))))
        self.assertEqual(self.get("/api/v1/bodies").json(),
                         self.as_dict(self.registry.ListBodies(pb.ListBodiesRequest())))
        self.assertEqual(self.get("/api/v1/keys").json(),
                         self.as_dict(self.registry.GetRegistryKeys(
                             pb.GetRegistryKeysRequest())))
        body = self.registry.ListBodies(pb.ListBodiesRequest()).bodies[0]
        self.assertEqual(self.get(f"/api/v1/bodies/{body.approval_number}").json(),
                         self.as_dict(body))

    def test_http_conveniences(self):
        first = self.get(f"/api/v1/certificates/{VALID}",
                         headers={"Accept-Encoding": "gzip"})
        self.assertEqual(first.headers.get("Content-Encoding"), "gzip")
        self.assertIn("public", first.headers["Cache-Control"])
        etag = first.headers["ETag"]
        self.assertTrue(etag.startswith('W/"'), etag)
        again = self.get(f"/api/v1/certificates/{VALID}",
                         headers={"If-None-Match": etag})
        self.assertEqual(again.status_code, 304)
        head = requests.head(SERVERS.web + f"/api/v1/certificates/{VALID}", timeout=10)
        self.assertEqual(head.status_code, 200)
        self.assertEqual(head.text, "")
        preflight = requests.options(
            SERVERS.web + "/api/v1/claims:verify", timeout=10,
            headers={"Origin": "https://buyer.example",
                     "Access-Control-Request-Method": "POST"})
        self.assertEqual(preflight.status_code, 204)
        self.assertEqual(preflight.headers["Access-Control-Allow-Origin"], "*")
        from certreg.v1 import log_pb2
        size = log_pb2.Checkpoint.FromString(self.registry.GetCheckpoint(
            pb.GetCheckpointRequest()).checkpoint).tree_size
        document = self.get("/api/v1/openapi.json").json()
        self.assertTrue(document["openapi"].startswith("3."))
        for path in document["paths"]:
            concrete = (path.replace("{number}", VALID).replace("{tree_size}", str(size))
                        .replace("{approval_number}", "CNCA-R-2002-901"))
            for method in document["paths"][path]:
                answer = requests.request(method.upper(), SERVERS.web + concrete,
                                          json={"claims": []} if method == "post" else None,
                                          timeout=10)
                self.assertNotIn(answer.status_code, (404, 405), (method, path, answer.text))

    def test_watchlists_belong_to_the_callers_key(self):
        url = SERVERS.web + "/api/v1/watchlists"
        self.assertEqual(requests.get(url, timeout=10).status_code, 401)
        self.assertEqual(requests.get(url, headers={"X-Api-Key": "unknown"},
                                      timeout=10).status_code, 401)
        key = {"X-Api-Key": API_KEY}
        created = requests.post(url, headers=key, timeout=10, json={
            "filter": {"unifiedSocialCreditCodes": ["91370212CXUGT6619K"]},
            "callbackUrl": "https://buyer.example/hook"})
        self.assertEqual(created.status_code, 200, created.text)
        watchlist = created.json()
        self.assertEqual(watchlist["owner"], "tester")
        listed = requests.get(url, headers=key, timeout=10).json()
        self.assertEqual([w["id"] for w in listed["watchlists"]], [watchlist["id"]])
        deliveries = requests.get(f"{url}/{watchlist['id']}/deliveries",
                                  headers=key, timeout=10)
        self.assertEqual(deliveries.status_code, 200, deliveries.text)
        bad = requests.post(url, headers=key, timeout=10, json={
            "filter": {"certificateNumbers": [VALID]},
            "callbackUrl": "http://buyer.example/hook"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("callback_url", bad.json()["error"]["message"])
        gone = requests.delete(f"{url}/{watchlist['id']}", headers=key, timeout=10)
        self.assertEqual(gone.status_code, 200, gone.text)
        self.assertEqual(requests.get(url, headers=key, timeout=10).json(), {})

    def test_zz_watch_long_poll_sees_a_new_statement(self):
        # Last (it suspends a certificate the other tests read).
        url = SERVERS.web + "/api/v1/certificates:watch"
        first = requests.get(url, params={"certificate_numbers": VALID,
                                          "wait_seconds": 2}, timeout=30)
        self.assertEqual(first.status_code, 200, first.text)
        self.assertEqual([c["kind"] for c in first.json()["changes"]],
                         ["CHANGE_KIND_CURRENT_STATE"])
        cursor = first.json()["cursor"]
        idle = requests.get(url, params={"certificate_numbers": VALID,
                                         "cursor": cursor, "wait_seconds": 1},
                            timeout=30)
        self.assertEqual(idle.json().get("changes", []), [])
        subprocess.run([web_fixture.runfile("tools/certctl"),
                        f"--registry={SERVERS.registry}", "suspend", VALID,
                        f"--key={SERVERS.tmp}/keys/CNCA-R-2002-901.key",
                        "--reason=整改"], check=True, env=SERVERS.env,
                       capture_output=True)
        news = requests.get(url, params={"certificate_numbers": VALID,
                                         "cursor": idle.json()["cursor"],
                                         "wait_seconds": 10}, timeout=30).json()
        self.assertEqual([c["statementKind"] for c in news["changes"]],
                         ["STATEMENT_KIND_SUSPEND"])
        self.assertNotEqual(news["cursor"], idle.json()["cursor"])
        bad = requests.get(url, params={"cursor": "nonsense",
                                        "certificate_numbers": VALID}, timeout=30)
        self.assertEqual(bad.status_code, 400)


if __name__ == "__main__":
    web_fixture.main(__name__)
