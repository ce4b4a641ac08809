"""The gateway's HTTP API: webhooks in, merchant/operator REST API."""
