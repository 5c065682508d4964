"""A custom Block with a nested block, a SecretStr and a SecretDict: slug from the class
name, masked repr, saved and loaded back by class and by slug (Prefect API:
prefect.blocks.core.Block, prefect.blocks.fields.SecretDict)."""
from pydantic import SecretStr

from prefect.blocks.core import Block
from prefect.blocks.fields import SecretDict


class Endpoint(Block):
    url: str = "http://localhost"
    token: SecretStr


class WarehouseConfig(Block):
    """Where the warehouse is."""

    host: str
    port: int = 5432
    password: SecretStr
    options: SecretDict = SecretDict({})
    endpoint: Endpoint


print(WarehouseConfig.get_block_type_slug(), Endpoint.get_block_type_slug())
config = WarehouseConfig(host="db.local", password="pw", options={"ssl": {"mode": "require"}},
                         endpoint=Endpoint(url="http://api", token="tok"))
print(repr(config))
schema = WarehouseConfig.model_json_schema()
print(schema["secret_fields"], schema["block_type_slug"], schema["description"])
config.save("prod")

loaded = WarehouseConfig.load("prod")
print(repr(loaded))
print(loaded.password.get_secret_value(), loaded.options.get_secret_value(), loaded.endpoint.token.get_secret_value())
print(type(loaded.endpoint).__name__, loaded.endpoint.url)

by_slug = Block.load("warehouseconfig/prod")
print(type(by_slug).__name__, by_slug.host, by_slug.port)

loaded.port = 6543
loaded.save("prod", overwrite=True)
print(WarehouseConfig.load("prod").port)
