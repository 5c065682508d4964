"""Cold start: whole-process wall time of a one-task flow, and of `import headwater`.

    python bench/cold_start.py [--runs 5]

Times `python flow_with_one_task.py` with a fresh $HEADWATER_HOME each run (the
database is created and migrated) and with an existing one, and
`python -c "import headwater"`; each figure is the median of --runs runs, after one
untimed warm-up run that leaves bytecode caches as an installed package has them.
Prints one JSON line. Targets: one-task flow <= 0.6 s, import <= 0.25 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from _common import emit, headwater_env, machine, median_wall_time

FLOW_WITH_ONE_TASK = """
from headwater import flow, task


@task
def say_hello(name: str) -> str:
    return f"Hello, {name}!"


@flow(log_prints=True)
def hello(name: str = "world") -> None:
    print(say_hello(name))


if __name__ == "__main__":
    hello()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (default 5)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        work = Path(tmp)
        script = work / "flow_with_one_task.py"
        script.write_text(FLOW_WITH_ONE_TASK)
        flow_argv = [sys.executable, str(script)]
        import_argv = [sys.executable, "-c", "import headwater"]

        existing_home = work / "existing-home"
        existing_env = headwater_env(existing_home)
        median_wall_time(flow_argv, existing_env, 1, work)  # warm-up; creates the home

        fresh_times = []
        for i in range(args.runs):
            fresh_env = headwater_env(work / f"fresh-home-{i}")
            fresh_times.append(median_wall_time(flow_argv, fresh_env, 1, work))
        flow_fresh_s = statistics.median(fresh_times)
        flow_existing_s = median_wall_time(flow_argv, existing_env, args.runs, work)
        import_s = median_wall_time(import_argv, existing_env, args.runs, work)
        python_s = median_wall_time([sys.executable, "-c", "pass"], existing_env, args.runs, work)

    emit(
        {
            "bench": "cold_start",
            "runs": args.runs,
            "flow_with_one_task_fresh_home_s": round(flow_fresh_s, 3),
            "flow_with_one_task_existing_home_s": round(flow_existing_s, 3),
            "import_headwater_s": round(import_s, 3),
            "bare_python_s": round(python_s, 3),
            "target_flow_s": 0.6,
            "target_import_s": 0.25,
            **machine(),
        }
    )


if __name__ == "__main__":
    main()
