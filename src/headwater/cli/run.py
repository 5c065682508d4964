"""`headwater run`: run a flow from code in this process, or a registered flow (a deployment).

Which flow, as in Prefect 1's `prefect run` (one of these):

- `ENTRYPOINT` (`file.py:flow` or `module:flow`), headwater's form: run it here;
- `--path/-p FILE` or `--module/-m MODULE` (with `--name/-n` when it holds several
  flows), Prefect 1's local forms: run it here;
- `--name/-n FLOW [--project P]` or `--id/-i DEPLOYMENT_ID`, Prefect 1's registered
  forms: create a flow run of what `flow.register(project_name=P)` (or `headwater deploy`)
  registered; a worker runs it, or this process with `--execute` (cli/registered_runs.py).

`-p` is both Prefect 1's `--path` and headwater's `--param`: a value with `=` in it
(`-p n=3`) is a parameter, any other a path. Parameters (`--param`, `-p KEY=VALUE`) are
read as JSON when they parse as JSON (`3`, `true`, `[1, 2]`, `{"a": 1}`, `null`) and kept
as text otherwise; a parameter annotated `str` always gets the text as typed.

Exit code 0 means the flow run Completed (or, for a registered flow neither watched nor
executed, that its run was created), 1 that it did not or that the flow, project or
parameters were wrong, 2 a usage error.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
import types
import typing
from typing import Annotated, Any, Optional

import typer

from headwater.cli._input import check_json_depth, parse_pairs
from headwater.cli._output import one_line, print_error
from headwater.exceptions import HeadwaterError, ParameterValidationError

__all__ = ["parse_parameters", "run_flow"]

_LOOKUP_HELP = ("give one of: ENTRYPOINT (file.py:flow), --path FILE or --module MODULE (with --name when it "
                "holds several flows), --name FLOW (with --project P when several projects have it), --id ID")


def run_flow(
    entrypoint: Annotated[Optional[str], typer.Argument(
        metavar="ENTRYPOINT", help="path/to/file.py:flow_function or package.module:flow_function", show_default=False)
    ] = None,
    param: Annotated[Optional[list[str]], typer.Option(
        "--param", metavar="KEY=VALUE", help="A flow parameter (repeatable); VALUE is JSON or text.")] = None,
    p: Annotated[Optional[list[str]], typer.Option(
        "-p", metavar="FILE | KEY=VALUE", show_default=False,
        help="With = (or beside an ENTRYPOINT): a parameter, as --param; else a file, as --path.")] = None,
    path: Annotated[Optional[str], typer.Option(
        "--path", help="A file holding the flow to run here (Prefect 1's form).")] = None,
    module: Annotated[Optional[str], typer.Option(
        "--module", "-m", help="A module holding the flow to run here (Prefect 1's form).")] = None,
    name: Annotated[Optional[str], typer.Option(
        "--name", "-n", help="The flow's name: in --path/--module, or registered (with flow.register or deploy).")
    ] = None,
    project: Annotated[Optional[str], typer.Option(
        "--project", help="The project the flow was registered in (with --name).")] = None,
    deployment_id: Annotated[Optional[str], typer.Option(
        "--id", "-i", help="A deployment's id (or 'flow/deployment') to run.")] = None,
    labels: Annotated[Optional[list[str]], typer.Option(
        "--label", help="A label (tag) of the flow run (repeatable).")] = None,
    run_name: Annotated[Optional[str], typer.Option("--run-name", help="The flow run's name.")] = None,
    context_pairs: Annotated[Optional[list[str]], typer.Option(
        "--context", metavar="KEY=VALUE", help="A prefect.context value (repeatable, JSON); Prefect 1 flows run here.")
    ] = None,
    param_file: Annotated[Optional[str], typer.Option(
        "--param-file", "--params-file", help="A JSON file of parameters; --param values win.")] = None,
    log_level: Annotated[Optional[str], typer.Option(
        "--log-level", help="Level of run logs: DEBUG, INFO, WARNING, ERROR or CRITICAL.")] = None,
    idempotency_key: Annotated[Optional[str], typer.Option(
        "--idempotency-key", help="Registered flows: the same key gives back the run it created, not a second one.")
    ] = None,
    execute: Annotated[bool, typer.Option(
        "--execute", help="Registered flows: run it in a process of this command, not a worker's.")] = False,
    schedule: Annotated[bool, typer.Option(
        "--schedule", "-s", help="Flows run here: follow the flow's schedule (Prefect 1 flows).")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print only the flow run's id (registered flows) or nothing but errors.")] = False,
    no_logs: Annotated[bool, typer.Option("--no-logs", help="Show state changes but not log lines.")] = False,
    watch: Annotated[bool, typer.Option(
        "--watch", "-w", help="Registered flows: follow the run until it ends; exit 1 unless it Completed.")] = False,
) -> None:
    """Run a flow: from a file or module in this process, or one registered in a project.

    ENTRYPOINT, --path/-p FILE or --module/-m MODULE run it here. --name FLOW [--project P]
    or --id creates a run of the registered flow for a worker; --execute runs it here
    instead, --watch follows it to its end.
    """
    params, paths = _split_p(p or [], param or [], entrypoint is not None)
    if paths:
        if path is not None or len(set(paths)) > 1:
            raise typer.BadParameter("give one file to run", param_hint="-p/--path")
        path = paths[0]
    level = _log_level(log_level)
    lookups = [option for option, value in (("ENTRYPOINT", entrypoint), ("--path", path), ("--module", module),
                                           ("--id", deployment_id), ("--project", project)) if value is not None]
    if not lookups and name is None:
        raise typer.BadParameter(f"which flow? {_LOOKUP_HELP}", param_hint="ENTRYPOINT")
    if len(lookups) > 1 or (name is not None and lookups and lookups[0] in ("ENTRYPOINT", "--id")):
        given = ", ".join([*lookups, *(["--name"] if name is not None else [])])
        raise typer.BadParameter(f"too many ways to find the flow ({given}); {_LOOKUP_HELP}", param_hint="--name")
    file_params = _read_param_file(param_file)
    context = parse_pairs(context_pairs or [], lambda key: False) if context_pairs else {}

    if entrypoint is not None or path is not None or module is not None:
        if execute or watch or idempotency_key is not None:
            used = "--execute" if execute else "--watch" if watch else "--idempotency-key"
            raise typer.BadParameter(f"{used} is for registered flows (--name/--project, --id); a flow from a file "
                                     "or module always runs here and is followed to its end", param_hint=used)
        _run_here(entrypoint, path, module, name, params, file_params, context, labels or [], run_name, level,
                  schedule, quiet, no_logs, prefect1_form=entrypoint is None)
        return

    from headwater.cli.registered_runs import RegisteredRun

    if schedule:
        raise typer.BadParameter("--schedule is for flows run here from --path or --module; a registered flow's "
                                 "schedules belong to its deployment", param_hint="--schedule")
    if context:
        raise typer.BadParameter("--context is for Prefect 1 flows run here from --path or --module; a registered "
                                 "flow's run has no place to carry it", param_hint="--context")
    registered = RegisteredRun(quiet=quiet, no_logs=no_logs, log_level=level)
    code = registered.run(name=name, project=project, ref=deployment_id, params=params, file_params=file_params,
                          labels=labels or [], run_name=run_name, idempotency_key=idempotency_key, execute=execute,
                          watch=watch)
    if code:
        raise typer.Exit(code=code)


def _split_p(values: list[str], params: list[str], has_entrypoint: bool) -> tuple[list[str], list[str]]:
    """`-p` values: `KEY=VALUE` ones are parameters (headwater's -p), the rest files (Prefect 1's -p).

    Beside an ENTRYPOINT every `-p` is a parameter, so `-p n` is reported as one without `=`.
    """
    if has_entrypoint:
        return [*params, *values], []
    return [*params, *(v for v in values if "=" in v)], [v for v in values if "=" not in v]


def _log_level(text: str | None) -> str | None:
    if text is None:
        return None
    level = text.strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise typer.BadParameter(f"{text!r} is not a log level; use DEBUG, INFO, WARNING, ERROR or CRITICAL",
                                 param_hint="--log-level")
    return level


def _read_param_file(path: str | None) -> dict[str, Any]:
    """`--param-file`: a JSON object of parameters (Prefect 1's option)."""
    if path is None:
        return {}
    full = os.path.abspath(os.path.expanduser(path))
    try:
        with open(full, encoding="utf-8") as handle:
            value = json.load(handle)
    except FileNotFoundError:
        raise typer.BadParameter(f"no such file: {full}", param_hint="--param-file") from None
    except (OSError, ValueError, RecursionError) as exc:
        raise typer.BadParameter(f"cannot read JSON from {full}: {exc}", param_hint="--param-file") from None
    check_json_depth(value, "--param-file")
    if not isinstance(value, dict):
        raise typer.BadParameter(f"{full} holds {type(value).__name__}, not a JSON object of parameter names to "
                                 "values", param_hint="--param-file")
    return value


def _run_here(entrypoint: str | None, path: str | None, module: str | None, name: str | None, pairs: list[str],
              file_params: dict[str, Any], context: dict[str, Any], labels: list[str], run_name: str | None,
              log_level: str | None, schedule: bool, quiet: bool, no_logs: bool, *, prefect1_form: bool) -> None:
    """Load the flow and run it in this process; exit 1 unless it Completed."""
    from headwater.engine.entrypoints import load_flow

    chatty = prefect1_form and not quiet  # Prefect 1's progress lines, for Prefect 1's forms

    def say(text: str) -> None:
        if chatty:
            typer.echo(text)

    # Like `python -m`, so `package.module:flow` finds packages in the current folder.
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    if entrypoint is not None:
        flow_obj = load_flow(entrypoint)
    else:
        flow_obj = _flow_in(path or module or "", name)
        say("Retrieving local flow... Done")
    signature = _signature_of(flow_obj)
    given = parse_parameters(pairs, signature, check=False)
    overlap = sorted(set(file_params) & set(given))
    if overlap:
        say(f"The parameters {', '.join(overlap)} are in the file and given with --param; --param wins.")
    parameters = {**file_params, **given}
    if signature is not None:
        _check_names(parameters, signature)
    _configure_logging(log_level, quiet or no_logs)
    static = hasattr(flow_obj, "graph_builder")
    if context and not static:
        raise typer.BadParameter(f"--context sets prefect.context, which only Prefect 1 flows (`with Flow(...)`) "
                                 f"read; {flow_obj.name!r} is a @flow", param_hint="--context")
    if run_name is not None:
        flow_obj = flow_obj.with_options(flow_run_name=run_name)
    say("Running flow locally...")
    import contextlib

    from headwater.engine.context import tags

    state = None
    try:
        with tags(*labels) if labels else contextlib.nullcontext():
            if static:
                state = typing.cast(Any, flow_obj).run(parameters=parameters, run_on_schedule=schedule,
                                                       context=context or None)
            else:
                result = flow_obj(**parameters)
                if inspect.iscoroutine(result):
                    import asyncio

                    asyncio.run(result)
    except ParameterValidationError:
        raise
    except Exception as exc:
        # The engine has logged the failure and recorded it; one line is enough here.
        say("Flow run failed!")
        print_error(f"flow run of {flow_obj.name!r} failed: {_describe_failure(exc)}")
        raise typer.Exit(code=1) from None
    if state is not None and state.is_failed():  # a Prefect 1 flow's run returns its state, failed or not
        say("Flow run failed!")
        print_error(f"flow run of {flow_obj.name!r} failed: {one_line(str(state.message or 'Failed'))}")
        raise typer.Exit(code=1)
    say("Flow run succeeded!")


def _flow_in(source: str, name: str | None) -> Any:
    """The flow named `name` (by its name or attribute) in a file or module, or its only flow."""
    from headwater.engine.entrypoints import find_flows, load_source

    flows = find_flows(load_source(source))
    by_name = {f.name: f for f in flows.values()}
    listing = ", ".join(repr(n) for n in sorted(by_name)) or "none"
    if not flows:
        raise HeadwaterError(f"found no flows in {source}; define one with `with Flow('name') as flow:` or @flow")
    if name is None:
        if len(by_name) > 1:
            raise HeadwaterError(f"found several flows in {source}: {listing}; choose one with --name")
        return next(iter(by_name.values()))
    found = by_name.get(name) or flows.get(name)
    if found is None:
        raise HeadwaterError(f"no flow named {name!r} in {source}; flows there: {listing}")
    return found


def _configure_logging(level: str | None, silent: bool) -> None:
    """--log-level and --quiet/--no-logs for a run in this process, through the one settings object."""
    if level is None and not silent:
        return
    from headwater.core.settings import get_settings, reset_settings

    update: dict[str, Any] = {}
    if level is not None:
        update["logging_level"] = level
    if silent:
        update["logging_to_console"] = False
    reset_settings(get_settings().model_copy(update=update))


def parse_parameters(pairs: list[str], signature: inspect.Signature | None, *, check: bool = True) -> dict[str, Any]:
    """Turn `key=value` strings into flow keyword arguments.

    Args:
        pairs: the `-p` values as typed.
        signature: the flow function's signature, to catch unknown or missing
            parameters and keep text for `str` parameters; None skips those checks.
        check: check names against the signature (off when more parameters come from elsewhere).

    Raises:
        typer.BadParameter: a pair has no `=`, an empty key, or repeats a key.
        ParameterValidationError: a key is not a parameter of the flow, or a required one is missing.
    """
    parameters = parse_pairs(pairs, _text_parameters(signature).__contains__)
    if signature is not None and check:
        _check_names(parameters, signature)
    return parameters


def _check_names(parameters: dict[str, Any], signature: inspect.Signature) -> None:
    accepted = signature.parameters
    if any(p.kind is p.VAR_KEYWORD for p in accepted.values()):
        return
    known = [name for name, p in accepted.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    listing = ", ".join(known) or "none"
    for key in parameters:
        if key not in known:
            raise ParameterValidationError(f"the flow has no parameter {key!r}; its parameters are: {listing}")
    for name in known:
        if accepted[name].default is inspect.Parameter.empty and name not in parameters:
            raise ParameterValidationError(f"missing required flow parameter {name!r}; pass it with -p {name}=VALUE")


def _signature_of(flow_obj: Any) -> inspect.Signature | None:
    if hasattr(flow_obj, "graph_builder"):  # a Prefect 1 flow: one keyword per Parameter
        return typing.cast(inspect.Signature, flow_obj.signature)
    function = getattr(flow_obj, "fn", flow_obj)
    # Resolve string annotations (`from __future__ import annotations`) when possible.
    for eval_str in (True, False):
        try:
            return inspect.signature(function, eval_str=eval_str)
        except Exception:
            continue
    return None


_TEXT_ANNOTATIONS = frozenset({"str", "str | None", "None | str", "Optional[str]", "typing.Optional[str]"})


def _text_parameters(signature: inspect.Signature | None) -> set[str]:
    """Names of the parameters annotated `str` (or `str | None`): they take text as typed."""
    if signature is None:
        return set()
    return {name for name, p in signature.parameters.items() if _is_text(p.annotation)}


def _is_text(annotation: Any) -> bool:
    if isinstance(annotation, str):
        return annotation in _TEXT_ANNOTATIONS
    if annotation is str:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return [arg for arg in typing.get_args(annotation) if arg is not type(None)] == [str]
    return False


def _describe_failure(exc: BaseException) -> str:
    message = one_line(str(exc))
    if isinstance(exc, HeadwaterError) and message:
        # headwater's own errors (a failed state returned, a time-out) say what happened.
        return message
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
