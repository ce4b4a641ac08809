"""connector_devstack package."""
