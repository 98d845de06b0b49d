"""Interrupts (DESIGN §9): Ctrl-C, and SIGTERM and SIGHUP made to act like it, each said in
one line with the exit code a shell expects; what the line says depends on what had been
saved by then (`cli._interrupted`). Installed by `caseload.main` once the libraries have
loaded; the tests' in-process command line never installs them."""

from __future__ import annotations

_STOPPED_BY: list[int] = []  # the signal `stop_as_interrupted` turned into an interrupt


def stop_as_interrupted() -> None:
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
    """Whether SIGTERM or SIGHUP has asked this process to stop (`stop_as_interrupted`):
    an interrupt that is not Ctrl-C, which the pager must not swallow, nor a prompt take
    for a "no"."""
    return bool(_STOPPED_BY)


def interrupted_code() -> int:
    """130 after Ctrl-C, 128 + the signal's number after SIGTERM (143) or SIGHUP (129)."""
    return 128 + _STOPPED_BY[0] if _STOPPED_BY else 130
