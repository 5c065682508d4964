"""The UI's login sessions against a real server process (issue 19 item 9): each login
gets its own random session id that expires and ends at logout; failed logins are
throttled per client; redirects never take their host from the request's Host header."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import ServerProcess, wait_for

KEY = "sessions-test-key"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    started = ServerProcess(Path(tmp_path_factory.mktemp("ui-sessions")), HEADWATER_API_KEY=KEY,
                            HEADWATER_UI_SESSION_SECONDS="3", HEADWATER_UI_URL="https://hw.example.test:8443").start()
    yield started
    started.stop()


def _login(server: ServerProcess, key: str = KEY) -> httpx.Response:
    return httpx.post(f"{server.base_url}/login", data={"key": key, "next": "/runs"}, follow_redirects=False,
                      timeout=30)


def _session(response: httpx.Response) -> str:
    return response.cookies["headwater_session"]


def _lets_in(server: ServerProcess, session: str) -> bool:
    page = httpx.get(f"{server.base_url}/runs", cookies={"headwater_session": session}, follow_redirects=False,
                     timeout=30)
    return page.status_code == 200


def test_each_login_gets_its_own_session_which_logout_ends(server: ServerProcess) -> None:
    first, second = _login(server), _login(server)
    assert first.status_code == second.status_code == 303
    one, two = _session(first), _session(second)
    assert one != two and KEY not in one and len(one) >= 32
    assert _lets_in(server, one) and _lets_in(server, two)
    out = httpx.post(f"{server.base_url}/logout", cookies={"headwater_session": one}, follow_redirects=False,
                     timeout=30)
    assert out.status_code == 303
    assert not _lets_in(server, one)  # replaying the cookie after logout: refused
    assert _lets_in(server, two)  # the other browser's session lives on


def test_a_session_expires(server: ServerProcess) -> None:
    started = time.monotonic()  # before the login: the session's 3 s start no later than this
    session = _session(_login(server))
    assert _lets_in(server, session)
    wait_for(lambda: not _lets_in(server, session), 10, "the session to expire", interval=0.2)
    assert time.monotonic() - started >= 2.5  # HEADWATER_UI_SESSION_SECONDS=3


def test_failed_logins_are_throttled(server: ServerProcess) -> None:
    codes = [_login(server, key=f"wrong-{i}").status_code for i in range(10)]
    assert codes == [401] * 10
    throttled = _login(server)  # even the right key, from this client, for the minute
    assert throttled.status_code == 429, throttled.text
    assert int(throttled.headers["retry-after"]) > 0
    assert "headwater_session" not in throttled.cookies


def test_redirects_use_the_configured_url_not_the_host_header(server: ServerProcess) -> None:
    for path in ("/login/", "/api/flow_runs"):
        response = httpx.get(f"{server.base_url}{path}", headers={"host": "evil.test", "authorization":
                                                                     f"Bearer {KEY}"},
                             follow_redirects=False, timeout=30)
        assert response.status_code in (307, 308), (path, response.status_code)
        location = response.headers["location"]
        assert "evil.test" not in location, location
        assert location.startswith("https://hw.example.test:8443/"), location
    page = httpx.get(f"{server.base_url}/runs", headers={"host": "evil.test"}, follow_redirects=False, timeout=30)
    assert page.status_code == 303 and "evil.test" not in page.headers["location"]
