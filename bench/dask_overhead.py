"""DaskTaskRunner against plain Dask: N trivial tasks on the same LocalCluster of 2 workers.

    python bench/dask_overhead.py [--n 2000]

In a child process one `distributed.LocalCluster(n_workers=2, threads_per_worker=1)`
(worker processes) is started; on it, alternately, three times each (see
`_cluster_overhead.py` for the rest):

- plain: `client.gather(client.map(add_one, range(N), pure=False))`;
- headwater: a flow with `DaskTaskRunner(address=...)` mapping a trivial task over
  range(N) and waiting for all (each task run recorded by the worker that ran it).

Prints one JSON line.
"""

from __future__ import annotations

from _cluster_overhead import ClusterBench, run_cluster_bench

DASK = ClusterBench(
    name="dask",
    default_n=2_000,
    imports="import distributed\nfrom headwater.dask import DaskTaskRunner",
    setup="""
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = distributed.Client(cluster)

        def plain(n):
            client.gather(client.map(add_one, range(n), pure=False))
    """,
    runner="DaskTaskRunner(address=cluster.scheduler_address)",
    teardown="""
        client.close()
        cluster.close()
    """,
    cluster_fields={"workers": 2},
    plain_key="plain_client_map_s",
)

if __name__ == "__main__":
    run_cluster_bench(DASK, __doc__.splitlines()[0])
