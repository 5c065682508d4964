"""A flow that makes hostile artifacts, for tests/ui/test_artifacts.py (prints its run ids)."""

from headwater import flow, task
from headwater.artifacts import (
    create_image_artifact,
    create_link_artifact,
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from headwater.runtime import flow_run, task_run

PWN = "window.__pwned = 1"
HOSTILE_MARKDOWN = f"""# Report <script>{PWN}</script>

Some **bold** text and a [good link](https://example.com/docs).

[bad link](javascript:{PWN}) <img src=x onerror="{PWN}"> <a href="javascript:{PWN}">raw a</a>

<iframe src="javascript:{PWN}"></iframe><svg onload="{PWN}"></svg>

![bad image](javascript:{PWN})

| column | other |
|---|---|
| <b onmouseover="{PWN}">cell</b> | `code` |
"""


@task
def summarise() -> str:
    create_table_artifact([{"name": f'<img src=x onerror="{PWN}">', "rows": 3},
                           {"name": "<script>" + PWN + "</script>", "rows": 4}],
                          key="ui-table", description=f"rows <script>{PWN}</script> **per** city")
    return str(task_run.id)


@flow
def hostile_artifacts() -> tuple[str, str]:
    create_markdown_artifact(HOSTILE_MARKDOWN, key="ui-report", description="first")
    create_markdown_artifact(HOSTILE_MARKDOWN.replace("Report", "Report v2"), key="ui-report",
                             description="the *second* version")
    create_link_artifact(f"javascript:{PWN}", link_text="click me", key="ui-link")
    create_image_artifact("https://example.invalid/chart.png", key="ui-image")
    create_image_artifact(f"javascript:{PWN}", key="ui-bad-image")
    progress = create_progress_artifact(10, key="ui-progress")
    update_progress_artifact(progress, 64)
    task_run_id = summarise()
    return str(flow_run.id), task_run_id


if __name__ == "__main__":
    flow_run_id, task_run_id = hostile_artifacts()
    print(flow_run_id, task_run_id)
