"""Building the static graph in a `with Flow(...)` block: nodes, edges, and refusals."""

from __future__ import annotations

import pytest

from headwater import Flow, Parameter, flow, task, unmapped
from headwater.engine.static import FlowGraph, FlowGraphNode, GraphEdge, StaticFlow, TaskCall
from headwater.engine.static.graph import FlowCycleError
from headwater.exceptions import HeadwaterError, InvalidDefinitionError


@task
def extract(source: str) -> list[int]:
    return [1, 2, 3]


@task
def transform(rows: list[int], factor: int = 2) -> list[int]:
    return [r * factor for r in rows]


@task
def load(rows: list[int]) -> int:
    return len(rows)


def test_flow_with_a_name_is_a_static_flow_and_flow_of_a_function_is_not() -> None:
    def body() -> None: ...

    assert isinstance(Flow("etl"), StaticFlow)
    assert isinstance(Flow(name="etl"), StaticFlow)
    assert isinstance(Flow("etl"), Flow)  # runs and the CLI treat it as any flow
    assert type(Flow(body)) is Flow
    assert type(flow(body)) is Flow


def test_calls_in_the_block_add_nodes_and_edges_and_run_nothing() -> None:
    with Flow("etl") as etl:
        source = Parameter("source", default="db")
        rows = extract(source)
        doubled = transform(rows, factor=3)
        load(doubled)

    assert isinstance(rows, TaskCall) and rows.task is extract
    assert etl.graph == FlowGraph(
        "etl",
        (FlowGraphNode("source", "parameter", "source", required=False), FlowGraphNode("extract", "task", "extract"),
         FlowGraphNode("transform", "task", "transform"), FlowGraphNode("load", "task", "load")),
        (GraphEdge("source", "extract", "source", "data"), GraphEdge("extract", "transform", "rows", "data"),
         GraphEdge("transform", "load", "rows", "data")),
    )
    assert list(etl.parameters) == ["source"]
    assert str(etl.signature) == "(*, source='db')"


def test_repeated_calls_get_distinct_keys_and_containers_of_placeholders_become_collection_tasks() -> None:
    with Flow("fan-in") as fan_in:
        a = extract("a")
        b = extract("b")
        load([a, b])
        load({"x": a})

    keys = [n.key for n in fan_in.graph.nodes]
    assert sorted(keys) == ["Dict", "List", "List-2", "extract", "extract-2", "load", "load-2"]
    edges = {(e.upstream, e.downstream, e.argument) for e in fan_in.graph.edges}
    assert edges == {  # as in Prefect 1: [a, b] is a List task, {"x": a} a Dict task over a List of values
        ("extract", "List", "task_results"), ("extract-2", "List", "task_results"), ("List", "load", "rows"),
        ("extract", "List-2", "task_results"), ("List-2", "Dict", "values"), ("Dict", "load-2", "rows"),
    }


def test_upstream_tasks_add_order_only_edges_including_to_uncalled_tasks() -> None:
    @task
    def setup() -> None: ...

    with Flow("ordered") as ordered:
        rows = extract("x", upstream_tasks=[setup])
        done = load(rows)
        cleanup = load([], upstream_tasks=[done])

    graph = ordered.graph
    assert [n.key for n in graph.nodes] == ["setup", "extract", "load", "load-2"]
    assert GraphEdge("setup", "extract", None, "wait_for") in graph.edges
    assert GraphEdge("load", "load-2", None, "wait_for") in graph.edges
    assert cleanup.key == "load-2"



def test_a_parameter_orders_tasks_after_it_with_pipe_but_takes_no_upstream() -> None:
    # `parameter | task` raised AttributeError (Parameter had no set_downstream); Prefect 1 adds the edge.
    with Flow("etl") as etl:
        source = Parameter("source", default="db")
        counted = load([1])
        source | counted
        with pytest.raises(InvalidDefinitionError, match="Parameter 'source' cannot have upstream tasks"):
            counted | source
        with pytest.raises(InvalidDefinitionError, match="Parameter 'source' cannot have upstream tasks"):
            source.set_upstream(counted)
    assert GraphEdge("source", "load", None, "wait_for") in etl.graph.edges
    assert etl.run().is_successful()

def test_map_inside_the_block_is_a_mapped_node() -> None:
    with Flow("mapped") as mapped:
        rows = extract("x")
        transform.map([rows], factor=unmapped(rows))

    node = mapped.graph.nodes[-1]
    assert node.mapped and node.key == "transform"


def test_getitem_on_a_placeholder_adds_a_getitem_task() -> None:
    with Flow("items") as items:
        data = extract("x")
        load(data["items"])

    assert [n.key for n in items.graph.nodes] == ["extract", "GetItem", "load"]


def test_a_cycle_is_kept_as_in_prefect1_and_refused_by_validate_and_run() -> None:
    with Flow("loop") as loop:
        a = extract("a")
        b = load(a)
        a.set_upstream(b)  # as in Prefect 1, not checked unless asked
    assert len(loop.edges) == 2
    with pytest.raises(FlowCycleError, match=r"cycle: (extract -> load -> extract|load -> extract -> load)"):
        loop.validate()
    assert isinstance(FlowCycleError("x"), ValueError)  # what Prefect 1 code catches
    state = loop.run()
    assert state.is_failed() and "cycle" in state.message


def test_a_cycle_is_refused_at_once_with_validate_but_the_edge_stays() -> None:
    with Flow("loop") as loop:
        a = extract("a")
        b = load(a)
    with pytest.raises(FlowCycleError, match=r"cycle: load -> extract -> load"):
        loop.add_edge(b, a, validate=True)
    assert len(loop.edges) == 2


def test_eager_edge_validation_comes_from_the_prefect1_config() -> None:
    from headwater.engine.static import config as config_module

    with Flow("loop") as _:
        a = extract("a")
        b = load(a)
        config_module.config.flows.eager_edge_validation = True
        try:
            with pytest.raises(FlowCycleError):
                a.set_upstream(b)
        finally:
            config_module.config.flows.eager_edge_validation = False


def test_arguments_that_do_not_fit_the_task_are_refused_at_once() -> None:
    with Flow("bad") as _, pytest.raises(InvalidDefinitionError, match=r"task 'load' in flow 'bad'.*unexpected keyword"):
        load([], colour="red")


def test_a_result_from_one_flow_cannot_be_used_in_another() -> None:
    with Flow("first"):
        rows = extract("x")
    with Flow("second"), pytest.raises(InvalidDefinitionError, match=r"belongs to flow 'first'.*flow 'second'"):
        load(rows)


def test_a_parameter_made_outside_any_block_joins_the_flows_that_use_it() -> None:
    shared = Parameter("source")
    with Flow("one") as one:
        extract(shared)
    with Flow("two") as two:
        extract(shared)
    assert list(one.parameters) == list(two.parameters) == ["source"]


def test_two_parameters_with_one_name_are_refused() -> None:
    with Flow("dup"):
        Parameter("x")
        with pytest.raises(InvalidDefinitionError, match=r"already has a Parameter named 'x'"):
            Parameter("x")


@pytest.mark.parametrize("name", ["my-param", "class", "return_state", ""])
def test_parameter_names_must_be_keywords_of_run(name: str) -> None:
    with pytest.raises(InvalidDefinitionError, match="Parameter name"):
        Parameter(name)


def test_reading_a_placeholders_value_outside_a_run_says_how_to_get_it() -> None:
    with Flow("peek"):
        name = Parameter("name")
        rows = extract(name)
        with pytest.raises(InvalidDefinitionError, match=r"the result of task 'extract' has no value yet .*truth"):
            if rows:
                pass
        with pytest.raises(InvalidDefinitionError, match=r"Parameter 'name' has no value yet .*iterated"):
            list(name)
        with pytest.raises(InvalidDefinitionError, match=r"has no value yet .*formatted"):
            f"{name}"
    with pytest.raises(InvalidDefinitionError, match=r"has no value yet \(read with \.result\(\)\)"):
        rows.result()
    with pytest.raises(InvalidDefinitionError, match=r"Parameter 'name' was passed to task 'load' outside"):
        load(name)


def test_prefect1_flow_options_without_an_equivalent_are_refused_with_the_replacement() -> None:
    with pytest.raises(InvalidDefinitionError, match=r"'environment' is not supported: .*run_config=LocalRun"):
        Flow("x", environment=object())


def test_storage_and_run_config_are_kept_and_checked() -> None:
    from headwater.run_configs import LocalRun
    from headwater.storage import Module

    made = Flow("x", storage=Module("os"), run_config=LocalRun(env={"A": "1"}))
    assert made.storage.module == "os" and made.run_config.env == {"A": "1"}
    with pytest.raises(InvalidDefinitionError, match=r"storage must be a Storage such as Module"):
        Flow("x", storage=object())
    with pytest.raises(InvalidDefinitionError, match=r"run_config must be a RunConfig such as LocalRun"):
        made.run_config = {"env": {}}


def test_register_into_a_missing_project_says_how_to_create_it(tmp_path, monkeypatch) -> None:
    # Registering is a deployment (engine/deployments.py; tests/deployments/ cover it end to end).
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("HEADWATER_API_URL", raising=False)
    monkeypatch.delenv("HEADWATER_DATABASE_URL", raising=False)
    from headwater.core.settings import reset_settings

    reset_settings()
    with Flow("GitHub_Trending_Flow") as trending:
        extract(Parameter("since"))
    try:
        with pytest.raises(HeadwaterError) as caught:
            trending.register(project_name="GitHub_Trending")
        assert "no project named 'GitHub_Trending': create it with `headwater project create GitHub_Trending`" \
            in str(caught.value)
    finally:
        reset_settings()


def test_register_refuses_options_prefect1_did_not_have_either() -> None:
    with Flow("registered") as registered:
        extract("x")
    with pytest.raises(InvalidDefinitionError, match=r"unknown option\(s\) 'projekt'; it takes project_name="):
        registered.register(project_name="p", projekt="p")


def test_calling_a_decorated_flow_inside_a_static_block_is_refused():
    import pytest

    from headwater import Flow, flow
    from headwater.exceptions import InvalidDefinitionError

    @flow
    def inner():
        return 1

    with pytest.raises(InvalidDefinitionError, match="inside a `with Flow"):
        with Flow("outer"):
            inner()
