"""Layer rule: no module imports another module's private (`_`-prefixed) names.

A leading underscore says "only this module uses it"; a name another module needs is
part of its module's interface and is named without one. Checked on the source with
`ast`, so it cannot drift from the code.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def private_imports(root: Path) -> list[str]:
    """`file:line module.name` for every `from headwater... import _name` below `root`."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0].startswith("headwater"):
                for alias in node.names:
                    if alias.name.startswith("_") and not (alias.name.startswith("__") and alias.name.endswith("__")):
                        found.append(f"{path.relative_to(root)}:{node.lineno} {node.module}.{alias.name}")
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    found = private_imports(SRC)
    assert not found, "private names imported across modules (make them public there):\n  " + "\n  ".join(found)


def test_the_check_finds_a_private_import(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from headwater.store.reads import _hidden\nfrom headwater import __version__\n")
    assert private_imports(tmp_path) == ["a.py:1 headwater.store.reads._hidden"]
