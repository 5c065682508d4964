"""StateType values and comparisons between a state's type and the enum.

Exercises prefect.client.schemas.objects.StateType via prefect.states (Prefect API: StateType)."""
from prefect.states import Completed, Failed, StateType

print(sorted(t.value for t in StateType))
print(Completed().type == StateType.COMPLETED)
print(Failed().type is StateType.FAILED)
print(StateType("CRASHED").name)
