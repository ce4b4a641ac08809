"""connector_runtime package."""
