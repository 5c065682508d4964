"""Task attributes: .fn calls the plain function, and the decorator settings are readable.

Exercises Task.fn, .name, .retries, .retry_delay_seconds, .description, .version (Prefect API: Task)."""
from prefect import task

calls = []


@task(retries=2, retry_delay_seconds=5, version="v1")
def documented(x):
    """Adds one."""
    calls.append(x)
    return x + 1


@task(description="explicit")
def described():
    return None


print(documented.fn(1), calls)
print(documented.name, documented.retries, documented.retry_delay_seconds, documented.version)
print(documented.description)
print(described.description)
