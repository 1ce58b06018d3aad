"""The synthetic LPR3 register: a Spark-native, seeded region-year generator with ground truth."""
