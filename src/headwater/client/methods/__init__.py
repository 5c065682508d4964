"""The client's methods by area, each a class `SyncPrefectClient` is composed of."""
