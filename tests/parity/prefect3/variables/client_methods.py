"""The client's variable methods (get_client): create_variable, read_variable_by_name,
read_variables, update_variable, delete_variable_by_name, and the exceptions they raise."""

from prefect import get_client
from prefect.client.schemas.actions import VariableCreate, VariableUpdate
from prefect.client.schemas.objects import Variable
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

NAMES = ["parity_client_a", "parity_client_b"]

with get_client(sync_client=True) as client:
    for name in NAMES:
        try:
            client.delete_variable_by_name(name)
        except ObjectNotFound:
            pass
    created = client.create_variable(VariableCreate(name="parity_client_a", value=[1, 2], tags=["x"]))
    print(type(created).__name__, isinstance(created, Variable), created.name, created.value, created.tags,
          created.id is not None, created.created is not None)
    client.create_variable(VariableCreate(name="parity_client_b", value={"k": "v"}))
    try:
        client.create_variable(VariableCreate(name="parity_client_a", value=3))
    except ObjectAlreadyExists:
        print("ObjectAlreadyExists")
    print("missing:", client.read_variable_by_name("parity_client_missing"))
    print("update returns:", client.update_variable(VariableUpdate(name="parity_client_a", value="new")))
    read = client.read_variable_by_name("parity_client_a")
    print(read.value, read.tags, read.id == created.id)
    mine = [v for v in client.read_variables() if v.name in NAMES]
    print(sorted((v.name, str(v.value)) for v in mine))
    for name in NAMES:
        print("delete:", client.delete_variable_by_name(name))
    try:
        client.delete_variable_by_name("parity_client_a")
    except ObjectNotFound:
        print("ObjectNotFound")
