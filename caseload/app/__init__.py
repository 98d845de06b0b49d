"""Use cases, one module each (DESIGN §7): review, report, assign, handover, rebalance,
intake, demo, team.

A use case takes the open database and plain values (the session's config, today,
actor and time among them), opens the one transaction of its command
(`store.connection`), reads what it needs once, asks the domain to decide and hands the
store a plan, all inside it. No Typer, no Rich, no output: the command prints what a use
case returns, or what it hands to a callback inside the transaction (a plan shown
before it runs, a report written before `--record` commits). Helpers that work inside
a transaction already open (`plan`, `gather`, ...) say so in their docstrings.

Writes: `casework` (note, review, update, close, reopen), `team` (worker add, edit,
absent, leave, left, reduce), `team_import`, `taking_in` (intake), `assign`,
`handover` (handover, return, cover, reassign), `rebalance`, `review` (zone review
--record), `reporting` (report --record), `demo`. Reads: `cases`, `team`, `forecast`,
`reporting` (export), `database` (backup, doctor).
"""
