"""The parity suite's import rename (tests/parity/rename.py), rule by rule."""

from __future__ import annotations

import pytest
from rename import rename_imports


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("from prefect import flow, task\n", "from headwater import flow, task\n"),
        ("from prefect.states import Completed\n", "from headwater.states import Completed\n"),
        ("from prefect.utilities.annotations import unmapped\n", "from headwater.utilities.annotations import unmapped\n"),
        ("from prefect_dask import DaskTaskRunner\n", "from headwater_dask import DaskTaskRunner\n"),
        ("from prefect_dask.task_runners import DaskTaskRunner\n", "from headwater_dask.task_runners import DaskTaskRunner\n"),
        ("import prefect\n", "import headwater as prefect\n"),
        ("import prefect.runtime\n", "import headwater.runtime; import headwater as prefect\n"),
        ("import prefect.engine.state\n", "import headwater.engine.state; import headwater as prefect\n"),
        ("import prefect.runtime as rt\n", "import headwater.runtime as rt\n"),
        ("import prefect as pf\n", "import headwater as pf\n"),
        ("import os, prefect\n", "import os; import headwater as prefect\n"),
        ("import prefect_dask\n", "import headwater_dask as prefect_dask\n"),
    ],
)
def test_each_import_form_is_renamed(before: str, after: str) -> None:
    assert rename_imports(before) == after


def test_parenthesised_multiline_from_import_keeps_its_names() -> None:
    before = "from prefect import (\n    flow,\n    task,\n)\nx = 1\n"
    assert rename_imports(before) == "from headwater import (\n    flow,\n    task,\n)\nx = 1\n"


def test_indented_imports_are_renamed_in_place() -> None:
    before = "def main():\n    from prefect import flow\n    import prefect.context\n    return flow\n"
    after = (
        "def main():\n    from headwater import flow\n"
        "    import headwater.context; import headwater as prefect\n    return flow\n"
    )
    assert rename_imports(before) == after


def test_strings_comments_and_lookalike_modules_are_left_alone() -> None:
    source = (
        '"""Uses prefect; import prefect is not run here."""\n'
        "# from prefect import flow\n"
        "import prefectlike\n"
        "from prefectlike.sub import x\n"
        "from .prefect import y\n"
        "msg = 'from prefect import flow'\n"
        "print('import prefect')\n"
    )
    assert rename_imports(source) == source


def test_several_imports_on_one_line_and_unicode_before_them() -> None:
    before = "s = 'é'; import prefect; from prefect.states import Failed\n"
    after = "s = 'é'; import headwater as prefect; from headwater.states import Failed\n"
    assert rename_imports(before) == after


def test_renamed_program_still_parses_and_binds_the_same_names() -> None:
    source = "if True:\n    import prefect.runtime, json as j\nprint(prefect, j)\n"
    renamed = rename_imports(source)
    assert renamed == "if True:\n    import headwater.runtime; import headwater as prefect; import json as j\nprint(prefect, j)\n"
    compile(renamed, "<renamed>", "exec")


def test_a_program_that_does_not_parse_is_an_error() -> None:
    with pytest.raises(SyntaxError):
        rename_imports("from prefect import (\n")
