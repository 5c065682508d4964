"""Running deployment steps: resolving a step's name to a function, filling its
inputs, and passing outputs on to the steps after it.

A step is a one-key mapping, `{"prefect.deployments.steps.git_clone": {"repository": ...}}`.
Its inputs may hold placeholders (`headwater.deployments.templating`): outputs of
earlier steps, variables, blocks, environment variables. Two input keys are reserved:
`id` (the step's output is also reachable as `{{ id.field }}`) and `requires`
(packages the step's function needs: named in the error when it cannot be imported).
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any, Callable

from headwater.exceptions import HeadwaterError

__all__ = ["BUILT_IN_STEPS", "StepError", "check_steps", "resolve_step", "run_step", "run_steps"]

BUILT_IN_STEPS = ("git_clone", "set_working_directory", "pull_from_remote_storage", "pull_with_block",
                  "run_shell_script", "pip_install_requirements")
"""The steps headwater has, by short name."""

_PREFIXES = ("prefect.deployments.steps.", "headwater.deployments.steps.")
_SUBMODULES = ("pull.", "utility.", "core.")
_RESERVED = ("id", "requires")


class StepError(HeadwaterError):
    """A deployment step is unknown, malformed, or failed (the message names it)."""


def _short_name(name: str) -> str | None:
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            rest = name[len(prefix):]
            for sub in _SUBMODULES:
                rest = rest.removeprefix(sub)
            return rest
    return None


def resolve_step(name: str, requires: Any = None) -> Callable[..., Any]:
    """The function a step name refers to.

    Raises:
        StepError: no such step (the message lists the built-in ones).
    """
    short = _short_name(name)
    if short is not None:
        if short not in BUILT_IN_STEPS:
            raise StepError(f"unknown deployment step {name!r}: the built-in steps are "
                            f"{', '.join(BUILT_IN_STEPS)} (as prefect.deployments.steps.NAME or "
                            "headwater.deployments.steps.NAME)")
        from headwater.deployments import steps

        function: Callable[..., Any] = getattr(steps, short)
        return function
    module_name, _, attribute = name.rpartition(".")
    if not module_name:
        raise StepError(f"unknown deployment step {name!r}: give a built-in step "
                        f"({', '.join(BUILT_IN_STEPS)}) or the full import path of a function")
    try:
        module = importlib.import_module(module_name)
        found = getattr(module, attribute)
    except (ImportError, AttributeError) as exc:
        needs = f" (it requires {requires}; install it where this runs)" if requires else ""
        raise StepError(f"unknown deployment step {name!r}: cannot import it ({exc}){needs}. The built-in steps "
                        f"are {', '.join(BUILT_IN_STEPS)}") from None
    if not callable(found):
        raise StepError(f"deployment step {name!r} is not a function")
    return found  # type: ignore[no-any-return]  # checked callable above


def _split(step: Any) -> tuple[str, dict[str, Any]]:
    if not isinstance(step, dict) or len(step) != 1:
        keys = ", ".join(map(str, step)) if isinstance(step, dict) else type(step).__name__
        raise StepError(f"a deployment step must be a mapping with one key, the step's name; got {keys or 'nothing'}")
    ((name, inputs),) = step.items()
    if inputs is None:
        inputs = {}
    if not isinstance(inputs, dict):
        raise StepError(f"the inputs of deployment step {name!r} must be a mapping, got {type(inputs).__name__}")
    return str(name), dict(inputs)


def check_steps(steps: list[dict[str, Any]] | None) -> None:
    """Check every step is well-formed and known, before any runs.

    Raises:
        StepError: naming the first bad step.
    """
    for step in steps or []:
        name, inputs = _split(step)
        resolve_step(name, inputs.get("requires"))


def run_step(step: dict[str, Any], upstream_outputs: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run one step with its placeholders filled; its output (a dict, else `{}`).

    Raises:
        StepError: an unknown step, or the step failed (its error named).
        TemplateError: a placeholder cannot be filled.
    """
    from headwater.deployments.templating import apply_values, resolve_references

    name, inputs = _split(step)
    keywords = {k: inputs.pop(k) for k in _RESERVED if k in inputs}
    function = resolve_step(name, keywords.get("requires"))
    inputs = resolve_references(apply_values(inputs, upstream_outputs or {}))
    try:
        output = function(**inputs)
        if inspect.isawaitable(output):
            import asyncio

            async def wait() -> Any:
                return await output

            output = asyncio.run(wait())
    except StepError:
        raise
    except TypeError as exc:
        raise StepError(f"deployment step {name!r} cannot take its inputs: {exc}") from None
    except Exception as exc:
        raise StepError(f"deployment step {name!r} failed: {exc}") from exc
    return dict(output) if isinstance(output, dict) else {}


def run_steps(steps: list[dict[str, Any]] | None, upstream_outputs: dict[str, Any] | None = None,
              print_function: Callable[[str], Any] | None = None) -> dict[str, Any]:
    """Run steps in order, each seeing the outputs of those before (by field, and by `id`).

    Every step is checked first, so an unknown one fails before anything ran.

    Returns:
        All outputs merged (later steps win), with each `id`'s output under its id.
    """
    check_steps(steps)
    outputs: dict[str, Any] = dict(upstream_outputs or {})
    for step in steps or []:
        name, inputs = _split(step)
        if print_function is not None:
            print_function(f" > Running {name.rpartition('.')[2]} step...")
        output = run_step(step, outputs)
        outputs.update(output)
        if "id" in inputs:
            outputs[str(inputs["id"])] = output
    return outputs
