"""The task list's merge rule: of two states of one task, the owner's higher sequence wins."""

from connector_contracts import TaskChanged


def newest_task_state(current: TaskChanged | None, incoming: TaskChanged) -> TaskChanged:
    """The state to keep. An equal sequence is the same state delivered again: keep the one
    held, so a redelivery changes nothing."""
    if current is None or incoming.sequence > current.sequence:
        return incoming
    return current
