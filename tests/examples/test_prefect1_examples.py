"""The Prefect 1 blog's two programs run unchanged except for their import line.

examples/hello_prefect1.py runs as a user runs it. examples/github_trending.py asks
https://trendings.herokuapp.com/repo for data; the test does not edit it but runs it
with its HTTPS traffic going through a proxy on 127.0.0.1 (HTTPS_PROXY) that answers
for that host itself, with a certificate from a throwaway CA the program is told to
trust (REQUESTS_CA_BUNDLE). So the real `requests` code path, TLS included, is used.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TRENDING_HOST = "trendings.herokuapp.com"
TRENDING_CSV = Path("/tmp/trending.csv")  # where the blog's program writes
TRENDING_ITEMS = [
    {"repo": "PrefectHQ/prefect", "repo_link": "https://github.com/PrefectHQ/prefect", "stars": "17,320",
     "forks": "1,601", "added_stars": "412 stars this week", "lang": "Python"},
    {"repo": "pydantic/pydantic", "repo_link": "https://github.com/pydantic/pydantic", "stars": "186,319",
     "forks": "1,900", "added_stars": "201 stars this week", "lang": "Python"},
]

# The blog's program stops at flow.register(...), whose run is commented out
# (`#flow.run(since="weekly")`); this runs the file as written, then that line.
RUN_TRENDING = """
import sys
from headwater.exceptions import HeadwaterError
path = sys.argv[1]
namespace = {"__name__": "__main__", "__file__": path}
try:
    exec(compile(open(path).read(), path, "exec"), namespace)
except HeadwaterError as exc:
    print(f"register: {exc}")
state = namespace["flow"].run(since="weekly")
print(f"successful: {state.is_successful()}")
"""


def isolated_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")
           and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "requests_ca_bundle",
                                 "curl_ca_bundle")}
    env.update(HEADWATER_HOME=str(home), HEADWATER_LOGGING_LEVEL="INFO")
    return env


def succeeded(proc: subprocess.CompletedProcess[str]) -> str:
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"exit {proc.returncode}\n{out}"
    return out


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# -- hello ------------------------------------------------------------------------------

def test_hello_prints_through_log_stdout_for_each_run(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(EXAMPLES / "hello_prefect1.py")], env=isolated_env(tmp_path),
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    out = succeeded(proc)

    assert re.search(r"\| INFO +\| Task run 'say_hello-[0-9a-f]{3}' - Hello, world!$", out, re.MULTILINE), out
    assert re.search(r"\| INFO +\| Task run 'say_hello-[0-9a-f]{3}' - Hello, Marvin!$", out, re.MULTILINE), out
    assert out.index("Hello, world!") < out.index("Hello, Marvin!")
    db = tmp_path / "headwater.db"
    runs = query(db, "SELECT flow_name, parameters FROM flow_runs ORDER BY created")
    assert [(name, json.loads(str(params))) for name, params in runs] == [
        ("My First Flow", {"name": "world"}), ("My First Flow", {"name": "Marvin"})]
    assert query(db, "SELECT count(*) FROM task_runs WHERE task_name = 'say_hello'") == [(2,)]


# -- GitHub trending ----------------------------------------------------------------------

class _TrendingAPI(BaseHTTPRequestHandler):
    """Answers GET /repo?since=... as the trending API did, inside the TLS tunnel."""

    server: _InterceptingProxy

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.server.requests.append((self.headers.get("Host", ""), url.path, parse_qs(url.query)))
        if url.path != "/repo":
            self._send(404, {"msg": "not found"})
            return
        self._send(200, {"count": len(TRENDING_ITEMS), "msg": "suc", "items": TRENDING_ITEMS})

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


class _ProxyHandler(BaseHTTPRequestHandler):
    """A CONNECT proxy that terminates TLS for the trending host and serves it locally."""

    server: _InterceptingProxy

    def do_CONNECT(self) -> None:
        host = self.path.rsplit(":", 1)[0]
        if host != TRENDING_HOST:
            self.send_error(403, f"this test proxy only answers for {TRENDING_HOST}")
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        with self.server.tls.wrap_socket(self.connection, server_side=True) as tunnel:
            _TrendingAPI(tunnel, self.client_address, self.server)
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


class _InterceptingProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.tls = tls
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []


def _openssl(*args: str, cwd: Path) -> None:
    proc = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"openssl {' '.join(args)} failed:\n{proc.stderr}"


def make_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate for the trending host signed by it: (ca, cert, key)."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=headwater test CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=directory)
    _openssl("req", *ec, "-keyout", "host.key", "-out", "host.csr", "-subj", f"/CN={TRENDING_HOST}", cwd=directory)
    (directory / "host.ext").write_text(
        f"subjectAltName=DNS:{TRENDING_HOST}\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
    )
    _openssl("x509", "-req", "-in", "host.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "host.pem", "-days", "2", "-extfile", "host.ext", cwd=directory)
    return directory / "ca.pem", directory / "host.pem", directory / "host.key"


@pytest.fixture
def trending_proxy(tmp_path: Path) -> Iterator[tuple[_InterceptingProxy, Path]]:
    """The intercepting proxy, running, and the CA file the program must trust."""
    certs = tmp_path / "certs"
    certs.mkdir()
    ca, cert, key = make_certificates(certs)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    proxy = _InterceptingProxy(tls)
    thread = threading.Thread(target=proxy.serve_forever, name="trending-proxy", daemon=True)
    thread.start()
    try:
        yield proxy, ca
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(10)


@pytest.fixture
def trending_csv() -> Iterator[Path]:
    """/tmp/trending.csv, absent at the start; whatever was there is put back afterwards."""
    saved = TRENDING_CSV.read_bytes() if TRENDING_CSV.exists() else None
    TRENDING_CSV.unlink(missing_ok=True)
    try:
        yield TRENDING_CSV
    finally:
        TRENDING_CSV.unlink(missing_ok=True)
        if saved is not None:
            TRENDING_CSV.write_bytes(saved)


def test_github_trending_writes_the_csv_from_the_api(tmp_path: Path, trending_proxy: tuple[_InterceptingProxy, Path],
                                                      trending_csv: Path) -> None:
    proxy, ca = trending_proxy
    home = tmp_path / "home"
    env = isolated_env(home)
    env.update(HTTPS_PROXY=f"http://127.0.0.1:{proxy.server_address[1]}", REQUESTS_CA_BUNDLE=str(ca))

    proc = subprocess.run([sys.executable, "-c", RUN_TRENDING, str(EXAMPLES / "github_trending.py")], env=env,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    out = succeeded(proc)

    assert "register: no project named 'GitHub_Trending': create it with `headwater project create GitHub_Trending`" \
        in out
    assert "successful: True" in out
    assert proxy.requests == [(TRENDING_HOST, "/repo", {"since": ["weekly"]})]
    assert trending_csv.read_text().splitlines() == [
        "repo,repo_link,stars,forks,added_stars",
        'PrefectHQ/prefect,https://github.com/PrefectHQ/prefect,"17,320","1,601",412 stars this week',
        'pydantic/pydantic,https://github.com/pydantic/pydantic,"186,319","1,900",201 stars this week',
    ]
    edges = query(home / "headwater.db",
                  "SELECT down.task_name, up.task_name, i.parameter FROM task_run_inputs i"
                  " JOIN task_runs down ON down.id = i.task_run_id JOIN task_runs up ON up.id = i.upstream_task_run_id")
    assert sorted(edges) == [("handle_data", "download_data", "data"), ("save_data", "handle_data", "rows")]
    assert query(home / "headwater.db", "SELECT flow_name, parameters FROM flow_runs") == [
        ("GitHub_Trending_Flow", '{"since": "weekly"}')]
