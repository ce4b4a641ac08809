"""HTTP routes of the simulated Open API, one module per area, plus the control plane."""
