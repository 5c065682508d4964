"""`headwater.engine.entrypoints.load_flow`: every way an entrypoint resolves or fails."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.engine.entrypoints import EntrypointError, find_flows, load_flow, split_entrypoint
from headwater.exceptions import HeadwaterError

FLOWS = """\
from headwater import flow, task

import sibling_helper

NOT_A_FLOW = 42


def plain(x):
    return x


@task
def double(x: int) -> int:
    return sibling_helper.twice(x)


@flow
def pipeline(n: int = 1) -> int:
    return double(n)


@flow(name="other-flow")
def second() -> None:
    pass


if __name__ == "__main__":
    raise SystemExit("the __main__ block must not run when loading")
"""


@pytest.fixture(autouse=True)
def _private_home(home: Path) -> None:
    """Flows run here record into a temporary HEADWATER_HOME, never the user's."""


@pytest.fixture(autouse=True)
def isolated_imports(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Undo what loading entrypoints does to sys.path and sys.modules."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    before = set(sys.modules)
    yield
    # Only the modules loaded from test files: headwater's own stay, so classes keep their identity.
    temp = str(tmp_path_factory.getbasetemp())
    for name in set(sys.modules) - before:
        if (getattr(sys.modules[name], "__file__", None) or "").startswith(temp):
            del sys.modules[name]


def _write(directory: Path, name: str, source: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return path


@pytest.fixture
def flows_file(tmp_path: Path) -> Path:
    _write(tmp_path, "sibling_helper.py", "def twice(x):\n    return 2 * x\n")
    return _write(tmp_path, "ep_flows.py", FLOWS)


def _error(entrypoint: str) -> str:
    with pytest.raises(EntrypointError) as caught:
        load_flow(entrypoint)
    assert isinstance(caught.value, HeadwaterError)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_loads_a_flow_from_a_file_without_running_main(flows_file: Path) -> None:
    from headwater.engine.flows import Flow

    pipeline = load_flow(f"{flows_file}:pipeline")
    assert isinstance(pipeline, Flow)
    assert pipeline.name == "pipeline"
    module = sys.modules[pipeline.fn.__module__]
    assert module.__name__ != "__main__"
    assert module.__file__ == str(flows_file)
    # Its directory is importable, so the sibling import worked and children can re-import it.
    assert str(flows_file.parent) in sys.path
    assert pipeline(n=4) == 8


def test_file_named_like_a_stdlib_module_does_not_shadow_it(tmp_path: Path) -> None:
    import json

    path = _write(tmp_path, "json.py", "from headwater import flow\n\n@flow\ndef dump():\n    return 1\n")
    dump = load_flow(f"{path}:dump")
    assert sys.modules["json"] is json
    assert dump.fn.__module__ != "json"
    assert sys.modules[dump.fn.__module__].__file__ == str(path)


def test_loads_a_flow_from_a_module_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "eppkg/__init__.py", "")
    _write(tmp_path, "eppkg/flows.py", "from headwater import flow\n\n@flow\ndef hello(name: str = 'x'):\n    return name\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    hello = load_flow("eppkg.flows:hello")
    assert hello.name == "hello"
    assert hello(name="world") == "world"


def test_find_flows_lists_flows_by_attribute(flows_file: Path) -> None:
    from headwater.engine.entrypoints import load_source

    assert sorted(find_flows(load_source(str(flows_file)))) == ["pipeline", "second"]


@pytest.mark.parametrize("entrypoint", ["flows.py", "flows.py:", ":pipeline", "  "])
def test_malformed_entrypoint(entrypoint: str) -> None:
    with pytest.raises(EntrypointError, match="path/to/file.py:flow_function or package.module:flow_function"):
        split_entrypoint(entrypoint)


def test_windows_style_path_splits_on_last_colon() -> None:
    assert split_entrypoint(r"C:\flows\etl.py:main") == (r"C:\flows\etl.py", "main")


def test_missing_file(tmp_path: Path) -> None:
    assert _error(f"{tmp_path}/nope.py:pipeline") == f"no such file: {tmp_path}/nope.py"


def test_directory_and_non_python_file(tmp_path: Path) -> None:
    assert "is a directory" in _error(f"{tmp_path}/:pipeline")
    (tmp_path / "flows.txt").write_text("")
    assert "is not a Python file (.py)" in _error(f"{tmp_path}/flows.txt:pipeline")


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken_syntax.py", "from headwater import flow\n\ndef oops(:\n    pass\n")
    message = _error(f"{path}:oops")
    assert message.startswith(f"cannot load {path}: SyntaxError: ")
    assert "(line 3): def oops(:" in message


def test_import_error_inside_the_file_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad_import.py", "import os\nimport no_such_module_hw\n")
    message = _error(f"{path}:flow")
    assert message == (
        f"cannot load {path}: ModuleNotFoundError: No module named 'no_such_module_hw' (bad_import.py, line 2)"
    )
    assert "bad_import" not in sys.modules


def test_error_raised_while_importing_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "raises_on_import.py", "x = 1\ny = x / 0\n")
    assert _error(f"{path}:flow").endswith("ZeroDivisionError: division by zero (raises_on_import.py, line 2)")


def test_sys_exit_while_importing(tmp_path: Path) -> None:
    path = _write(tmp_path, "exits.py", "import sys\nsys.exit(3)\n")
    assert "called sys.exit(3)" in _error(f"{path}:flow")


def test_missing_attribute_lists_the_flows(flows_file: Path) -> None:
    message = _error(f"{flows_file}:pipelin")
    assert message == f"{flows_file} has no attribute 'pipelin' (flows found: pipeline, second)"


def test_missing_attribute_in_a_file_without_flows(tmp_path: Path) -> None:
    path = _write(tmp_path, "no_flows.py", "x = 1\n")
    assert "no flows found there; decorate a function with @flow" in _error(f"{path}:main")


@pytest.mark.parametrize(
    ("attribute", "described"),
    [("plain", "a plain function"), ("double", "a task"), ("NOT_A_FLOW", "an object of type int")],
)
def test_attribute_that_is_not_a_flow(flows_file: Path, attribute: str, described: str) -> None:
    message = _error(f"{flows_file}:{attribute}")
    assert message == f"'{attribute}' in {flows_file} is {described}, not a flow; decorate it with @flow"


def test_missing_module() -> None:
    message = _error("no_such_package_hw.flows:main")
    assert message.startswith("no module named 'no_such_package_hw'")


def test_module_failing_to_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "eppkg_bad/__init__.py", "")
    _write(tmp_path, "eppkg_bad/flows.py", "import no_such_dependency_hw\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    message = _error("eppkg_bad.flows:main")
    assert message == (
        "cannot import eppkg_bad.flows: ModuleNotFoundError: No module named 'no_such_dependency_hw' (flows.py, line 1)"
    )


def test_neither_file_nor_module() -> None:
    assert "is neither a .py file nor a module path" in _error("flows.txt-1:main")
