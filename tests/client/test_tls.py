"""The HTTP transport over TLS: a real headwater server served by uvicorn with a
self-signed certificate on 127.0.0.1, reached with `HEADWATER_API_SSL_CERT_FILE`
(trusting that certificate) or `HEADWATER_API_TLS_INSECURE_SKIP_VERIFY`, and refused
without either."""

from __future__ import annotations

import datetime
import ipaddress
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import child_env, free_port, wait_until

from headwater.client.orchestration import SyncPrefectClient
from headwater.core.settings import load_settings
from headwater.exceptions import ConfigurationError, StoreError


def _self_signed(directory: Path) -> tuple[Path, Path]:
    """A key and a certificate for 127.0.0.1, signed by the key itself."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    key_path, cert_path = directory / "key.pem", directory / "cert.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The API's https URL and the certificate's file."""
    home = tmp_path_factory.mktemp("tls-server")
    key, cert = _self_signed(home)
    port = free_port()
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "headwater.server.app:create_app_from_environment",
         "--host", "127.0.0.1", "--port", str(port), "--ssl-keyfile", str(key), "--ssl-certfile", str(cert)],
        env=child_env(home, HEADWATER_LOGGING_TO_CONSOLE="false"), stdout=log, stderr=subprocess.STDOUT)

    def healthy() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {(home / 'server.log').read_text(errors='replace')}")
        try:
            return httpx.get(f"https://127.0.0.1:{port}/api/health", verify=False, timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_until(healthy, 60, "TLS server")
        yield f"https://127.0.0.1:{port}/api", cert
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


def _client(tmp_path: Path, url: str, **settings: object) -> SyncPrefectClient:
    return SyncPrefectClient(load_settings(home=str(tmp_path / "home"), api_url=url, **settings))


def test_the_certificate_file_is_trusted(tls_server: tuple[str, Path], tmp_path: Path) -> None:
    url, cert = tls_server
    with _client(tmp_path, url, api_ssl_cert_file=str(cert)) as client:
        run = client.create_flow_run("tls-flow")
        assert client.read_flow_run(run.id).name == run.name


def test_skipping_verification_reaches_the_server(tls_server: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = tls_server
    with _client(tmp_path, url, api_tls_insecure_skip_verify=True) as client:
        flow_id = client.create_flow_from_name("tls-insecure")
        assert client.read_flow(flow_id).name == "tls-insecure"


def test_an_untrusted_certificate_is_refused(tls_server: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = tls_server
    with _client(tmp_path, url) as client, pytest.raises(StoreError, match="CERTIFICATE_VERIFY_FAILED"):
        client.read_flows()


def test_an_unreadable_certificate_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    with pytest.raises(ConfigurationError, match="HEADWATER_API_SSL_CERT_FILE.*nope.pem"):
        _client(tmp_path, "https://127.0.0.1:1/api", api_ssl_cert_file=str(missing)).read_flows()


def test_prefect_names_read_the_settings(tmp_path: Path) -> None:
    from headwater.client.orchestration import PREFECT_API_SSL_CERT_FILE, PREFECT_API_TLS_INSECURE_SKIP_VERIFY
    from headwater.settings import temporary_settings

    with temporary_settings(updates={PREFECT_API_SSL_CERT_FILE: "/x/ca.pem",
                                     PREFECT_API_TLS_INSECURE_SKIP_VERIFY: True}):
        assert PREFECT_API_SSL_CERT_FILE.value() == "/x/ca.pem"
        assert PREFECT_API_TLS_INSECURE_SKIP_VERIFY.value() is True
