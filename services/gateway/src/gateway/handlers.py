"""gateway subscribers: the connection replica and the read models of the Home dashboard and
the task list (orders themselves are served by order-relay's API)."""

from connector_connections import track_connections, track_shop_redaction
from connector_contracts import Envelope, TaskChanged
from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects

from gateway.home_handlers import forget, track_home
from gateway.task_list import apply_task_changed


def build_events() -> EventRouter:
    """The gateway's subscriptions."""
    events = track_shop_redaction(track_home(track_connections(EventRouter())), forget)

    @events.on(TaskChanged)
    async def on_task_changed(envelope: Envelope[TaskChanged], fx: Effects) -> None:
        """Keep the task's newest state in the task list."""
        await apply_task_changed(fx.conn, envelope)

    return events
