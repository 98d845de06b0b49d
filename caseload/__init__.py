"""caseload: weighted caseloads, fair allocation and zone reviews over one SQLite file."""

__version__ = "0.1.0"


def main() -> None:
    """The `caseload` script and `python -m caseload`: the command line (`caseload.cli`),
    quiet from its first instant. Ctrl-C while the libraries are still loading (before the
    command line's own edge can catch it) exits 130 with one line, not a traceback; a
    standard output or error that was closed (`>&-`) is taken as /dev/null, as if the
    output had been thrown away, rather than failing as a bug when it is written."""
    import os
    import sys

    try:
        for name in ("stdout", "stderr"):
            if getattr(sys, name) is None:
                setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))
        from caseload.cli import main as command_line

        command_line()
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted; nothing was changed\n")
        raise SystemExit(130) from None
