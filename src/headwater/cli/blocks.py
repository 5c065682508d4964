"""`headwater block ls|inspect|delete|register`, `block type ls|inspect` (Prefect's
`prefect block` verbs) and `block key rotate` (headwater's: encrypt every stored
secret with a new key).

Reads go through the client's transport (`cli/_control.py`), embedded or against a
server; secret values are always shown masked. `key rotate` works on the database
itself, where the key is.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from headwater.cli._output import OutputFormat, format_time, print_error, print_json, print_rich

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.blocks.core import Block
    from headwater.core.block_schemas import BlockDocument

__all__ = ["app"]

app = typer.Typer(name="block", help="Manage blocks: typed configuration and credentials saved by name.",
                  no_args_is_help=True)
type_app = typer.Typer(name="type", help="Block types: the kinds of block known to the server.",
                       no_args_is_help=True)
key_app = typer.Typer(name="key", help="The key that encrypts secret block fields.", no_args_is_help=True)
app.add_typer(type_app, name="type")
app.add_typer(key_app, name="key")

OutputOption = Annotated[OutputFormat, typer.Option("--output", "-o", help="table or json.")]
SlugArgument = Annotated[Optional[str], typer.Argument(
    metavar="SLUG", help="The block's slug: 'block-type-slug/block-name'.")]
IdOption = Annotated[Optional[str], typer.Option("--id", help="The block document's id, instead of SLUG.")]


def _fail(message: str) -> typer.Exit:
    print_error(message)
    return typer.Exit(code=1)


def _read(control: Transport, slug: str | None, block_id: str | None) -> BlockDocument:
    from headwater.exceptions import ObjectNotFound

    if (slug is None) == (block_id is None):
        raise _fail("Give a block slug ('block-type-slug/block-name') or --id, not both.")
    try:
        if block_id is not None:
            return control.read_block_document(block_id)
        assert slug is not None
        type_slug, sep, name = slug.partition("/")
        if not sep or not type_slug or not name:
            raise _fail(f"{slug!r} is not a block slug: use 'block-type-slug/block-name' (see `headwater block ls`).")
        return control.read_block_document_by_name(type_slug, name)
    except ObjectNotFound:
        raise _fail(f"Block {slug or block_id!r} not found. List the blocks with `headwater block ls`.") from None


def _document_json(document: BlockDocument) -> dict[str, Any]:
    shown = document.model_dump(mode="json", exclude={"block_schema"})
    shown["block_type_slug"] = document.block_type.slug if document.block_type else None
    return shown


@app.command("ls")
def list_blocks(output: OutputOption = OutputFormat.table) -> None:
    """List the saved blocks (secret values are never shown)."""
    from headwater.cli._control import open_control
    from headwater.core.block_schemas import BlockDocumentFilterRequest

    with open_control() as control:
        found = control.filter_block_documents(BlockDocumentFilterRequest())
    if output is OutputFormat.json:
        print_json([_document_json(d) for d in found])
        return
    if not found:
        typer.echo("No blocks. Save one from Python: `MyBlock(...).save('name')`.")
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("ID", "TYPE", "NAME", "SLUG", "UPDATED"):
        table.add_column(column, no_wrap=True)
    for d in found:
        slug = d.block_type.slug if d.block_type else "?"
        table.add_row(d.id, d.block_type_name or slug, d.name or "", f"{slug}/{d.name}", format_time(d.updated))
    print_rich(table)


@app.command("inspect")
def inspect_block(slug: SlugArgument = None, block_id: IdOption = None,
                  output: OutputOption = OutputFormat.table) -> None:
    """Show a block: its type and values, secrets masked."""
    from headwater.cli._control import open_control

    with open_control() as control:
        document = _read(control, slug, block_id)
    if output is OutputFormat.json:
        print_json(_document_json(document))
        return
    from rich.pretty import Pretty
    from rich.table import Table

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    slug_text = document.block_type.slug if document.block_type else "?"
    for label, value in (("Id", document.id), ("Name", document.name or ""), ("Type", document.block_type_name),
                         ("Slug", f"{slug_text}/{document.name}"), ("Created", format_time(document.created)),
                         ("Updated", format_time(document.updated))):
        table.add_row(label, str(value))
    table.add_row("Data", Pretty(document.data))
    print_rich(table)


@app.command("delete")
def delete_block(slug: SlugArgument = None, block_id: IdOption = None) -> None:
    """Delete a block."""
    from headwater.cli._control import open_control

    with open_control() as control:
        document = _read(control, slug, block_id)
        control.delete_block_document(document.id)
    typer.echo(f"Deleted block {slug or block_id!r}.")


@type_app.command("ls")
def list_block_types(output: OutputOption = OutputFormat.table) -> None:
    """List the block types."""
    from headwater.cli._control import open_control
    from headwater.core.block_schemas import BlockTypeFilterRequest

    with open_control() as control:
        found = control.filter_block_types(BlockTypeFilterRequest())
    if output is OutputFormat.json:
        print_json([t.model_dump(mode="json") for t in found])
        return
    if not found:
        typer.echo("No block types. Register some with `headwater block register -m MODULE`.")
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("SLUG", "NAME", "DESCRIPTION"):
        table.add_column(column, no_wrap=column != "DESCRIPTION", max_width=60 if column == "DESCRIPTION" else None)
    for t in found:
        table.add_row(t.slug, t.name, (t.description or "").splitlines()[0] if t.description else "")
    print_rich(table)


@type_app.command("inspect")
def inspect_block_type(slug: Annotated[str, typer.Argument(metavar="SLUG", help="The block type's slug.")],
                       output: OutputOption = OutputFormat.table) -> None:
    """Show a block type and its newest schema's fields."""
    from headwater.cli._control import open_control
    from headwater.core.block_schemas import BlockSchemaFilterRequest
    from headwater.exceptions import ObjectNotFound

    with open_control() as control:
        try:
            block_type = control.read_block_type_by_slug(slug)
        except ObjectNotFound:
            raise _fail(f"Block type {slug!r} not found. List them with `headwater block type ls`.") from None
        schemas = control.filter_block_schemas(BlockSchemaFilterRequest.model_validate(
            {"block_schemas": {"block_type_id": {"any_": [block_type.id]}}, "limit": 1}))
    shown = block_type.model_dump(mode="json")
    shown["schema"] = schemas[0].fields if schemas else None
    if output is OutputFormat.json:
        print_json(shown)
        return
    from rich.table import Table

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for label in ("slug", "name", "description", "documentation_url"):
        table.add_row(label.replace("_", " ").capitalize(), str(shown.get(label) or ""))
    properties = (schemas[0].fields.get("properties") or {}) if schemas else {}
    secret = set(schemas[0].secret_fields) if schemas else set()
    table.add_row("Fields", ", ".join(f"{n} (secret)" if n in secret else n for n in properties) or "-")
    print_rich(table)


def _load_file(path: Path) -> Any:
    if not path.is_file():
        raise _fail(f"{path} is not a file: give the Python file that defines the block classes.")
    name = path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise _fail(f"{path} cannot be loaded as a Python module.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(path.resolve().parent))
    spec.loader.exec_module(module)
    return module


def _block_classes(module: Any) -> list[type[Block]]:
    from headwater.blocks.core import Block

    return [value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Block) and value.__module__ == module.__name__
            and not inspect.isabstract(value) and value.__pydantic_generic_metadata__.get("origin") is None
            and value.model_fields]


@app.command("register")
def register_blocks(
    module_name: Annotated[Optional[str], typer.Option("--module", "-m", help="A module defining blocks.")] = None,
    file_path: Annotated[Optional[Path], typer.Option("--file", "-f", help="A Python file defining blocks.")] = None,
) -> None:
    """Register the block types (and schemas) a module or file defines."""
    from headwater.client.kept import kept_client

    if (module_name is None) == (file_path is None):
        raise _fail("Give a module (-m package.module) or a file (-f path/to/blocks.py), not both.")
    try:
        module = importlib.import_module(module_name) if module_name else _load_file(file_path)  # type: ignore[arg-type]  # exactly one of the two is given (checked above)
    except ImportError as exc:
        raise _fail(f"Cannot import {module_name!r}: {exc}. Is it installed, or on the Python path?") from None
    classes = _block_classes(module)
    if not classes:
        raise _fail(f"No block classes found in {module_name or file_path}.")
    client = kept_client()
    for cls in classes:
        cls._register(client)
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("REGISTERED BLOCKS")
    table.add_column("SLUG")
    for cls in classes:
        table.add_row(cls.get_block_type_name(), cls.get_block_type_slug())
    print_rich(table)
    typer.echo(f"Successfully registered {len(classes)} block{'s' if len(classes) != 1 else ''}")


@key_app.command("rotate")
def rotate_key() -> None:
    """Encrypt every stored secret again with a new key, in one transaction.

    With the key file ($HEADWATER_HOME/secret.key) a new key is made and replaces it;
    with HEADWATER_SECRET_KEY the secrets are encrypted with its first key (put the new
    key first, rotate, then drop the old one).
    """
    from headwater.cli._control import open_database
    from headwater.core.settings import get_settings
    from headwater.operations.block_secrets import rotate_key as rotate

    with open_database() as store:
        count, where = rotate(store, get_settings())
    typer.echo(f"Encrypted the secrets of {count} block document{'s' if count != 1 else ''} with the new key "
               f"({where}).")
