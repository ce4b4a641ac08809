"""The whole connector on one machine: infrastructure plus every service, with merged logs."""

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from connector_devstack.infra import Infra, start_infra
from connector_devstack.mailbox import Mailbox
from connector_devstack.ports import free_port
from connector_devstack.sandboxes import Sandboxes, start_sandboxes
from connector_devstack.services import SERVICES, ServiceDef, ServiceProcess
from connector_devstack.wiring import reserve_ports, stack_env


def _port_or_free(preferred: int) -> int:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
        except OSError:
            return free_port()
    return preferred


@dataclass
class Stack:
    """Running infrastructure and service processes; `stop()` ends them all."""

    infra: Infra
    sandboxes: Sandboxes
    mailbox: Mailbox
    services: dict[str, ServiceProcess] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop services (SIGTERM, in reverse start order), then sandboxes and infrastructure."""
        for proc in reversed(list(self.services.values())):
            proc.stop()
        self.sandboxes.stop()
        self.mailbox.stop()
        self.infra.stop(drop_database=False)


def start_stack(
    *,
    log_sink: IO[str] | None = sys.stdout,
    log_dir: Path | None = None,
    only: Sequence[str] | None = None,
    extra_env: dict[str, str] | None = None,
    mail_dir: Path | None = None,
) -> Stack:
    """Start the broker, PostgreSQL, topics, sandboxes, the local SMTP server (its mail written to
    `mail_dir`, else `log_dir`, as .eml files when given) and the services; wait until all are ready."""
    infra = start_infra(
        isolated=False, broker_port=_port_or_free(19092), pg_port=_port_or_free(15432)
    )
    try:
        sandboxes = start_sandboxes()
    except BaseException:
        infra.stop(drop_database=False)
        raise
    stack = Stack(infra, sandboxes, Mailbox(mail_dir or log_dir))
    try:
        stack.mailbox.start()
        ports = reserve_ports(lambda d: _port_or_free(d.port))
        env = {
            **stack_env(infra, sandboxes, ports),
            **stack.mailbox.smtp_env(),
            "LOG_FORMAT": "console",
            **(extra_env or {}),
        }
        for definition in SERVICES:
            if only and definition.name not in only:
                continue
            stack.services[definition.name] = _start(
                definition, ports[definition.name], log_sink, log_dir, env
            )
        for proc in stack.services.values():
            proc.wait_ready()
        if "gateway" in stack.services:
            sandboxes.point_tiktok_webhooks_at(f"{stack.services['gateway'].url}/webhooks/tiktok")
    except BaseException:
        stack.stop()
        raise
    return stack


def _start(
    definition: ServiceDef,
    port: int,
    log_sink: IO[str] | None,
    log_dir: Path | None,
    env: dict[str, str],
) -> ServiceProcess:
    proc = ServiceProcess(
        definition,
        env=env,
        port=port,
        log_sink=log_sink,
        log_file=(log_dir / f"{definition.name}.log") if log_dir else None,
    )
    proc.start(wait=False)
    return proc
