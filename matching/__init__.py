"""Matching a region's own contacts against the national DRG data (`lprflow match`, docs/MATCHING.md)."""
