"""Business-rule implementations, one module per family of object types."""
