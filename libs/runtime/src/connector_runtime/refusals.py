"""Requests a service understands but cannot carry out until the merchant sets something up.

Raised deep in a route (e.g. a platform client asked for a connection whose TikTok shop is not
authorized yet), answered 409 with the reason instead of a 500 and a traceback.
"""


class SetupIncomplete(Exception):
    """The request is well formed; the merchant's setup does not allow it yet (the reason says
    what to do)."""
