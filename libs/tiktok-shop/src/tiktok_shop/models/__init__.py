"""Typed request and response models of the TikTok Shop Open API (ids are `str`, money `Decimal`)."""
