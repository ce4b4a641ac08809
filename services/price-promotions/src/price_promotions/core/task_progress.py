"""When a pricing task's progress is worth telling the task list: products finish one by one
(each its own sync), so the task speaks at its start, at every twentieth of the way and at
its end, never once per product."""

PROGRESS_STEPS = 20


def progress_worth_telling(finished: int, total: int) -> bool:
    """Whether `finished` of `total` items is a step to announce (the last one always is)."""
    if finished >= total:
        return True
    step = max(1, total // PROGRESS_STEPS)
    return finished % step == 0
