"""The only place with SQL.

`connection` opens the file (0600, WAL, foreign keys, busy timeout) and gives one
`BEGIN IMMEDIATE` transaction per command; `migrations` holds the numbered schema
steps on `PRAGMA user_version`; the other modules are the queries of one entity
each, turning rows into the domain's dataclasses and back.
"""
