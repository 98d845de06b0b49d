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

    try:
        if sys.stdout is None:
            sys.stdout = _Closed()
        if sys.stderr is None:
            sys.stderr = open(os.devnull, "w", encoding="utf-8")
        if sys.stdin is None:  # nobody to answer a question: as without a terminal (--yes needed)
            sys.stdin = open(os.devnull, encoding="utf-8")
        with _interrupts_held():
            from caseload.cli import main as command_line
        _stop_as_interrupted()
        command_line()
    except KeyboardInterrupt:
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP): nowhere to say it
            sys.stderr.write(f"error: {interrupted_words()}\n")
        raise SystemExit(interrupted_code()) from None


_STOPPED_BY: list[int] = []  # the signal `_stop_as_interrupted` turned into an interrupt


def _stop_as_interrupted() -> None:
    """SIGTERM (`timeout`, systemd, a shutdown) and SIGHUP (a closed terminal) end a command
    as Ctrl-C does: its transaction rolled back, the files it was making removed (an
    upgrade's copy of the database among them), one line said, exit 128 + the signal. Left
    at the default they killed the process where it stood, and every nightly job `timeout`
    stopped during an upgrade left another full copy of the team's data. A signal the
    process was started ignoring (`nohup`) stays ignored."""
    import signal

    def stop(signum, frame):
        _STOPPED_BY.append(signum)
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)  # no SIGHUP on Windows
        if number is not None and signal.getsignal(number) == signal.SIG_DFL:
            signal.signal(number, stop)


def interrupted_words(changed: bool = False, upgrades: tuple[str, ...] = ()) -> str:
    """What an interrupted command says: by Ctrl-C, or by the signal that stopped it; and
    what it had saved by then (`cli._interrupted`): its change (`changed`: committed, only
    the words after it were cut), or only the upgrade of the file before the command."""
    how = "interrupted"
    if _STOPPED_BY:
        import signal

        how = f"stopped by {signal.Signals(_STOPPED_BY[0]).name}"
    if changed:
        return f"{how} after its change was saved: the change is done"
    if upgrades:
        return f"{how}; the command changed nothing (its database was upgraded first: {'; '.join(upgrades)})"
    return f"{how}; nothing was changed"


def stopped() -> bool:
    """Whether SIGTERM or SIGHUP has asked this process to stop (`_stop_as_interrupted`):
    an interrupt that is not Ctrl-C, which the pager must not swallow, nor a prompt take
    for a "no"."""
    return bool(_STOPPED_BY)


def interrupted_code() -> int:
    """130 after Ctrl-C, 128 + the signal's number after SIGTERM (143) or SIGHUP (129)."""
    return 128 + _STOPPED_BY[0] if _STOPPED_BY else 130


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
