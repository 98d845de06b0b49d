"""caseload: weighted caseloads, fair allocation and zone reviews over one SQLite file."""

__version__ = "0.1.0"
