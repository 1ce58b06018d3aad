"""lprflow: the LPR3 data model, reference data and Spark plumbing shared by every job."""

__version__ = "0.1.0"
