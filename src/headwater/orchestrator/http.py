"""Client mode: run history goes to a headwater server (`HEADWATER_API_URL`).

`HttpOrchestrator` has the interface of `LocalOrchestrator`: the engine's records
are queued by the same `BackgroundWriter`, whose sink here POSTs each batch to
`/records/batch` over one keep-alive `httpx.Client`. Each batch carries an id the
server writes once, so a batch whose reply was lost can be sent again safely.

When the server cannot be reached (or answers 5xx), the batch is retried with
backoff and later records wait in the writer's queue: the flow keeps running. After
`api_buffer_seconds` of failure the batch is dropped with a warning that the run
history is incomplete; later batches get one try each until the server answers again.

`ApiClient` is the thin HTTP client both this orchestrator and the CLI's read
commands use: base URL, bearer key, and errors turned into headwater's exceptions.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

import httpx

from headwater.exceptions import (
    ConfigurationError,
    HeadwaterError,
    InvalidStateTransition,
    ObjectAlreadyExists,
    ObjectNotFound,
    ParameterValidationError,
    ProtectedBlockError,
    StoreError,
)
from headwater.orchestrator.http_slots import HttpSlots
from headwater.orchestrator.records import (
    EventEmitted,
    ArtifactCreated,
    ArtifactUpdated,
    AssetMaterialized,
    FlowRunCreated,
    Heartbeat,
    LogEmitted,
    Record,
    RunProcess,
    StateChanged,
    TaskInputsRecorded,
    TaskRunCreated,
)
from headwater.orchestrator.writer import BackgroundWriter, WriterBacked

if TYPE_CHECKING:
    from headwater.core.settings import Settings

__all__ = ["ApiClient", "HttpOrchestrator", "encode_batch", "response_detail", "tls_verify"]



if TYPE_CHECKING:
    _StreamHandler = logging.StreamHandler[TextIO]
else:  # logging's classes take type arguments at run time only from Python 3.11
    _StreamHandler = logging.StreamHandler


class _StderrHandler(_StreamHandler):
    """Writes to whatever `sys.stderr` is at the time (it may be replaced after import)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


# Losing run history must be visible even when run logs are not printed
# (HEADWATER_LOGGING_TO_CONSOLE=false), so this logger has its own stderr handler.
log = logging.getLogger("headwater.client")
if not log.handlers:
    _handler = _StderrHandler()
    _handler.setFormatter(logging.Formatter("headwater: %(message)s"))
    log.addHandler(_handler)
    log.propagate = False

_TAGS: dict[type, str] = {
    FlowRunCreated: "flow_run",
    TaskRunCreated: "task_run",
    StateChanged: "state",
    LogEmitted: "log",
    TaskInputsRecorded: "inputs",
    Heartbeat: "heartbeat",
    EventEmitted: "event",
    ArtifactCreated: "artifact",
    ArtifactUpdated: "artifact_update",
    AssetMaterialized: "asset",
    RunProcess: "process",
}
_RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})


def encode_batch(batch_id: str, records: Sequence[Record]) -> bytes:
    """The JSON body of `POST /records/batch`: each record as [tag, *fields]."""
    tags = _TAGS
    items = [(tags[type(record)], *record) for record in records]
    return json.dumps({"batch_id": batch_id, "records": items}, separators=(",", ":"), default=str).encode()


def response_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason_phrase
    if isinstance(body, dict):
        return str(body.get("message") or body.get("detail") or body)[:1000]
    return str(body)[:1000]


def _error_kind(response: httpx.Response) -> str | None:
    """The exception class the server named in an error reply (`{"error": ...}`), if any."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else None


def tls_verify(settings: Settings) -> Any:
    """What httpx verifies the server's certificate with: False when
    `HEADWATER_API_TLS_INSECURE_SKIP_VERIFY` is set, a context trusting the CA bundle
    `HEADWATER_API_SSL_CERT_FILE` names, else True (httpx's default CA bundle, certifi).

    Raises:
        ConfigurationError: the CA bundle cannot be read.
    """
    if settings.api_tls_insecure_skip_verify:
        return False
    cert_file = settings.api_ssl_cert_file
    if not cert_file:
        return True
    import ssl

    try:
        return ssl.create_default_context(cafile=cert_file)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigurationError(
            f"cannot use HEADWATER_API_SSL_CERT_FILE={cert_file!r} ({exc}): name a readable PEM file of CA "
            "certificates, or unset it") from None


class ApiClient:
    """Talks to the headwater API named by `settings.api_url`.

    Sends `Authorization: Bearer <HEADWATER_API_KEY>` when the key is set. Errors come
    back as headwater's exceptions: 404 `ObjectNotFound`, 409 `InvalidStateTransition`,
    401 `ConfigurationError`, 503 and unreachable servers `StoreError`.
    """

    def __init__(self, settings: Settings) -> None:
        if not settings.api_url:
            raise ConfigurationError("no HEADWATER_API_URL set: nothing to connect to")
        self.url = settings.api_url.rstrip("/")
        headers = {"User-Agent": "headwater"}
        if settings.api_key is not None:
            headers["Authorization"] = f"Bearer {settings.api_key.get_secret_value()}"
        timeout = settings.api_request_timeout_seconds
        self._client = httpx.Client(
            base_url=self.url + "/", headers=headers, timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            verify=tls_verify(settings),
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def unreachable(self, exc: Exception) -> StoreError:
        """The error for a server that cannot be reached."""
        return StoreError(
            f"cannot reach the headwater server at {self.url} ({type(exc).__name__}: {exc}). Start it with "
            "`headwater server start`, or fix or unset HEADWATER_API_URL."
        )

    def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request; transport failures raise `httpx.TransportError` unchanged."""
        return self._client.request(method, path.lstrip("/"), **kwargs)

    def open_stream(self, method: str, path: str, **kwargs: Any) -> Any:
        """A streamed request (a context manager giving the `httpx.Response`), with no
        read time-out: a stream of server-sent events may stay quiet for long."""
        timeout = httpx.Timeout(self._client.timeout.connect, read=None)
        return self._client.stream(method, path.lstrip("/"), timeout=timeout, **kwargs)

    def call(self, method: str, path: str, *, json_body: Any = None, params: Any = None) -> Any:
        """One request whose reply is JSON; raises headwater's exceptions on failure."""
        try:
            response = self.send(method, path, json=json_body, params=params)
        except httpx.TransportError as exc:
            raise self.unreachable(exc) from None
        return self.check(response, f"{method} {path}")

    def check(self, response: httpx.Response, what: str) -> Any:
        """Return the JSON of a successful reply, or raise what its status means."""
        status = response.status_code
        if status < 300:
            return response.json() if response.content else None
        detail = response_detail(response)
        if status == 401:
            raise ConfigurationError(
                f"the headwater server at {self.url} refused the API key ({detail}). "
                "Set HEADWATER_API_KEY to the server's key."
            )
        if status == 404 and detail.startswith("Not Found"):
            raise ConfigurationError(
                f"{self.url} answered 404 to {what}: is HEADWATER_API_URL the server's API, ending in /api "
                "(e.g. http://127.0.0.1:4200/api)?"
            )
        if status == 404:
            raise ObjectNotFound(detail)
        if status == 409:
            if _error_kind(response) == "ObjectAlreadyExists":
                raise ObjectAlreadyExists(detail)
            raise InvalidStateTransition(detail)
        if status == 422 and _error_kind(response) == "ParameterValidationError":
            raise ParameterValidationError(detail)
        if status == 403 and _error_kind(response) == "ProtectedBlockError":
            raise ProtectedBlockError(detail)
        if status == 503:
            raise StoreError(f"the headwater server at {self.url} cannot use its database: {detail}")
        raise HeadwaterError(f"the headwater server at {self.url} answered {status} to {what}: {detail}")


class _BatchSender:
    """The writer's sink: POST one batch, retrying within the buffer window."""

    def __init__(self, client: ApiClient, buffer_seconds: float) -> None:
        self.client = client
        self.buffer_seconds = buffer_seconds
        self.down_since: float | None = None
        self.dropped = 0
        self.sent_batches = 0

    def __call__(self, batch: Sequence[Record]) -> None:
        body = encode_batch(uuid.uuid4().hex, batch)
        headers = {"Content-Type": "application/json"}
        delay = 0.05
        while True:
            try:
                response = self.client.send("POST", "records/batch", content=body, headers=headers)
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code < 300:
                    self._reachable()
                    self.sent_batches += 1
                    return
                if response.status_code == 413 and len(batch) > 1:
                    # Over the server's body limit: send it in halves rather than drop every record in it.
                    half = len(batch) // 2
                    self(batch[:half])
                    self(batch[half:])
                    return
                if response.status_code not in _RETRYABLE:
                    self.dropped += len(batch)
                    log.error(
                        "the headwater server at %s refused %d history record(s) with %d: %s. They are dropped; "
                        "the run history is incomplete.",
                        self.client.url, len(batch), response.status_code, response_detail(response),
                    )
                    return
                problem = f"HTTP {response.status_code}: {response_detail(response)}"
            now = time.monotonic()
            if self.down_since is None:
                self.down_since = now
                log.warning(
                    "cannot send run history to the headwater server at %s (%s); keeping it and retrying for up "
                    "to %.0f s while the flow goes on", self.client.url, problem, self.buffer_seconds,
                )
            if now - self.down_since >= self.buffer_seconds:
                self.dropped += len(batch)
                log.warning(
                    "the headwater server at %s has been unreachable for %.0f s (%s): dropped %d history record(s); "
                    "the run history on the server is INCOMPLETE for runs of this process.",
                    self.client.url, now - self.down_since, problem, len(batch),
                )
                return
            # Sleeping here only holds up the writer thread; the flow keeps emitting.
            time.sleep(min(delay, self.buffer_seconds - (now - self.down_since)))
            delay = min(delay * 2, 2.0)

    def _reachable(self) -> None:
        if self.down_since is not None:
            log.warning("the headwater server at %s is reachable again; sending the buffered history",
                        self.client.url)
            self.down_since = None


class HttpOrchestrator(WriterBacked, HttpSlots):
    """Sends the engine's records to a headwater server, off the hot path.

    Creating one checks the server once: a URL that is not a headwater API or a
    refused key is a `ConfigurationError` at once; a server that is down is only
    a warning (history is buffered until it comes up, see the module docstring).
    Concurrency slots go through the API too (`HttpSlots`).

    Attributes:
        settings: the settings it was made from.
        client: the `ApiClient` it sends through.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = ApiClient(settings)
        self._check_server()
        self._sender = _BatchSender(self.client, settings.api_buffer_seconds)
        self._use_writer(BackgroundWriter(
            self._sender,
            flush_interval=settings.writer_flush_interval_seconds,
            batch_size=settings.writer_batch_size,
            heartbeat_interval=settings.heartbeat_interval_seconds,
            name="headwater-http-writer",
        ))

    def _check_server(self) -> None:
        # /admin/version needs the key when the server has one (/health does not).
        try:
            response = self.client.send("GET", "admin/version")
        except httpx.TransportError as exc:
            log.warning("the headwater server at %s is not reachable yet (%s); run history will be sent when it "
                        "is", self.client.url, exc)
            return
        status = response.status_code
        if status == 401:
            self.client.close()
            self.client.check(response, "GET /admin/version")  # raises ConfigurationError naming the key
        if status >= 500:
            return  # the server is there but unwell: history is buffered like for a server that is down
        if status != 200 or not response.headers.get("content-type", "").startswith("application/json"):
            self.client.close()
            raise ConfigurationError(
                f"{self.client.url} is not a headwater API (GET /admin/version answered {status}, "
                f"{response.headers.get('content-type', 'no content type')}). HEADWATER_API_URL must include the "
                "/api prefix, e.g. http://127.0.0.1:4200/api"
            )

    @property
    def dropped_records(self) -> int:
        """Records given up on (server unreachable too long, or refused)."""
        return self._sender.dropped

    def close(self) -> None:
        """Send what is queued (waiting up to the buffer window), then close."""
        flushed = self._writer.close(timeout=self.settings.api_buffer_seconds)
        left = self._writer.pending()
        if not flushed and left:
            log.warning(
                "exiting with %d history record(s) not sent to the headwater server at %s: the run history on the "
                "server is INCOMPLETE.", left, self.client.url,
            )
        self.client.close()
