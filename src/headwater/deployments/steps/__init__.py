"""Deployment steps, as Prefect's `prefect.deployments.steps`: what a project file's
`build`, `push` and `pull` sections (and a deployment's pull steps) run.

    git_clone                   check out a git repository (a cache keyed by commit)
    set_working_directory       change directory
    pull_from_remote_storage    copy a directory from an fsspec URL
    pull_with_block             copy a file-system block's directory
    run_shell_script            run a command; its stdout and stderr are outputs
    pip_install_requirements    pip install -r requirements.txt

A step is written `{"prefect.deployments.steps.git_clone": {...inputs}}` (or
`headwater.deployments.steps.git_clone`, or any importable function's path);
`run_steps` checks that every step exists before running the first.
"""

from headwater.deployments.steps.core import StepError, check_steps, run_step, run_steps
from headwater.deployments.steps.pull import (
    git_clone,
    pull_from_remote_storage,
    pull_with_block,
    set_working_directory,
)
from headwater.deployments.steps.utility import pip_install_requirements, run_shell_script

__all__ = ["StepError", "check_steps", "git_clone", "pip_install_requirements", "pull_from_remote_storage",
           "pull_with_block", "run_shell_script", "run_step", "run_steps", "set_working_directory"]
