"""Secret blocks: save, load, get() for a string and a JSON value, the masked repr,
overwrite and delete (Prefect API: prefect.blocks.system.Secret)."""
from prefect.blocks.system import Secret

secret = Secret(value="sk-1234567890")
print(repr(secret))
print("sk-1234567890" in str(secret))
print(type(secret.save("api-key")).__name__)
print(Secret.load("api-key").get())

Secret(value={"username": "johndoe", "password": "s3cr3t"}).save("login")
print(Secret.load("login").get())

Secret(value='{"parsed": 1}').save("json-text")
print(Secret.load("json-text").get())

try:
    Secret(value="other").save("api-key")
except ValueError as exc:
    print("ValueError:", exc)

Secret(value="rotated").save("api-key", overwrite=True)
print(Secret.load("api-key").get())
print(Secret.get_block_type_slug(), Secret.get_block_type_name())

Secret.delete("api-key")
try:
    Secret.load("api-key")
except ValueError as exc:
    print("ValueError:", exc)
