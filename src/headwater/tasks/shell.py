"""Prefect 1's `ShellTask` (`prefect.tasks.shell`): run a shell command as a task.

    ls = ShellTask(return_all=True)
    with Flow("shell") as flow:
        files = ls(command="ls /tmp")

The command runs in a fresh shell (`bash` by default) after an optional helper
script, with the process environment plus `env`. The task returns the output's
last line (all lines with `return_all=True`); a non-zero exit fails it.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from typing import Any

from headwater.engine.signals import FAIL
from headwater.engine.tasks import Task
from headwater.utilities.tasks import defaults_from_attrs

__all__ = ["ShellTask"]


class ShellTask(Task[..., Any]):
    """A task running a shell command.

    Args:
        command: the command (may also be given when calling the task).
        env: extra environment variables.
        helper_script: shell code run before the command in the same shell.
        shell: the shell program (default "bash").
        return_all: return every output line, not only the last.
        log_stderr: log the output when the command fails.
        stream_output: log each output line (True for INFO, or a level).
        **kwargs: task options (name, max_retries, ...).
    """

    def __init__(self, command: str | None = None, env: dict[str, str] | None = None,
                 helper_script: str | None = None, shell: str = "bash", return_all: bool = False,
                 log_stderr: bool = False, stream_output: bool | int | str = False, **kwargs: Any) -> None:
        self.command = command
        self.env = env
        self.helper_script = helper_script
        self.shell = shell
        self.return_all = return_all
        self.log_stderr = log_stderr
        if isinstance(stream_output, str):
            stream_output = logging.getLevelName(stream_output)
        self.stream_output = logging.INFO if stream_output is True else stream_output
        super().__init__(**kwargs)

    @defaults_from_attrs("command", "env", "helper_script")
    def run(self, command: str | None = None, env: dict[str, str] | None = None,
            helper_script: str | None = None) -> str | list[str] | None:
        """Run the command; returns its last output line (or all lines), None if it printed nothing.

        Raises:
            TypeError: no command given.
            FAIL: the command exited non-zero.
        """
        if command is None:
            raise TypeError("run() missing required argument: 'command'")
        environment = {**os.environ, **(env or {})}
        with tempfile.NamedTemporaryFile(prefix="headwater-") as script:
            if helper_script:
                script.write(helper_script.encode() + os.linesep.encode())
            script.write(command.encode())
            script.flush()
            with subprocess.Popen([self.shell, script.name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  env=environment, shell=sys.platform == "win32") as process:
                line = None
                lines: list[str] = []
                assert process.stdout is not None
                for raw in iter(process.stdout.readline, b""):
                    line = raw.decode("utf-8").rstrip()
                    if self.return_all:
                        lines.append(line)
                    if self.stream_output:
                        self.logger.log(level=int(self.stream_output), msg=line)
                process.wait()
                if process.returncode:
                    message = f"Command failed with exit code {process.returncode}"
                    self.logger.error(message)
                    if self.log_stderr and not self.stream_output:
                        self.logger.error("\n".join(lines) if self.return_all else line)
                    raise FAIL(message, result=lines if self.return_all else line)
        return lines if self.return_all else line
