"""Assets: the data a workflow makes, and what it was made from (Prefect's `prefect.assets`).

    from headwater import flow, task
    from headwater.assets import Asset, AssetProperties, add_asset_metadata, materialize

    raw = Asset(key="s3://lake/raw/sales.json")
    report = Asset(key="s3://lake/reports/sales.csv", properties=AssetProperties(owners=["finance"]))

    @materialize(report, asset_deps=[raw], by="pandas")
    def build_report() -> None:
        ...
        add_asset_metadata(report, {"rows": 1200})

When a `@materialize` task run ends (Completed, or Failed), a materialization of each
of its assets is recorded with the run's history (through the background writer: the
task pays a queue append), with its upstream assets: its `asset_deps`, and the assets
of upstream materializing task runs whose results it received. `headwater asset ls`,
the REST API under `/api/assets/` and the UI's Assets page show them with their lineage.
"""

from headwater.assets.materialize import MaterializingTask, materialize
from headwater.core.asset_schemas import Asset, AssetProperties

__all__ = ["Asset", "AssetProperties", "MaterializingTask", "add_asset_metadata", "materialize"]


def add_asset_metadata(asset: str | Asset, metadata: dict[str, object]) -> None:
    """Attach `metadata` to the running task's materialization of `asset` (merged with
    what was added before).

    Raises:
        RuntimeError: called outside a task run.
        ValueError: the running task is not `@materialize(asset, ...)`.
    """
    from headwater.engine.asset_tracking import add_metadata

    key = asset if isinstance(asset, str) else asset.key
    add_metadata(key, metadata, "Unable to call `add_asset_metadata` when not inside of an AssetContext")
