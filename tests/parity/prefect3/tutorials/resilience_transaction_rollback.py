"""Prefect 3 tutorial "resilience and deployment", transactions: inside `with transaction()` the
raw game data is saved to a file, then a quality test fails when there are fewer than 5 games,
so the save task's on_rollback hook deletes the file; with enough games the file stays.

Exercises prefect.transactions.transaction, txn.set/get, @task.on_rollback, on_commit, the flow's
final state when the quality task fails inside the transaction.
"""
import json
import os

from prefect import flow, task
from prefect.transactions import transaction

events = []


@task
def save_raw_data_to_file(game_data, file_path):
    os.makedirs(os.path.dirname(file_path), exist_ok=True)
    with open(file_path, "w") as f:
        json.dump(game_data, f)
    events.append(f"saved {os.path.basename(file_path)}")
    return file_path


# An on_rollback function deletes the file if the data quality check fails.
@save_raw_data_to_file.on_rollback
def del_file(txn):
    "Deletes file."
    events.append(f"rollback deletes {os.path.basename(txn.get('filepath'))}")
    os.unlink(txn.get("filepath"))


@save_raw_data_to_file.on_commit
def note_commit(txn):
    events.append(f"commit keeps {os.path.basename(txn.get('filepath'))}")


# A quality_test task checks that there is sufficient game data in the file.
@task
def quality_test(file_path):
    "Checks contents of file."
    with open(file_path, "r") as f:
        data = json.load(f)

    if len(data) < 5:
        raise ValueError(f"Not enough data! There are only {len(data)} games in the file.")


@flow
def mlb_flow_rollback(team_name, games):
    game_data = [{"game_id": g, "team": team_name} for g in games]
    raw_file_path = f"./raw_data/{team_name}-boxscore.json"

    # The transaction rolls back if the data quality test fails.
    with transaction() as txn:
        txn.set("filepath", raw_file_path)
        save_raw_data_to_file(game_data, raw_file_path)
        quality_test(raw_file_path)
    return len(game_data)


if __name__ == "__main__":
    for team, games in (("phillies", [1, 2, 3]), ("mets", [1, 2, 3, 4, 5, 6])):
        events.clear()
        state = mlb_flow_rollback(team, games, return_state=True)
        print(team, state.name, events)
        try:
            print("  result:", state.result())
        except ValueError as exc:
            print("  raised:", exc)
        print("  file exists:", os.path.exists(f"./raw_data/{team}-boxscore.json"))
