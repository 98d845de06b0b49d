"""Pure logic of caseload: no I/O, no SQL, no Rich, no Typer.

Every module here takes plain values (dataclasses, dicts, Fractions, dates) and
returns plain values. The store executes what the domain decides; the commands
render it.
"""
