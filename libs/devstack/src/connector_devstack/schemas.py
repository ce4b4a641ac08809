"""Generated documents kept in the repo: JSON Schema per message, AsyncAPI and a Grafana
dashboard per service."""

import importlib
import inspect
import json
from pathlib import Path
from typing import Any

from connector_contracts import EVENT_TYPES, Envelope
from connector_runtime.service import ServiceSpec, asyncapi_document, create_service_app
from connector_runtime.settings import ServiceSettings
from gateway.core.public_openapi import public_openapi

from connector_devstack.dashboards import service_dashboards
from connector_devstack.services import SERVICES

# Documents describe the production shape: no test prefix, a symbolic bootstrap server.
_DOC_ENV = {"topic_prefix": "", "kafka_bootstrap_servers": "kafka:9092"}


def _dump(document: Any) -> str:
    return json.dumps(document, indent=2, sort_keys=True, default=str) + "\n"


def message_schemas() -> dict[str, str]:
    """JSON Schema of every message envelope, by file name."""
    return {
        f"{name}.v{event.VERSION}.json": _dump(Envelope[event].model_json_schema())  # type: ignore[valid-type]
        for name, event in sorted(EVENT_TYPES.items())
    }


def service_spec(module: str) -> tuple[ServiceSpec, ServiceSettings]:
    """Build a service's spec with documentation settings, from its `app.build_spec`."""
    app = importlib.import_module(f"{module}.app")
    settings_type = inspect.signature(app.build_spec).parameters["settings"].annotation
    # Constructed unvalidated: documents depend on neither the environment nor its secrets.
    settings: ServiceSettings = settings_type.model_construct(**_DOC_ENV)
    spec: ServiceSpec = app.build_spec(settings)
    return spec, settings


def generated_files(root: Path) -> dict[Path, str]:
    """Every generated file with its expected content."""
    files = {root / "libs/contracts/schemas" / n: s for n, s in message_schemas().items()}
    openapi = {}
    for definition in SERVICES:
        spec, settings = service_spec(definition.module)
        path = root / "services" / definition.name / "asyncapi.json"
        files[path] = _dump(asyncapi_document(spec, settings))
        # Built, not started: the document needs the routes, not the database.
        openapi[definition.name] = create_service_app(spec, settings).openapi()
    gateway = openapi.pop("gateway")
    files[root / "services/gateway/console/openapi.json"] = _dump(public_openapi(gateway, openapi))
    dashboards = service_dashboards([s.name for s in SERVICES])
    files.update({root / "deploy/grafana" / n: text for n, text in dashboards.items()})
    return files


def write_schemas(root: Path, *, check: bool = False) -> list[str]:
    """Write (or with `check`, compare) the generated files; return the stale ones."""
    stale = []
    for path, content in generated_files(root).items():
        if path.exists() and path.read_text() == content:
            continue
        stale.append(str(path.relative_to(root)))
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
    if not check:
        return []
    return stale
