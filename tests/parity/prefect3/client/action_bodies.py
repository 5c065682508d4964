"""The create/update bodies of prefect.client.schemas.actions that the client's methods
send (FlowCreate, FlowRunCreate, FlowRunUpdate, StateCreate, TaskRunCreate, ...): their
fields, what they require and refuse, and what a few of them hold."""

import uuid

from pydantic import ValidationError

from prefect.client.schemas.actions import (
    BlockDocumentCreate,
    BlockTypeCreate,
    ConcurrencyLimitCreate,
    DeploymentCreate,
    DeploymentFlowRunCreate,
    DeploymentScheduleUpdate,
    FlowCreate,
    FlowRunCreate,
    FlowRunUpdate,
    StateCreate,
    TaskRunCreate,
    TaskRunUpdate,
)
from prefect.client.schemas.objects import StateType

for model in (FlowCreate, FlowRunCreate, FlowRunUpdate, StateCreate, TaskRunCreate, TaskRunUpdate, DeploymentCreate,
              DeploymentFlowRunCreate, DeploymentScheduleUpdate, ConcurrencyLimitCreate):
    required = sorted(name for name, field in model.model_fields.items() if field.is_required())
    print(model.__name__, sorted(model.model_fields), "required:", required)


def errors(make):
    try:
        make()
    except ValidationError as exc:
        return sorted((".".join(map(str, e["loc"])), e["type"]) for e in exc.errors())
    return "valid"


flow_id = uuid.UUID(int=1)
print(errors(lambda: FlowRunCreate(flow_id=flow_id, surprise=1)))
print(errors(lambda: FlowRunCreate()))
print(errors(lambda: TaskRunCreate(task_key="k")))
print(errors(lambda: StateCreate(type="NOT_A_TYPE")))
print(errors(lambda: ConcurrencyLimitCreate(tag="t", concurrency_limit="many")))
print(errors(lambda: DeploymentScheduleUpdate(max_scheduled_runs=0)))
print(errors(lambda: BlockDocumentCreate(block_schema_id=flow_id, block_type_id=flow_id)))
print(errors(lambda: BlockTypeCreate(name="x", slug="x", logo_url="not a url")))

update = FlowRunUpdate(name="renamed", tags=["a"])
print(sorted(update.model_fields_set), update.model_dump(mode="json", exclude_unset=True))
state = StateCreate(type=StateType.COMPLETED, name="Done", message="ok")
print(state.type.value, state.name, state.message, state.data)
print(TaskRunUpdate(name="t").model_dump(), ConcurrencyLimitCreate(tag="db", concurrency_limit=2).model_dump())
print(DeploymentFlowRunCreate(parameters={"x": 1}, idempotency_key="k").model_dump(
    mode="json", include={"parameters", "idempotency_key", "tags", "name"}))
