"""The assets repository and operations on SQLite and on a real PostgreSQL: rows made
from the engine's `AssetMaterialized` records (the batch writer's path), properties
replaced only when given and never moved back by a late batch, latest
materializations, filters, lineage both ways, deletes, re-sent batches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from headwater.core.asset_schemas import AssetCount, AssetFilterRequest, MaterializationFilterRequest
from headwater.core.settings import load_settings
from headwater.exceptions import ObjectNotFound
from headwater.operations import Operations
from headwater.orchestrator.records import AssetMaterialized
from headwater.store import Store

FLOW_RUN = "00000000-0000-7000-8000-0000000000f1"


@pytest.fixture
def ops(store_url: str, tmp_path) -> Iterator[Operations]:  # type: ignore[no-untyped-def]
    store = Store.open(store_url, busy_timeout_seconds=10)
    yield Operations(store, load_settings(home=str(tmp_path)), own_store=True)
    store.close()


def _made(id_: str, key: str, ts: float, upstream: list[tuple[str, dict | None]] = (),  # type: ignore[assignment, type-arg]
          properties: dict | None = None, metadata: dict | None = None, status: str = "succeeded",  # type: ignore[type-arg]
          by: str | None = None) -> AssetMaterialized:
    return AssetMaterialized(f"00000000-0000-7000-8000-{id_:0>12}", key, properties, metadata, list(upstream), by,
                             status, FLOW_RUN, f"task-run-{id_}", ts)


def test_materializations_make_assets_lineage_and_latest(ops: Operations) -> None:
    ops.store.history.write([
        _made("1", "s3://lake/clean", 100.0, [("s3://lake/raw", {"name": "Raw"})], metadata={"rows": 3}, by="dbt"),
        _made("2", "s3://lake/report", 101.0, [("s3://lake/clean", None)], properties={"owners": ["fin"]}),
        _made("3", "s3://lake/report", 102.0, [("s3://lake/clean", None)], status="failed"),
    ])
    listed = ops.filter_assets(AssetFilterRequest())
    assert [a.key for a in listed] == ["s3://lake/clean", "s3://lake/raw", "s3://lake/report"]
    by_key = {a.key: a for a in listed}
    assert by_key["s3://lake/raw"].properties == {"name": "Raw"} and by_key["s3://lake/raw"].last_materialization is None
    clean = by_key["s3://lake/clean"].last_materialization
    assert clean is not None and (clean.by, clean.metadata, clean.upstream) == ("dbt", {"rows": 3}, ["s3://lake/raw"])
    report = by_key["s3://lake/report"]
    assert report.properties == {"owners": ["fin"]}
    assert report.last_materialization is not None and report.last_materialization.status == "failed"

    one = ops.read_asset("s3://lake/clean")
    assert (one.upstream, one.downstream) == (["s3://lake/raw"], ["s3://lake/report"])
    assert sorted(ops.read_asset_lineage("s3://lake/report")) == [
        ("s3://lake/clean", "s3://lake/report"), ("s3://lake/raw", "s3://lake/clean")]
    assert sorted(ops.read_asset_lineage("s3://lake/raw")) == sorted(ops.read_asset_lineage("s3://lake/report"))
    history = ops.filter_asset_materializations(MaterializationFilterRequest(asset_key="s3://lake/report"))
    assert [m.status for m in history] == ["failed", "succeeded"]
    assert len(ops.filter_asset_materializations(MaterializationFilterRequest(flow_run_id=FLOW_RUN))) == 3

    assert ops.count_assets(AssetCount()) == 3
    assert ops.count_assets(AssetCount.model_validate({"filter": {"key": {"prefix": ["s3://lake/r"]}}})) == 2
    found = ops.filter_assets(AssetFilterRequest.model_validate({"filter": {"key": {"search": ["CLEAN"]}}}))
    assert [a.key for a in found] == ["s3://lake/clean"]
    # LIKE wildcards in a search are plain characters
    assert ops.count_assets(AssetCount.model_validate({"filter": {"key": {"search": ["%"]}}})) == 0


def test_properties_replaced_only_when_given_and_never_by_an_older_batch(ops: Operations) -> None:
    ops.store.history.write([_made("1", "s3://a/x", 100.0, properties={"name": "first"})])
    ops.store.history.write([_made("2", "s3://a/x", 101.0)])  # no properties: kept
    assert ops.read_asset("s3://a/x").properties == {"name": "first"}
    ops.store.history.write([_made("3", "s3://a/x", 102.0, properties={"name": "second"})])
    ops.store.history.write([_made("4", "s3://a/x", 50.0, properties={"name": "late"})])  # an old batch, re-sent late
    assert ops.read_asset("s3://a/x").properties == {"name": "second"}


def test_a_resent_batch_adds_nothing(ops: Operations) -> None:
    batch = [_made("1", "s3://a/x", 100.0, [("s3://a/up", None)])]
    ops.store.history.write(batch)
    ops.store.history.write(batch)
    assert len(ops.filter_asset_materializations(MaterializationFilterRequest(asset_key="s3://a/x"))) == 1
    assert ops.read_asset("s3://a/x").upstream == ["s3://a/up"]


def test_delete_removes_materializations_and_edges(ops: Operations) -> None:
    ops.store.history.write([_made("1", "s3://a/x", 100.0, [("s3://a/up", None)]),
                             _made("2", "s3://a/down", 101.0, [("s3://a/x", None)])])
    ops.delete_asset("s3://a/x")
    with pytest.raises(ObjectNotFound, match="s3://a/x"):
        ops.read_asset("s3://a/x")
    with pytest.raises(ObjectNotFound):
        ops.delete_asset("s3://a/x")
    with pytest.raises(ObjectNotFound):
        ops.read_asset_lineage("s3://a/x")
    assert ops.filter_asset_materializations(MaterializationFilterRequest(asset_key="s3://a/x")) == []
    assert ops.read_asset("s3://a/down").upstream == [] and ops.read_asset("s3://a/up").downstream == []
