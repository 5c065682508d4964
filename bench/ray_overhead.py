"""RayTaskRunner against plain Ray: N trivial tasks on the same local Ray (num_cpus=2).

    python bench/ray_overhead.py [--n 1000]

In a child process one local Ray (`ray.init(num_cpus=2)`) is started; on it,
alternately, three times each (see `_cluster_overhead.py` for the rest):

- plain: `ray.get([add_one.remote(i) for i in range(N)])`;
- headwater: a flow with `RayTaskRunner()` (it finds Ray running and uses it) mapping
  a trivial task over range(N) and waiting for all (each run recorded by the Ray
  worker that ran it).

Prints one JSON line.
"""

from __future__ import annotations

from _cluster_overhead import ClusterBench, run_cluster_bench

RAY = ClusterBench(
    name="ray",
    default_n=1_000,
    imports="import ray\nfrom headwater.ray import RayTaskRunner",
    setup="""
        ray.init(num_cpus=2, log_to_driver=False)
        plain_remote = ray.remote(add_one)

        def plain(n):
            ray.get([plain_remote.remote(i) for i in range(n)])
    """,
    runner="RayTaskRunner()",
    teardown="""
        ray.shutdown()
    """,
    cluster_fields={"num_cpus": 2},
    plain_key="plain_ray_remote_s",
    timeout=900,
)

if __name__ == "__main__":
    run_cluster_bench(RAY, __doc__.splitlines()[0])
