"""Malformed and hostile HTTP against a real certreg-web: bad request lines,
huge headers and queries, slow senders (slowloris), pipelining floods, path
traversal, hostile text in queries. Each is refused cleanly and never stalls
other clients."""
import os
import socket
import sys
import threading
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import web_fixture  # noqa: E402

SERVERS = None
VALID = "90126Q21540R2M"
TIMEOUT = 5  # the server's --request_timeout_seconds here


def setUpModule():
    global SERVERS
    SERVERS = web_fixture.Servers(
        web_flags=[f"--request_timeout_seconds={TIMEOUT}", "--threads=4"])


def tearDownModule():
    if SERVERS:
        SERVERS.stop()


def connect():
    sock = socket.create_connection(("127.0.0.1", SERVERS.web_port), timeout=10)
    return sock


def exchange(data):
    """Sends raw bytes; returns everything the server sends until it closes."""
    with connect() as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def timed_get(path):
    start = time.time()
    with urllib.request.urlopen(SERVERS.web + path, timeout=5) as answer:
        answer.read()
        return answer.status, time.time() - start


class HttpAbuseTest(unittest.TestCase):
    def test_malformed_requests_get_400_and_the_connection_closes(self):
        for raw in [b"GARBAGE\r\n\r\n", b"GET\r\n\r\n",
                    b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
                    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(100),
                    b"GET /\x00 HTTP/1.1\r\n\r\n"]:
            answer = exchange(raw)
            self.assertTrue(answer.startswith(b"HTTP/1.1 400"), (raw[:30], answer[:80]))
        # The server is still fine.
        self.assertEqual(timed_get("/healthz")[0], 200)

    def test_huge_headers_and_queries_are_refused_431(self):
        answer = exchange(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20) +
                          b"\r\n\r\n")
        self.assertTrue(answer.startswith(b"HTTP/1.1 431"), answer[:80])
        answer = exchange(b"GET /?q=" + b"b" * (1 << 20) + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertTrue(answer.startswith(b"HTTP/1.1 431"), answer[:80])
        answer = exchange(b"POST /api/v1/claims:batchVerify HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Length: 100000000\r\n\r\n" + b"{" * 1000)
        self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer[:80])

    def test_slow_senders_never_stall_other_clients(self):
        slow = []
        for _ in range(40):
            sock = connect()
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slow.append(sock)
        # Trickle a byte now and then, slowloris style.
        stop = threading.Event()

        def trickle():
            while not stop.is_set():
                for sock in slow:
                    try:
                        sock.send(b"a")
                    except OSError:
                        pass
                time.sleep(0.3)
        thread = threading.Thread(target=trickle)
        thread.start()
        try:
            worst = 0
            for _ in range(20):
                status, took = timed_get(f"/c/{VALID}")
                self.assertEqual(status, 200)
                worst = max(worst, took)
            # A stalled server would make a request wait for the slow
            # connections' timeout.
            self.assertLess(worst, TIMEOUT / 2)
            # The slow ones are cut off once the request timeout passes.
            time.sleep(TIMEOUT + 1)
            closed = 0
            for sock in slow:
                sock.settimeout(2)
                try:
                    data = sock.recv(100)
                    closed += data == b"" or data.startswith(b"HTTP/1.1 4")
                except OSError:
                    closed += 1
            self.assertEqual(closed, len(slow))
        finally:
            stop.set()
            thread.join()
            for sock in slow:
                sock.close()

    def test_pipelining_floods_are_answered_in_order_and_bounded(self):
        count = 1500
        request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        with connect() as sock:
            sock.sendall(request * count)
            data = b""
            sock.settimeout(10)
            while True:
                chunk = sock.recv(1 << 20)
                if not chunk:
                    break
                data += chunk
        answers = data.count(b"HTTP/1.1 200")
        # At most the per-connection request limit, then the server closes.
        self.assertEqual(answers, 1000)
        self.assertIn(b"Connection: close", data)
        self.assertEqual(timed_get("/healthz")[0], 200)

    def test_path_traversal_finds_nothing_on_any_route(self):
        for path in [b"/../../etc/passwd", b"/c/../../etc/passwd",
                     b"/c/..%2F..%2Fetc%2Fpasswd/qr.svg", b"/b/../../etc/passwd",
                     b"/api/v1/certificates/../../../etc/passwd",
                     b"/api/v1/certificates/%2e%2e%2f%2e%2e%2fetc%2fpasswd/bundle",
                     b"/api/v1/bodies/..%2F..%2Fetc", b"/api/v1/openapi.json/../../x",
                     b"/verify/../../etc/passwd", b"//etc/passwd"]:
            answer = exchange(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n"
                              b"Connection: close\r\n\r\n")
            status = int(answer[9:12])
            self.assertTrue(400 <= status < 500, (path, answer[:100]))
            self.assertNotIn(b"root:", answer)

    def test_hostile_queries_render_inert(self):
        for query in ["%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%22%3E%3Cimg%20src%3Dx%3E",
                      "%7B%7BT_SITE%7D%7D", "%E2%80%AE%E2%80%8F", "x" * 5000]:
            for path in [f"/?q={query}", f"/verify?number={query}",
                         f"/c/{query}", f"/b/{query}"]:
                try:
                    with urllib.request.urlopen(SERVERS.web + path, timeout=5) as a:
                        body = a.read()
                except urllib.error.HTTPError as error:
                    body = error.read()
                self.assertNotIn(b"<script>alert", body, path)
                self.assertNotIn(b"<img src=x", body, path)
                self.assertLess(len(body), 64 << 10, path)


if __name__ == "__main__":
    web_fixture.main(__name__)
