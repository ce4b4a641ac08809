"""gateway subscribers: the connection replica, the read models of the Home dashboard and
the task list (orders themselves are served by order-relay's API), and email notifications."""

from connector_connections import track_connections, track_shop_redaction
from connector_contracts import Envelope, TaskChanged
from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects

from gateway.home_handlers import forget, purge_connection, track_home
from gateway.notifications import track_notifications
from gateway.settings import GatewaySettings
from gateway.task_list import apply_task_changed


def build_events(settings: GatewaySettings) -> EventRouter:
    """The gateway's subscriptions (email notifications ride on them, ADR 0830)."""
    events = track_shop_redaction(
        track_home(track_connections(EventRouter(), purge_connection)), forget
    )

    @events.on(TaskChanged)
    async def on_task_changed(envelope: Envelope[TaskChanged], fx: Effects) -> None:
        """Keep the task's newest state in the task list."""
        await apply_task_changed(fx.conn, envelope)

    return track_notifications(events, settings)
