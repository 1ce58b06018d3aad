"""Versioned parameters (YAML), shipped inside the installed package; see `lprflow.config`."""
