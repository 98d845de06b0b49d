"""Use cases, one module each (DESIGN §7): review, report, assign, handover, rebalance,
intake, demo, team.

Each takes the open database (inside the caller's transaction) and plain values,
reads what it needs once, asks the domain to decide and hands the store a plan. No
Typer, no Rich, no output: the command prints what a use case returns.
"""
