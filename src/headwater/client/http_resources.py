"""The HTTP transport's requests for the resources kept between runs: variables,
artifacts, assets and blocks, one class each, composed into `HttpTransport`
(`client/http.py`), which holds the connection, the retry rules and `_call`.

Each method is one request to the route of the same operation (`server/api/<area>.py`);
POSTed filters and counts are reads, so they are marked safe to send again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from headwater.core.block_schemas import BlockDocument, BlockSchema, BlockType
from headwater.exceptions import ObjectNotFound

if TYPE_CHECKING:
    from headwater.core.artifact_schemas import (
        ArtifactCollectionInfo,
        ArtifactCount,
        ArtifactCreate,
        ArtifactFilterRequest,
        ArtifactInfo,
        ArtifactUpdate,
    )
    from headwater.core.asset_schemas import (
        AssetCount,
        AssetFilterRequest,
        AssetInfo,
        AssetMaterializationInfo,
        MaterializationFilterRequest,
    )
    from headwater.core.block_schemas import (
        BlockDocumentCount,
        BlockDocumentCreate,
        BlockDocumentFilterRequest,
        BlockDocumentUpdate,
        BlockSchemaCreate,
        BlockSchemaFilterRequest,
        BlockTypeCreate,
        BlockTypeFilterRequest,
        BlockTypeUpdate,
    )
    from headwater.core.variable_schemas import (
        VariableCount,
        VariableCreate,
        VariableFilterRequest,
        VariableInfo,
        VariableUpdate,
    )

__all__ = ["ArtifactRequests", "AssetRequests", "BlockRequests", "RequestBase", "VariableRequests",
           "dump_body", "path_segment"]


def path_segment(value: str) -> str:
    """`value` quoted as one URL path segment."""
    return quote(value, safe="")


def dump_body(model: Any, **kwargs: Any) -> Any:
    """A pydantic model as a JSON request body."""
    return model.model_dump(mode="json", **kwargs)


def secrets_params(include_secrets: bool) -> dict[str, str]:
    """The query asking the server for secret values in clear."""
    return {"include_secrets": "true"} if include_secrets else {}


class RequestBase:
    """What the resource classes need of `HttpTransport`: one request, checked."""

    def _call(self, method: str, path: str, body: Any = None, params: Any = None, *,
              idempotent: bool | None = None) -> Any:
        raise NotImplementedError


class VariableRequests(RequestBase):
    """Variables (`server/api/variables.py`)."""

    def _variable_path(self, name: str) -> str:
        # A name no variable can have (empty, "/", "..") would not reach the route as one
        # path segment; no such variable exists, so say so without asking.
        from headwater.core.variable_schemas import check_variable_name

        try:
            check_variable_name(name)
        except ValueError:
            raise ObjectNotFound(f"no variable named {name!r} (list them with `headwater variable ls`)") from None
        return f"variables/name/{path_segment(name)}"

    def create_variable(self, body: VariableCreate) -> VariableInfo:
        from headwater.core.variable_schemas import VariableInfo

        return VariableInfo.model_validate(self._call("POST", "variables/", dump_body(body)))

    def read_variable(self, name: str) -> VariableInfo:
        from headwater.core.variable_schemas import VariableInfo

        return VariableInfo.model_validate(self._call("GET", self._variable_path(name)))

    def read_variable_by_id(self, variable_id: str) -> VariableInfo:
        from headwater.core.variable_schemas import VariableInfo

        return VariableInfo.model_validate(self._call("GET", f"variables/{path_segment(variable_id)}"))

    def filter_variables(self, request: VariableFilterRequest) -> list[VariableInfo]:
        from headwater.core.variable_schemas import VariableInfo

        return [VariableInfo.model_validate(v) for v in self._call("POST", "variables/filter", dump_body(request), idempotent=True)]

    def count_variables(self, request: VariableCount) -> int:
        return int(self._call("POST", "variables/count", dump_body(request), idempotent=True))

    def update_variable(self, name: str, body: VariableUpdate) -> VariableInfo:
        changes = dump_body(body, exclude_unset=True)
        # a rename sent twice would find no variable by the old name
        self._call("PATCH", self._variable_path(name), changes, idempotent="name" not in changes)
        return self.read_variable(changes.get("name") or name)

    def delete_variable(self, name: str) -> None:
        self._call("DELETE", self._variable_path(name))


class ArtifactRequests(RequestBase):
    """Artifacts (`server/api/artifacts.py`)."""

    def create_artifact(self, body: ArtifactCreate) -> ArtifactInfo:
        from headwater.core.artifact_schemas import ArtifactInfo

        return ArtifactInfo.model_validate(self._call("POST", "artifacts/", dump_body(body, exclude_unset=True)))

    def read_artifact(self, artifact_id: str) -> ArtifactInfo:
        from headwater.core.artifact_schemas import ArtifactInfo

        return ArtifactInfo.model_validate(self._call("GET", f"artifacts/{path_segment(artifact_id)}"))

    def read_latest_artifact(self, key: str) -> ArtifactInfo:
        from headwater.core.artifact_schemas import ArtifactInfo, is_artifact_key
        from headwater.exceptions import ObjectNotFound

        if not key or not is_artifact_key(key):  # no artifact can have it: not found, without a request
            raise ObjectNotFound(f"Artifact not found: no artifact with key {key!r}")
        return ArtifactInfo.model_validate(self._call("GET", f"artifacts/{path_segment(key)}/latest"))

    def filter_artifacts(self, request: ArtifactFilterRequest) -> list[ArtifactInfo]:
        from headwater.core.artifact_schemas import ArtifactInfo

        return [ArtifactInfo.model_validate(a) for a in self._call("POST", "artifacts/filter", dump_body(request), idempotent=True)]

    def count_artifacts(self, request: ArtifactCount) -> int:
        return int(self._call("POST", "artifacts/count", dump_body(request), idempotent=True))

    def filter_latest_artifacts(self, request: ArtifactFilterRequest) -> list[ArtifactCollectionInfo]:
        from headwater.core.artifact_schemas import ArtifactCollectionInfo

        found = self._call("POST", "artifacts/latest/filter", dump_body(request), idempotent=True)
        return [ArtifactCollectionInfo.model_validate(a) for a in found]

    def count_latest_artifacts(self, request: ArtifactCount) -> int:
        return int(self._call("POST", "artifacts/latest/count", dump_body(request), idempotent=True))

    def update_artifact(self, artifact_id: str, body: ArtifactUpdate) -> None:
        self._call("PATCH", f"artifacts/{path_segment(artifact_id)}", dump_body(body, exclude_unset=True))

    def delete_artifact(self, artifact_id: str) -> None:
        self._call("DELETE", f"artifacts/{path_segment(artifact_id)}")


class AssetRequests(RequestBase):
    """Assets (`server/api/assets.py`)."""

    def filter_assets(self, request: AssetFilterRequest) -> list[AssetInfo]:
        from headwater.core.asset_schemas import AssetInfo

        return [AssetInfo.model_validate(a) for a in self._call("POST", "assets/filter", dump_body(request), idempotent=True)]

    def count_assets(self, request: AssetCount) -> int:
        return int(self._call("POST", "assets/count", dump_body(request), idempotent=True))

    def read_asset(self, key: str) -> AssetInfo:
        from headwater.core.asset_schemas import AssetInfo

        return AssetInfo.model_validate(self._call("GET", "assets/key", params={"key": key}))

    def filter_asset_materializations(self, request: MaterializationFilterRequest) -> list[AssetMaterializationInfo]:
        from headwater.core.asset_schemas import AssetMaterializationInfo

        found = self._call("POST", "assets/materializations/filter", dump_body(request), idempotent=True)
        return [AssetMaterializationInfo.model_validate(m) for m in found]

    def read_asset_lineage(self, key: str) -> list[tuple[str, str]]:
        return [(up, down) for up, down in self._call("GET", "assets/key/lineage", params={"key": key})]

    def delete_asset(self, key: str) -> None:
        self._call("DELETE", "assets/key", params={"key": key})


class BlockRequests(RequestBase):
    """Block types, schemas and documents (`server/api/blocks.py`)."""

    def create_block_type(self, body: BlockTypeCreate) -> BlockType:
        return BlockType.model_validate(self._call("POST", "block_types/", dump_body(body)))

    def read_block_type(self, block_type_id: str) -> BlockType:
        return BlockType.model_validate(self._call("GET", f"block_types/{path_segment(block_type_id)}"))

    def read_block_type_by_slug(self, slug: str) -> BlockType:
        return BlockType.model_validate(self._call("GET", f"block_types/slug/{path_segment(slug)}"))

    def filter_block_types(self, request: BlockTypeFilterRequest) -> list[BlockType]:
        return [BlockType.model_validate(t) for t in self._call("POST", "block_types/filter", dump_body(request), idempotent=True)]

    def update_block_type(self, block_type_id: str, body: BlockTypeUpdate) -> BlockType:
        self._call("PATCH", f"block_types/{path_segment(block_type_id)}", dump_body(body, exclude_unset=True))
        return self.read_block_type(block_type_id)

    def delete_block_type(self, block_type_id: str) -> None:
        self._call("DELETE", f"block_types/{path_segment(block_type_id)}")

    def create_block_schema(self, body: BlockSchemaCreate) -> BlockSchema:
        return BlockSchema.model_validate(self._call("POST", "block_schemas/", dump_body(body)))

    def read_block_schema(self, block_schema_id: str) -> BlockSchema:
        return BlockSchema.model_validate(self._call("GET", f"block_schemas/{path_segment(block_schema_id)}"))

    def read_block_schema_by_checksum(self, checksum: str, version: str | None = None) -> BlockSchema:
        params = {"version": version} if version is not None else None
        return BlockSchema.model_validate(self._call("GET", f"block_schemas/checksum/{path_segment(checksum)}",
                                                     params=params))

    def filter_block_schemas(self, request: BlockSchemaFilterRequest) -> list[BlockSchema]:
        return [BlockSchema.model_validate(s) for s in self._call("POST", "block_schemas/filter", dump_body(request), idempotent=True)]

    def delete_block_schema(self, block_schema_id: str) -> None:
        self._call("DELETE", f"block_schemas/{path_segment(block_schema_id)}")

    def create_block_document(self, body: BlockDocumentCreate) -> BlockDocument:
        return BlockDocument.model_validate(self._call("POST", "block_documents/", dump_body(body)))

    def read_block_document(self, block_document_id: str, include_secrets: bool = False) -> BlockDocument:
        return BlockDocument.model_validate(self._call("GET", f"block_documents/{path_segment(block_document_id)}",
                                                       params=secrets_params(include_secrets)))

    def read_block_document_by_name(self, slug: str, name: str, include_secrets: bool = False) -> BlockDocument:
        from headwater.core.block_schemas import check_block_name

        try:  # a name no document can have would not reach the route as one path segment
            check_block_name(name)
            check_block_name(slug, "Block type slug")
        except ValueError:
            raise ObjectNotFound(f"no block document named {name!r} of block type {slug!r}") from None
        path = f"block_types/slug/{path_segment(slug)}/block_documents/name/{path_segment(name)}"
        return BlockDocument.model_validate(self._call("GET", path, params=secrets_params(include_secrets)))

    def filter_block_documents(self, request: BlockDocumentFilterRequest) -> list[BlockDocument]:
        return [BlockDocument.model_validate(d) for d in self._call("POST", "block_documents/filter",
                                                                    dump_body(request), idempotent=True)]

    def count_block_documents(self, request: BlockDocumentCount) -> int:
        return int(self._call("POST", "block_documents/count", dump_body(request), idempotent=True))

    def update_block_document(self, block_document_id: str, body: BlockDocumentUpdate) -> None:
        self._call("PATCH", f"block_documents/{path_segment(block_document_id)}", dump_body(body))

    def delete_block_document(self, block_document_id: str) -> None:
        self._call("DELETE", f"block_documents/{path_segment(block_document_id)}")
