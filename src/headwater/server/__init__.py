"""The headwater server: REST API, background services and docs on one port.

`create_app(settings)` builds the ASGI app; `headwater server start` (cli/server.py)
serves it with uvicorn (`headwater.server.launcher.serve`). The engine never imports
this package: it reaches the server over HTTP (`headwater.orchestrator.http`).
"""

from __future__ import annotations

from headwater.server.app import create_app

__all__ = ["create_app"]
