"""Prefect 1's `prefect.client.Secret`: local secrets from the context or the environment."""

from __future__ import annotations

import subprocess
import sys

import pytest

from headwater.client import Secret


@pytest.fixture(autouse=True)
def _secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT__CONTEXT__SECRETS__DATA", '{"k": [1, 2]}')
    monkeypatch.setenv("PREFECT__CONTEXT__SECRETS__TEXT", "not json")
    monkeypatch.delenv("PREFECT__CONTEXT__SECRETS__MISSING", raising=False)


def test_get_decodes_json_and_keeps_text() -> None:
    assert Secret("DATA").get() == {"k": [1, 2]}
    assert Secret("TEXT").get() == "not json"
    assert Secret("DATA").name == "DATA"


def test_context_secrets_come_first() -> None:
    from headwater.engine.static.context import context

    with context(secrets={"DATA": "from context", "ONLY_HERE": "42"}):
        assert Secret("DATA").get() == "from context"
        assert Secret("ONLY_HERE").get() == 42
        assert Secret("ONLY_HERE").exists()
    assert not Secret("ONLY_HERE").exists()


def test_missing_secret() -> None:
    assert not Secret("MISSING").exists()
    with pytest.raises(ValueError, match='Local Secret "MISSING" was not found.'):
        Secret("MISSING").get()


def test_refused_while_building_a_flow_read_while_running_it() -> None:
    from headwater import Flow, task

    seen: list[object] = []

    @task
    def read() -> None:
        seen.append(Secret("DATA").get())

    with Flow("secretive") as flow:
        with pytest.raises(ValueError, match="not while building a Flow"):
            Secret("DATA").get()
        read()
    state = flow.run()
    assert state.is_successful()
    assert seen == [{"k": [1, 2]}]


def test_import_stays_light() -> None:
    code = ("import sys, headwater.client; assert 'headwater.client.secrets' not in sys.modules; "
            "from headwater.client import Secret; Secret('x').exists(); "
            "assert 'sqlalchemy' not in sys.modules and 'headwater.client.orchestration' not in sys.modules; "
            "print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr
