"""Endpoint groups of the client, one module per API area (products, orders, ...)."""
