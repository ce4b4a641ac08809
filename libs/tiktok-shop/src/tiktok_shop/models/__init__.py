"""Typed request/response models of the TikTok Shop Open API (ids `str`, money `Decimal`)."""
