"""Everything a person or a script reads (DESIGN §5, §7).

- `rows`: every row shape (the JSON keys and CSV columns of §5), defined once;
- `output`: the ONE output path: table, csv or json, to stdout or a private file
  (`--output`), streamed for exports of any size;
- `console`: Rich consoles, tables, zone badges and load bars; plain aligned text
  when stdout is not a terminal; messages and progress on stderr;
- `numbers`: figures as people read them (load % rounded down, exact numbers);
- `views`: the tables and documents of the zone review, plans, a worker and a case;
- `report`: the nightly report as a terminal page, Markdown or HTML.

Nothing here reads the database or decides anything: it is handed plain values.
"""
