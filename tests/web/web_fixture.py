"""Starts a real registry (demo data), verifier and certreg-web on loopback
for the web tests, generates the Python protobuf/gRPC modules, and runs a
unittest suite writing JUnit XML where Bazel asks for it.

Run with Debian's /usr/bin/python3 (python3-grpcio, python3-protobuf,
python3-requests, python3-selenium)."""
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

RUNFILES = os.path.join(os.environ.get("TEST_SRCDIR", os.getcwd() + "/.."),
                        "certreg")


def runfile(path):
    return os.path.join(RUNFILES, path)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, what, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port}")


class Servers:
    """The registry with the demo data, a verifier and certreg-web."""

    def __init__(self, web_flags=(), registry_flags=()):
        self.tmp = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.config = os.path.join(self.tmp, "config", "certreg")
        os.makedirs(self.config)
        env = dict(os.environ, XDG_CONFIG_HOME=os.path.dirname(self.config))
        self.env = env
        self.processes = []
        certctl = runfile("tools/certctl")
        subprocess.run([certctl, "keygen", self.config + "/operator"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        self.registry_port = free_port()
        self.registry = f"127.0.0.1:{self.registry_port}"
        self.admin_socket = f"/tmp/certreg-web-{os.getpid()}.sock"
        self._start("registry", [
            runfile("registry/certreg-registry"),
            f"--data_dir={self.tmp}/data", f"--listen={self.registry}",
            f"--operator_public_key={self.config}/operator.pub",
            f"--log_private_key={self.config}/log.key",
            f"--admin_socket=unix:{self.admin_socket}", "--metrics_listen="]
            + list(registry_flags), self.registry_port)
        subprocess.run([certctl, f"--registry={self.registry}",
                        f"--keys_dir={self.tmp}/keys", "demo-seed"],
                       check=True, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        keys = [f"--operator_public_key={self.config}/operator.pub",
                f"--log_public_key={self.config}/log.pub"]
        self.verifier_port = free_port()
        self._start("verifier", [
            runfile("verifier/certreg-verifier"), f"--registry={self.registry}",
            f"--listen=127.0.0.1:{self.verifier_port}",
            f"--state_file={self.tmp}/verifier_state", "--metrics_listen="]
            + keys, self.verifier_port)
        self.web_port = free_port()
        self.web = f"http://127.0.0.1:{self.web_port}"
        self._start("web", [
            runfile("verifier/web/certreg-web"), f"--registry={self.registry}",
            f"--listen=127.0.0.1:{self.web_port}",
            f"--state_file={self.tmp}/web_state", "--metrics_listen="]
            + keys + list(web_flags), self.web_port)

    def _start(self, name, argv, port):
        log = open(os.path.join(self.tmp, name + ".log"), "w")
        process = subprocess.Popen(argv, env=self.env, stdout=log, stderr=log)
        self.processes.append(process)
        wait_for_port(port, process, name)

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def python_protos(tmp):
    """Generates certreg's Python protobuf and gRPC modules into tmp/py and
    puts them on sys.path."""
    out = os.path.join(tmp, "py")
    os.makedirs(out, exist_ok=True)
    protos = runfile("proto")
    files = sorted(os.path.join(protos, "certreg/v1", f)
                   for f in os.listdir(os.path.join(protos, "certreg/v1"))
                   if f.endswith(".proto"))
    plugin = subprocess.run(["sh", "-c", "command -v grpc_python_plugin"],
                            capture_output=True, text=True).stdout.strip()
    subprocess.run(["protoc", "-I", protos, f"--python_out={out}",
                    f"--grpc_out={out}", f"--plugin=protoc-gen-grpc={plugin}"]
                   + files, check=True)
    sys.path.insert(0, out)


class _JUnitResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = []
        self._started = 0

    def startTest(self, test):
        self._started = time.time()
        super().startTest(test)

    def _record(self, test, kind=None, text=""):
        self.cases.append((test.id(), time.time() - self._started, kind, text))

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failure", self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, "error", self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped", reason)


def main(module_name):
    """Runs the module's tests; writes $XML_OUTPUT_FILE; exits 1 on failure."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(
        sys.modules[module_name])
    runner = unittest.TextTestRunner(resultclass=_JUnitResult, verbosity=2)
    result = runner.run(suite)
    path = os.environ.get("XML_OUTPUT_FILE")
    if path:
        root = ET.Element("testsuites")
        suite_node = ET.SubElement(root, "testsuite", name=module_name,
                                   tests=str(len(result.cases)))
        for name, seconds, kind, text in result.cases:
            case = ET.SubElement(suite_node, "testcase", name=name,
                                 classname=module_name, time=f"{seconds:.3f}")
            if kind:
                ET.SubElement(case, kind, message=text[:200]).text = text
        ET.ElementTree(root).write(path, encoding="utf-8",
                                   xml_declaration=True)
    sys.exit(0 if result.wasSuccessful() else 1)
