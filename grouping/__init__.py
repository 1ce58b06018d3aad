"""The DRG/DAGS grouper (NordDRG-family, table-driven). Built under issue 4."""
