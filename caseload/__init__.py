"""caseload: weighted caseloads, fair allocation and zone reviews over one SQLite file."""

import contextlib

__version__ = "0.1.0"


def main() -> None:
    """The `caseload` script and `python -m caseload`: the command line (`caseload.cli`),
    quiet from its first instant. Ctrl-C while the libraries are still loading (before the
    command line's own edge can catch it) exits 130 with one line, not a traceback (one that
    lands while Typer reads the commands' annotations passes through eval(), after which
    Python 3.11 ends the process as killed by SIGINT: the shell's $? is 130 all the same). A
    standard output that was closed (`>&-`) fails as a full device does, when something is
    written to it ("could not write the output", exit 1: a report must not vanish quietly);
    a closed standard error is taken as /dev/null (there is nowhere else to say anything),
    a closed standard input as an empty one (a change that asks first then needs --yes)."""
    import os
    import sys

    from caseload.interrupts import interrupted_code, interrupted_words, stop_as_interrupted

    try:
        if sys.stdout is None:
            sys.stdout = _Closed()
        if sys.stderr is None:
            sys.stderr = open(os.devnull, "w", encoding="utf-8")
        if sys.stdin is None:  # nobody to answer a question: as without a terminal (--yes needed)
            sys.stdin = open(os.devnull, encoding="utf-8")
        with _interrupts_held():
            from caseload.cli import main as command_line
        stop_as_interrupted()
        command_line()
    except KeyboardInterrupt:
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP): nowhere to say it
            sys.stderr.write(f"error: {interrupted_words()}\n")
        raise SystemExit(interrupted_code()) from None


@contextlib.contextmanager
def _interrupts_held():
    """Ctrl-C while the libraries load is held back until they have (where the system can
    hold a signal; not on Windows): an interrupt inside the import machinery can be lost
    ("Exception ignored in ... cb") and the command then runs on as if nobody had pressed it."""
    import signal

    hold = getattr(signal, "pthread_sigmask", None)
    if hold is None:
        yield
        return
    hold(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        hold(signal.SIG_UNBLOCK, {signal.SIGINT})


class _Closed:
    """The standard output of a process started with it closed: writing to it fails."""

    def write(self, text: str) -> int:
        import errno

        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False
