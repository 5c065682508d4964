"""Caching and result persistence for one task run.

The task run life cycle (engine/runs.py) asks `plan(run)` for a `CachePlan` when the
task uses results, after upstream results are in and before the call:

    lookup()     compute the cache key, take the record's lock (SERIALIZABLE), read
                 the record: a usable one is the run's `Cached` state, and the
                 function is not called
    complete()   after a successful call: write the result as a record
    close()      at the end of the run, always: release the lock

What the options mean (docs/caching.md):

- no `cache_policy` / `cache_key_fn`: nothing is looked up nor written, unless
  results are persisted (`persist_result=True` on the task or its flow, or a result
  storage, serializer or storage key given): then, as in Prefect, the default policy
  (inputs + task source + flow run id) keys them, so equal calls within one flow run
  are Cached; with only a `result_storage_key`, that key is the cache key. (Prefect's
  setting to persist every result by default has no headwater equivalent: a task that
  did not ask for results pays nothing for them.)
- `persist_result=False`: nothing is written, so nothing is cached either;
- a key of None (from the policy, or an argument that cannot be hashed): uncached;
- a damaged, expired or unreadable record: a warning, then the call runs again;
- `refresh_cache=True` (or the setting `HEADWATER_REFRESH_CACHE`): no lookup; the
  new result overwrites the record.
"""

from __future__ import annotations

import re
import threading
import weakref
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from headwater.engine.cache_policies import (
    DEFAULT,
    ISOLATION_LEVELS,
    CacheKeyContext,
    CacheKeyFnPolicy,
    CachePolicy,
    CompoundPolicy,
    UnhashableInput,
    NoCache,
)
from headwater.blocks.storage import check_result_storage
from headwater.core import clock
from headwater.core.states import State, StateType, is_state_iterable
from headwater.exceptions import InvalidDefinitionError
from headwater.results import (
    CorruptRecord,
    ResultReference,
    SerializationError,
    Serializer,
    UnsafeStorageKey,
    check_storage_key,
    check_template,
    open_storage,
    read_result,
    render_storage_key,
    resolve_serializer,
    result_storage_of,
    write_result,
)
from headwater.results.locks import RecordLock

if TYPE_CHECKING:
    from headwater.core.settings import Settings
    from headwater.engine.options import TaskOptions
    from headwater.engine.runs import TaskRun
    from headwater.engine.tasks import Task
    from headwater.results.storage import ResultStorage

__all__ = ["CachePlan", "check_options", "plan"]

_S = StateType


def check_options(options: TaskOptions) -> None:
    """Validate a task's caching options when it is defined.

    Raises:
        InvalidDefinitionError: an option has a wrong type or value, named in the message.
    """
    policy = options.cache_policy
    if policy is not None and not isinstance(policy, CachePolicy):
        raise InvalidDefinitionError(
            f"invalid cache_policy={policy!r}: expected a policy from headwater.cache_policies, "
            "such as INPUTS, INPUTS + TASK_SOURCE or INPUTS - 'client'"
        )
    if options.cache_key_fn is not None and not callable(options.cache_key_fn):
        raise InvalidDefinitionError(
            f"invalid cache_key_fn={options.cache_key_fn!r}: expected a function (context, parameters) -> str | None"
        )
    expiration = options.cache_expiration
    if expiration is not None and not (isinstance(expiration, timedelta) and expiration > timedelta(0)):
        raise InvalidDefinitionError(
            f"invalid cache_expiration={expiration!r}: expected a positive datetime.timedelta, "
            "such as timedelta(days=1)"
        )
    try:
        resolve_serializer(options.result_serializer)
    except SerializationError as exc:
        raise InvalidDefinitionError(str(exc)) from None
    storage = options.result_storage
    check_result_storage(storage)  # an unsaved block is refused, as on Prefect (headwater/blocks/storage.py)
    if storage is not None and not isinstance(storage, str) and not hasattr(storage, "__fspath__"):
        raise InvalidDefinitionError(
            f"invalid result_storage={storage!r}: expected a directory path or an fsspec URL such as 's3://bucket/x'"
        )
    if options.result_storage_key is not None:
        try:
            check_template(options.result_storage_key)
        except UnsafeStorageKey as exc:
            raise InvalidDefinitionError(str(exc)) from None
    level = _setting(policy, "isolation_level") if policy is not None else None
    if level is not None and level not in ISOLATION_LEVELS:
        raise InvalidDefinitionError(f"invalid isolation_level={level!r}: expected one of {ISOLATION_LEVELS}")


class _TaskConfig:
    """A task's caching options, resolved once per task (see `_config`)."""

    __slots__ = ("policy", "serializer", "storage", "isolation", "expiration", "template", "in_memory", "no_cache")

    def __init__(self, task: Task[..., Any]) -> None:
        o = task.options
        policy: CachePolicy | None = o.cache_policy
        if o.cache_key_fn is not None:  # as in Prefect, a cache_key_fn wins over cache_policy
            policy = CacheKeyFnPolicy(o.cache_key_fn)
        self.no_cache = isinstance(policy, NoCache)  # NO_CACHE given: never read back, even by storage key
        if self.no_cache:
            policy = None
        self.policy = policy
        self.serializer: Serializer | None = resolve_serializer(o.result_serializer) \
            if o.result_serializer is not None else None
        self.storage = o.result_storage if o.result_storage is not None else _setting(o.cache_policy, "key_storage")
        self.isolation = getattr(o, "isolation_level", None) or _setting(o.cache_policy, "isolation_level")
        self.expiration = o.cache_expiration.total_seconds() if o.cache_expiration is not None else None
        self.template = o.result_storage_key
        self.in_memory = o.cache_result_in_memory


_configs: weakref.WeakKeyDictionary[Any, _TaskConfig] = weakref.WeakKeyDictionary()


def _config(task: Task[..., Any]) -> _TaskConfig:
    config = _configs.get(task)
    if config is None:
        config = _configs[task] = _TaskConfig(task)
    return config


def plan(run: TaskRun) -> CachePlan | None:
    """What this task run caches and persists, or None if nothing.

    Called in the run's thread once its arguments are final (upstream results in).
    """
    options = run.task.options
    flow_options = run.flow_run.options if run.flow_run is not None else None
    persist = options.persist_result
    if persist is None and flow_options is not None:
        persist = flow_options.persist_result
    if persist is False:
        return None  # nothing is written, so nothing can be read back either
    config = _config(run.task)
    if config.policy is None and not persist:
        return None
    settings = _settings(run)
    refresh = options.refresh_cache if options.refresh_cache is not None else settings.refresh_cache
    location = result_storage_of(config.storage, run.flow_run)
    serializer = config.serializer
    if flow_options is not None:
        if serializer is None and flow_options.result_serializer is not None:
            serializer = resolve_serializer(flow_options.result_serializer)
    return CachePlan(
        run,
        config,
        persist=bool(persist),
        storage_location=str(location) if location is not None else _default_location(settings),
        serializer=serializer or resolve_serializer(None),
        refresh=bool(refresh),
        settings=settings,
    )


class CachePlan:
    """Caching and persistence for one task run (see the module docstring)."""

    def __init__(self, run: TaskRun, config: _TaskConfig, *, persist: bool, storage_location: str,
                 serializer: Serializer, refresh: bool, settings: Settings) -> None:
        self.run = run
        self.config = config
        self.persist = persist
        self.storage_location = storage_location
        self.serializer = serializer
        self.refresh = refresh
        self.settings = settings
        self.cache_key: str | None = None
        self.key: str | None = None  # where the record goes, inside the storage; None: write nothing
        self._storage: ResultStorage | None = None
        self._lock: RecordLock | None = None

    # -- before the call ------------------------------------------------------------
    def lookup(self) -> State[Any] | None:
        """The run's Cached state on a hit, a Failed state if the key cannot be made, else None."""
        run = self.run
        config = self.config
        policy = config.policy
        if policy is None and self.persist and not config.template and not config.no_cache:
            # As in Prefect: a persisted result with no policy of its own is keyed by
            # Prefect's default policy (inputs, task source, flow run id).
            policy = DEFAULT
        if policy is not None:
            try:
                parameters = run.parameters
            except TypeError:
                return None  # arguments that do not fit the signature: the call reports it
            context = CacheKeyContext(run.task, run, run.flow_run, parameters)
            flow_parameters = run.flow_run.parameters if run.flow_run is not None else {}
            try:
                self.cache_key = policy.compute_key(context, parameters, flow_parameters)
            except UnhashableInput as exc:
                _warn_unhashable(run, exc)
            except Exception as exc:
                return _key_failure(policy, exc)
        if self.cache_key is None and not self.persist:
            return None
        template = self.config.template
        try:
            if template:
                key = render_storage_key(template, _template_context(run))
            elif self.cache_key is not None and isinstance(policy, CacheKeyFnPolicy):
                # A key the user's cache_key_fn chose names the record, as in Prefect.
                key = self.cache_key
                check_storage_key(key)
            else:
                # Under the task's own folder: two tasks called with equal inputs never
                # read each other's results (Prefect shares INPUTS keys across tasks).
                key = f"{_folder(run.task)}/{self.cache_key or run.id}"
            self._storage = open_storage(self.storage_location)
        except (UnsafeStorageKey, ValueError) as exc:
            return State(_S.FAILED, None, str(exc), exc)
        self.key = key
        if self.cache_key is None and template and policy is None and not self.config.no_cache:
            # As in Prefect: with no cache policy, a result_storage_key is the cache key
            # too, so a later run rendering the same key reads the stored result.
            self.cache_key = key
        if self.cache_key is None:
            return None  # persisted, not cached: nothing to look up
        if self.config.isolation == "SERIALIZABLE":
            self._take_lock()
        if self.refresh:
            return None
        return self._read()

    def _read(self) -> State[Any] | None:
        storage, key = self._storage, self.key
        assert storage is not None and key is not None
        try:
            stored = read_result(storage, key, self.serializer)
        except (CorruptRecord, OSError) as exc:
            self.run.logger.warning("Cached result at %s cannot be used (%s); computing it again",
                                    storage.location(key), exc)
            return None
        if stored is None or stored.header.cache_key != self.cache_key:
            return None  # no record yet, or one written for other inputs at a templated location
        header = stored.header
        if header.is_expired(clock.now()):
            self.run.logger.warning("Cached result at %s expired at %s; computing it again",
                                    header.storage_key, _iso(header.expires))
            return None
        if self.config.in_memory:
            # The value this process wrote, if the record is still that one: as in Prefect,
            # a hit within the process gives back the object itself (a tuple stays a
            # tuple under "json"), not what the serializer rebuilds.
            recent = _recall(header.storage_key)
            data = recent[1] if recent is not None and recent[0] == header.created else stored.value
        else:
            data = ResultReference(storage, key, self.serializer)
        return State(_S.COMPLETED, "Cached", data=data, details=self._details(header.expires))

    def _take_lock(self) -> None:
        storage, key = self._storage, self.key
        assert storage is not None and key is not None
        root = storage.local_root
        folder = root / ".locks" if root is not None else self.settings.home / "locks"
        lock = RecordLock(folder, storage.location(key))
        if not lock.try_acquire():
            if lock.held_by_this_thread():
                # An async task run on the same event loop holds it: waiting would stop the loop.
                self.run.logger.warning(
                    "Another run on this thread (an async task on the same event loop) is computing the same "
                    "result (cache key %s); this run computes it too, without isolation_level='SERIALIZABLE'",
                    self.cache_key,
                )
                return
            self.run.logger.info(
                "Waiting for another run computing the same result (cache key %s, isolation_level='SERIALIZABLE')",
                self.cache_key,
            )
            lock.acquire()
        self._lock = lock

    # -- after the call --------------------------------------------------------------
    def complete(self, state: State[Any]) -> State[Any]:
        """Write the result; return the Completed state to record (Failed if it cannot be serialized)."""
        storage, key = self._storage, self.key
        if storage is None or key is None:
            return state
        expiration = self.config.expiration
        expires = clock.now() + expiration if expiration is not None and self.cache_key is not None else None
        value = state.data
        try:
            if self.run.txn is None or not _defer_write(self, storage, key, value, expires):
                header = write_result(storage, key, value, self.serializer, cache_key=self.cache_key, expires=expires)
                if self.config.in_memory and self.cache_key is not None:
                    _remember(header, value)
        except SerializationError as exc:
            # As in Prefect: the run still completes with its value in memory; only
            # the record is not written (so nothing is cached either).
            self.run.logger.warning("%s; the run completes, its result is neither persisted nor cached", exc)
            return state
        except OSError as exc:
            message = f"the result could not be written to {storage.location(key)}: {exc}"
            if self.persist:
                # Raised again by .result() and reported as the flow's failure: it names the
                # storage, which a bare "[Errno 28] No space left on device" would not.
                text = f"{exc.strerror or exc}: the task run could not persist its result to {storage.location(key)}"
                error = OSError(exc.errno, text) if exc.errno is not None else OSError(text)
                error.__cause__ = exc
                return State(_S.FAILED, None, f"Task run could not persist its result: {message}", error)
            self.run.logger.warning("%s; this run is not cached", message)
            return state
        data = value if self.config.in_memory else ResultReference(storage, key, self.serializer)
        return State(state.type, state.name, state.message, data, details=self._details(expires))

    def close(self) -> None:
        """Release the record's lock, if this run holds it."""
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()

    def _details(self, expires: float | None) -> dict[str, Any]:
        assert self._storage is not None and self.key is not None
        return {"cache_key": self.cache_key, "storage_key": self._storage.location(self.key),
                "expires": _iso(expires)}


def _defer_write(plan: CachePlan, storage: Any, key: str, value: Any, expires: float | None) -> bool:
    """Inside a transaction that may still roll back, the record is written on commit."""
    from headwater.engine.task_transactions import defer_write

    return defer_write(plan.run, lambda: write_result(storage, key, value, plan.serializer,
                                                     cache_key=plan.cache_key, expires=expires))


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_folders: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _folder(task: Task[..., Any]) -> str:
    """The task's folder in the storage: its task key, safe as a file name."""
    folder = _folders.get(task)
    if folder is None:
        folder = _folders[task] = _UNSAFE.sub("_", task.task_key).lstrip(".") or "task"
    return folder


# Results this process wrote lately, by record location: (record's created time, value).
# Only an identity cache: a cache hit within the process hands back the very object the
# run returned (as Prefect does), where reading the record would give a copy (a tuple
# comes back a list under "json"). The record in storage stays the source of every
# result: an evicted entry costs one read of it on the next hit, and no future or state
# holds its value through this dict (a completed run's state carries the value itself),
# so eviction cannot lose a result. 1,000 entries, least recently used evicted first,
# as Prefect's in-memory result cache (`prefect.results.default_cache`): a bound on the
# memory kept alive by a long flow, large enough for the hits of one run's map.
# Only tasks that cache with cache_result_in_memory (the default) pay for it.
_recent: dict[str, tuple[float, Any]] = {}
_recent_lock = threading.Lock()
_RECENT_MAX = 1000


def _remember(header: Any, value: Any) -> None:
    with _recent_lock:
        _recent.pop(header.storage_key, None)
        _recent[header.storage_key] = (header.created, value)
        if len(_recent) > _RECENT_MAX:
            del _recent[next(iter(_recent))]


def _recall(storage_key: str) -> tuple[float, Any] | None:
    """The entry kept for `storage_key`, made the most recently used."""
    with _recent_lock:
        entry = _recent.pop(storage_key, None)
        if entry is not None:
            _recent[storage_key] = entry
        return entry


def persist_flow_result(run: Any, state: State[Any]) -> State[Any]:
    """Write a completed flow run's result (`@flow(persist_result=True)`) to the flow's
    result storage (else the default one), named by the run's id; the state to record.

    As for tasks, a result that cannot be written leaves the run Completed, with a warning.
    """
    options = run.options
    value = state.data
    if isinstance(value, State) or is_state_iterable(value):
        return state  # the flow returned states: their own records hold the results
    location = result_storage_of(options.result_storage, None)  # a flow run's own setting only
    try:
        serializer = resolve_serializer(options.result_serializer)
        storage = open_storage(str(location) if location is not None
                               else _default_location(_settings(run)))
        write_result(storage, run.id, value, serializer, cache_key=None, expires=None)
    except (SerializationError, OSError, ValueError) as exc:
        run.logger.warning("the flow run's result was not persisted: %s", exc)
        return state
    return State(state.type, state.name, state.message, value,
                 details={**(state.details or {}), "storage_key": storage.location(run.id)})


def _setting(policy: Any, attribute: str) -> Any:
    if isinstance(policy, CompoundPolicy):
        return policy.setting(attribute)
    return getattr(policy, attribute, None)


_default: tuple[Any, str] | None = None


def _default_location(settings: Settings) -> str:
    """`settings.results_storage_resolved`, remembered for the settings object in use."""
    global _default
    last = _default
    if last is None or last[0] is not settings:
        last = _default = (settings, settings.results_storage_resolved)
    return last[1]


def _settings(run: TaskRun) -> Settings:
    settings = getattr(run.orchestrator, "settings", None)
    if settings is None:
        from headwater.core.settings import get_settings

        settings = get_settings()
    return settings


def _template_context(run: TaskRun) -> dict[str, Any]:
    from types import SimpleNamespace

    flow_run = run.flow_run
    return {
        "parameters": run.parameters,
        "task_run": SimpleNamespace(id=run.id, name=run.name, task_name=run.task.name),
        "flow_run": SimpleNamespace(
            id=flow_run.id if flow_run else None,
            name=flow_run.name if flow_run else None,
            flow_name=flow_run.flow.name if flow_run else None,
        ),
    }


def _key_failure(policy: CachePolicy, error: Exception) -> State[Any]:
    if isinstance(policy, CacheKeyFnPolicy):
        fn = policy.cache_key_fn
        what = f"cache_key_fn {getattr(fn, '__qualname__', fn)!r}"
        fix = "Fix the function, or have it return None to run the call uncached"
    else:
        what = f"cache policy {policy!r}"
        fix = "Fix the policy, or return None from compute_key to run the call uncached"
    if isinstance(error, TypeError) and "cache_key_fn" in str(error):
        text = str(error)
    else:
        text = f"{what} raised {type(error).__name__}: {error}"
    return State(_S.FAILED, None, f"Task run did not start: {text}. {fix}.", error)


_warned: set[tuple[str, str]] = set()


def _warn_unhashable(run: TaskRun, error: UnhashableInput) -> None:
    """Warn once per task and argument in a process; later calls say it at debug level."""
    mark = (run.task.task_key, error.argument)
    if mark in _warned:
        run.logger.debug("%s; this call runs uncached", error)
        return
    _warned.add(mark)
    run.logger.warning("%s. This call runs uncached", error)


def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz=timezone.utc).isoformat()
