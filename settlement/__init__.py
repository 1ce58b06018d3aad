"""KMF and full financing: items, statements on the timetable, caps, reconciliation, explanations."""
