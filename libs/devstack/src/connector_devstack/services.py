"""The connector's processes as the stack runs them: module, default port, health URL."""

import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
from connector_contracts import EVENT_TYPES

from connector_devstack.processes import kill, spawn, stop


@dataclass(frozen=True)
class ServiceDef:
    """How to run one service."""

    name: str
    module: str
    port: int


SERVICES = (
    ServiceDef("gateway", "gateway", 8000),
    ServiceDef("catalog-sync", "catalog_sync", 8001),
    ServiceDef("order-relay", "order_relay", 8002),
    ServiceDef("inventory-guard", "inventory_guard", 8003),
    ServiceDef("price-promotions", "price_promotions", 8004),
)


def topics_for(prefix: str) -> list[str]:
    """Every topic the connector uses: one per message type, one dead-letter per service."""
    names = [f"{prefix}{t}" for t in sorted({e.topic() for e in EVENT_TYPES.values()})]
    return names + [f"{prefix}{s.name}.dead-letter" for s in SERVICES]


# How long a starting service may take to answer /readyz (migrations, broker, consumers).
READY_SECONDS = 60.0


@dataclass
class ServiceProcess:
    """One running service process, its log pump and its HTTP base URL."""

    definition: ServiceDef
    env: Mapping[str, str]
    port: int
    log_sink: IO[str] | None = None
    log_file: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    _pump: threading.Thread | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Base URL of the service's HTTP API."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: bool = True, timeout: float = READY_SECONDS) -> None:
        """Start the process and, by default, wait until /readyz answers 200."""
        env = {**os.environ, **self.env, "HTTP_PORT": str(self.port)}
        self.process = spawn([sys.executable, "-m", self.definition.module], env=env)
        self.starts += 1
        self._pump = threading.Thread(target=self._pump_logs, args=(self.process,), daemon=True)
        self._pump.start()
        if wait:
            self.wait_ready(timeout)

    def wait_ready(self, timeout: float = READY_SECONDS) -> None:
        """Poll /readyz until it answers 200 or the process dies."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.definition.name} exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.definition.name} not ready after {timeout}s")

    def kill(self) -> None:
        """SIGKILL the process (crash simulation)."""
        if self.process is not None:
            kill(self.process)

    def stop(self) -> int:
        """SIGTERM the process and wait for a clean exit; return its exit code."""
        code = stop(self.process) if self.process is not None else 0
        if self._pump is not None:
            self._pump.join(timeout=5)
        return code

    def _pump_logs(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        file = self.log_file.open("a") if self.log_file else None
        try:
            for raw in proc.stdout:
                line = raw.decode(errors="replace").rstrip()
                if file:
                    file.write(line + "\n")
                    file.flush()
                if self.log_sink:
                    self.log_sink.write(f"{self.definition.name:>16} | {line}\n")
                    self.log_sink.flush()
        finally:
            if file:
                file.close()
