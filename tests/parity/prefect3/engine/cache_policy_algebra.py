"""Cache policies combined and trimmed: INPUTS - "name" ignores that argument,
INPUTS + FLOW_PARAMETERS adds the flow's parameters, NO_CACHE never reads back, and
CompoundCachePolicy is the type of a sum."""
from prefect import flow, task
from prefect.cache_policies import FLOW_PARAMETERS, INPUTS, NO_CACHE, TASK_SOURCE, CompoundCachePolicy

calls = []


@task(cache_policy=INPUTS - "verbose")
def load(key, verbose=False):
    calls.append(("load", key, verbose))
    return key


@task(cache_policy=INPUTS + FLOW_PARAMETERS)
def scoped(key):
    calls.append(("scoped", key))
    return key


@task(cache_policy=NO_CACHE, persist_result=True)
def never(key):
    calls.append(("never", key))
    return key


@flow
def main(region):
    names = [load("a", return_state=True).name, load("a", verbose=True, return_state=True).name]
    names += [scoped("a", return_state=True).name, scoped("a", return_state=True).name]
    names += [never("a", return_state=True).name, never("a", return_state=True).name]
    return names


print(main("eu"))
print(main("us"))
print(len(calls), calls[-4:])
print(isinstance(INPUTS + TASK_SOURCE, CompoundCachePolicy))
