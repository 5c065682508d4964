"""Prefect 3 tutorial "resilience and deployment", retries: get_recent_games fails on a fixed
script of attempts (the tutorial draws at random) with retries=10, a list of retry delays
(shortened), exponential_backoff, and a retry_condition_fn that retries only on TimeoutError.

Exercises @task(retries=, retry_delay_seconds=[...]), prefect.tasks.exponential_backoff,
retry_condition_fn(task, task_run, state), the final state when the condition refuses.
"""
from prefect import flow, task
from prefect.tasks import exponential_backoff

GAMES = {"philadelphia phillies": [745443, 745444, 745445]}
attempts = []


def simulated_api(team_name, script):
    """Stand-in for the MLB stats API: raise what the script says for this attempt."""
    attempts.append(team_name)
    outcome = script[len(attempts) - 1] if len(attempts) <= len(script) else "ok"
    if outcome == "fail":
        raise Exception("Simulated API failure: MLB Stats API is temporarily unavailable")
    if outcome == "timeout":
        raise TimeoutError("Simulated timeout: Request took too long")
    return GAMES[team_name]


SCRIPT = []


@task(retries=10)
def get_recent_games(team_name, start_date, end_date):
    return simulated_api(team_name, SCRIPT)


@task(retries=10, retry_delay_seconds=[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1])
def get_recent_games_delays(team_name, start_date, end_date):
    return simulated_api(team_name, SCRIPT)


@task(retries=4, retry_delay_seconds=exponential_backoff(backoff_factor=0.01))
def get_recent_games_backoff(team_name, start_date, end_date):
    return simulated_api(team_name, SCRIPT)


def retry_handler(task, task_run, state) -> bool:
    """Custom retry handler that specifies when to retry a task"""
    try:
        # Attempt to get the result of the task.
        state.result()
    except Exception as e:
        # If Exception is a TimeoutError, retry.
        if isinstance(e, TimeoutError):
            return True
        # For any other exception, do not retry.
        return False


@task(retries=10, retry_condition_fn=retry_handler)
def get_recent_games_conditional(team_name, start_date, end_date):
    return simulated_api(team_name, SCRIPT)


@flow
def mlb_flow(which, team_name="philadelphia phillies", start_date="06/01/2024", end_date="06/30/2024"):
    state = which(team_name, start_date, end_date, return_state=True)
    outcome = state.result(raise_on_failure=False)
    if isinstance(outcome, BaseException):
        outcome = f"{type(outcome).__name__}: {outcome}"
    return state.name, outcome


def run(label, which, script):
    attempts.clear()
    SCRIPT[:] = script
    name, outcome = mlb_flow(which)
    print(f"{label}: {name} after {len(attempts)} attempt(s) -> {outcome}")


if __name__ == "__main__":
    print("backoff delays:", exponential_backoff(backoff_factor=2)(4))
    run("retries=10", get_recent_games, ["fail"] * 7)
    run("retries=10, list of delays", get_recent_games_delays, ["fail", "timeout", "fail"])
    run("exponential backoff", get_recent_games_backoff, ["fail"] * 9)
    run("condition, timeouts", get_recent_games_conditional, ["timeout", "timeout"])
    run("condition, other error", get_recent_games_conditional, ["timeout", "fail", "timeout"])
