"""Background task runs: `task.delay()` queues a run, a task worker runs it.

    submit.py   delay / apply_async: parameters to storage, the run queued SCHEDULED
    futures.py  BackgroundFuture (a run id) and the process's watcher of ended runs
    worker.py   TaskWorker: claims runs under leases, runs them, reports their ends
    storage.py  parameters and outcomes as records in the task scheduling storage

The queue itself is the store's (`store/background.py`), reached through the client's
transport, so it works the same on the embedded database and through a server.
"""
