"""Validation: the authority's business-rule catalogue, the rule engine and the GX suites."""
