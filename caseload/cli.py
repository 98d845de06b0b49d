"""The Typer app: global options, the command modules, and the edge where errors
become one line on stderr and an exit code (DESIGN §5).

Exit codes: 0 done; 1 the request cannot be done; 2 bad usage or bad input;
3 a --fail-on threshold was reached. Only this module catches exceptions; the
domain and the store raise the small tree in `caseload.domain.errors`.

Start-up is kept light: nothing is built at import; `main()` builds the app with only
the command module the command line needs (tests call `build_app()`), and nothing
here imports Rich, sqlite-utils or PyYAML: the commands import them when they run.
The session the global options make lives in `caseload.session`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from caseload import __version__
from caseload.interrupts import interrupted_code, interrupted_words, stopped
from caseload.domain.errors import BadInputs, CaseloadError
from caseload.session import APP_NAME, Session, start


class CaseloadGroup(TyperGroup):
    """Runs the app and turns every expected failure into one line and an exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        _flow_help(self)
        _forget_unsaid()  # a process that runs several commands (the tests, in-process) tells each of its own
        try:
            code = super().main(
                args=_globals_first(list(sys.argv[1:] if args is None else args)), prog_name=prog_name,
                complete_var=complete_var, standalone_mode=False, **extra,
            )
            sys.stdout.flush()  # anything still buffered fails here, as one line, not at Python's exit
            if code == 130:  # Typer's own answer to Ctrl-C during a command: say so, as below
                code = _interrupted()
        except typer.TyperException as error:  # Typer's usage errors: bad flags, missing arguments
            if type(error).__name__ == "NoArgsIsHelpError":  # help was printed already
                code = 0
            else:
                ctx = getattr(error, "ctx", None)
                hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
                _fail(f"{_unrepeated(error.format_message())}{hint}")
                code = error.exit_code
        except typer.Abort:  # a question answered by Ctrl-C or end of input; or SIGTERM / SIGHUP meanwhile
            if stopped():
                code = _interrupted()
            else:
                _fail("aborted; nothing was changed")
                code = 1
        except BadInputs as error:
            for problem in error.errors:
                _fail(problem.message)
            _fail(str(error))
            code = error.exit_code
        except CaseloadError as error:
            _fail(str(error))
            code = error.exit_code
        except sqlite3.OperationalError as error:
            _fail(_unusable(error))
            code = 1
        except sqlite3.IntegrityError as error:  # a rule of the schema refused the change: a caseload bug
            _fail(f"unexpected error (a bug in caseload): the database refused the change; nothing was changed; "
                  f"details in {_crash_log(error)}")
            code = 1
        except sqlite3.DatabaseError:
            _fail("the database is damaged: restore it from a backup (`caseload doctor` says where); "
                  "nothing was changed")
            code = 1
        except BrokenPipeError:
            sys.stdout = sys.stderr = open(os.devnull, "w")
            code = 1
        except OSError as error:  # stdout or an --output file on a full or failing device
            sys.stdout = open(os.devnull, "w")
            _fail(f"could not write the output ({error.strerror or type(error).__name__})")
            code = 1
        except KeyboardInterrupt:
            code = _interrupted()
        except Exception as error:  # noqa: BLE001 - the last edge: never a traceback on screen
            _fail(f"unexpected error (a bug in caseload): {type(error).__name__}; nothing was changed; "
                  f"details in {_crash_log(error)}")
            code = 1
        if standalone_mode:
            sys.exit(code if isinstance(code, int) else 0)
        return code


def _flow_help(command) -> None:
    """Each command's help (its docstring) as paragraphs that flow to the terminal's width:
    Typer keeps a docstring's line breaks after its first paragraph, so a help wrapped in
    the source at 90 columns broke in mid-sentence on an 80-column terminal. A line that
    starts a list item (`- `) or an example, or is indented, keeps its own line."""
    import inspect

    for sub in getattr(command, "commands", {}).values():
        _flow_help(sub)
    if not command.help:
        return
    paragraphs = []
    for paragraph in inspect.cleandoc(command.help).split("\n\n"):
        lines = paragraph.split("\n")
        flowed = [lines[0]]
        for line in lines[1:]:
            if line.startswith(("- ", "* ", " ", "\b", "Example:")) or flowed[-1].startswith("\b"):
                flowed.append(line)
            else:
                flowed[-1] += " " + line
        paragraphs.append("\n".join(flowed))
    command.help = "\n\n".join(paragraphs)


GLOBAL_FLAGS = ("--quiet", "-q", "--no-pager")


def _globals_first(args: list[str]) -> list[str]:
    """`--quiet` and `--no-pager` are global options, also taken after the command
    (`caseload report --record --quiet`, as cron lines are written): they are moved before
    it. A token after `--` is an argument, left where it is."""
    end = args.index("--") if "--" in args else len(args)
    moved = [token for token in args[:end] if token in GLOBAL_FLAGS]
    if not moved:
        return args
    return moved + [token for token in args[:end] if token not in GLOBAL_FLAGS] + args[end:]


def _interrupted() -> int:
    """Say what an interrupt (Ctrl-C, SIGTERM, SIGHUP) stopped, by what this process had
    committed and not said (`store.connection.change_saved`, `unsaid_notices`; nothing when
    the store was never loaded); returns the exit code."""
    connection = sys.modules.get("caseload.store.connection")
    changed = connection is not None and connection.change_saved()
    upgrades = connection.unsaid_notices() if connection is not None else ()
    with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP): nowhere to say it
        _fail(interrupted_words(changed, upgrades))
    return interrupted_code()


def _unrepeated(message: str) -> str:
    """Click's usage message, without the words it would repeat of what was typed: extra
    arguments are most often a name, a summary or a note typed without quotes (`note
    C-0001 Maria rang about eviction`), which a message never repeats (DESIGN §6)."""
    if message.startswith("Got unexpected extra argument"):
        return ("Got unexpected extra argument(s), not repeated here (they may be a client's words): "
                'put text with spaces in quotes, as --client "Ann Smith"')
    return message


def _forget_unsaid() -> None:
    connection = sys.modules.get("caseload.store.connection")
    if connection is not None:
        connection.forget()


def _unusable(error: sqlite3.OperationalError) -> str:
    """Why the database could not be used. Text that is not UTF-8 (only SQL from outside
    caseload writes it) is named by its column alone: SQLite's message quotes the text,
    which may be a client's name."""
    import re

    undecodable = re.match(r"Could not decode to UTF-8 column '([^']*)'", str(error))
    if undecodable:
        return (f"the database holds text that is not UTF-8 in column {undecodable.group(1)} (written outside "
                f"caseload: correct it with sqlite3, or restore a backup); nothing was changed")
    if "readonly" in str(error):  # SQLite writes its -wal and -shm files beside the database, even to read
        return ("the database could not be used: this user cannot write it or its folder (SQLite keeps its -wal "
                "and -shm files beside it, even to read); nothing was changed")
    return f"the database could not be used ({error}); nothing was changed"


def _fail(text: str) -> None:
    from caseload.render.plain import to_stderr  # no escape code from a stored id reaches the terminal

    to_stderr(f"error: {text}")


def _crash_log(error: BaseException) -> Path:
    """Append the traceback to crash.log in the user config folder, created 0600; its path.
    Where it happened, and each exception's type, never its message: no local variables,
    no command-line values, no text of the database (`ValueError: Invalid isoformat string:
    'Maria K.'`): any may be a client's name."""
    import traceback
    from datetime import datetime, timezone

    from caseload.files import private_dir

    folder = Path(typer.get_app_dir(APP_NAME))
    path = folder / "crash.log"
    try:
        private_dir(folder)
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now(timezone.utc).isoformat(timespec='seconds')} caseload {__version__}\n")
            chain: list[BaseException] = []
            while error is not None and error not in chain:  # the exception, then what caused it
                chain.append(error)
                error = error.__cause__ or error.__context__
            for number, each in enumerate(reversed(chain)):
                if number:
                    log.write("which led to:\n")
                log.write("Traceback (most recent call last):\n" + "".join(traceback.format_tb(each.__traceback__)))
                log.write(f"{type(each).__module__}.{type(each).__qualname__} (its message is not kept)\n")
    except OSError:
        pass  # the one line on stderr still says what happened
    return path


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"{APP_NAME} {__version__}")
        raise typer.Exit()


def global_options(
    ctx: typer.Context,
    db: Annotated[Optional[Path], typer.Option(
        "--db", envvar="CASELOAD_DB", metavar="PATH", show_envvar=True,
        help="The SQLite file (default: the config's `database`, else caseload.db in the user config dir).",
    )] = None,
    config: Annotated[Optional[Path], typer.Option(
        "--config", envvar="CASELOAD_CONFIG", metavar="PATH", show_envvar=True,
        help="The YAML config (default: ./caseload.yaml, else config.yaml in the user config dir).",
    )] = None,
    actor: Annotated[Optional[str], typer.Option(
        "--as", envvar="CASELOAD_USER", metavar="NAME", show_envvar=True,
        help="Who is acting, as recorded in history (default: your login name).",
    )] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No messages on stderr when all is well (warnings and errors still print): for cron.",
    )] = False,
    no_pager: Annotated[bool, typer.Option(
        "--no-pager", help="Never page long screens (also CASELOAD_PAGER= empty; default: $PAGER, else less -R).",
    )] = False,
    version: Annotated[bool, typer.Option(
        "--version", callback=_show_version, is_eager=True, help="Show the version and exit.",
    )] = False,
) -> None:
    """The global options: every command runs in the Session they make (help text: `build_app`)."""
    from caseload.render.console import be_quiet  # set on every run: tests run many commands in one process

    be_quiet(quiet, pager=not no_pager)
    ctx.obj = Session(db, config, actor)
    start(ctx.obj)


COMMAND_MODULES = {
    "init": "admin", "demo": "admin", "worker": "workers", "intake": "intake", "assign": "assign",
    "handover": "handover", "return": "handover", "reassign": "handover", "rebalance": "rebalance",
    "cases": "cases", "show": "cases", "find": "cases", "note": "casework", "review": "casework", "update": "casework",
    "close": "casework", "history": "casework", "zone-review": "zones", "report": "reports",
    "export": "reports", "backup": "admin", "doctor": "admin",
    "cover": "handover", "undo": "handover", "reopen": "casework",
    "forecast": "forecast", "weights": "weights",
    "retention": "privacy", "erase": "privacy",
}
# Modules that add subcommands to another module's group, built with it.
COMPANIONS = {"workers": ("worker_time", "worker_import", "worker_meeting")}
MODULE_ORDER = ("admin", "workers", "worker_time", "worker_import", "worker_meeting", "intake", "assign", "handover", "rebalance", "cases",
                "casework", "zones", "reports", "forecast", "privacy", "weights")


def build_app(modules: tuple[str, ...] = MODULE_ORDER) -> typer.Typer:
    """The Typer app with the global options and the commands of `modules`."""
    import importlib

    built = typer.Typer(
        name=APP_NAME,
        cls=CaseloadGroup,
        help="Weighted caseloads, fair allocation and zone reviews for small teams, over one SQLite file.",
        epilog="Dates: YYYY-MM-DD, today, tomorrow, +Nd, +Nw (CASELOAD_TODAY fixes today). "
               "Exit codes: 0 done, 1 cannot be done, 2 bad input (nothing written), 3 a --fail-on zone reached.",
        no_args_is_help=True,
        add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
        pretty_exceptions_show_locals=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(global_options)
    for name in modules:
        importlib.import_module(f"caseload.commands.{name}").register(built)
    return built


def _modules_for(argv: list[str]) -> tuple[str, ...]:
    """Only the command module a command line needs: Typer builds every registered
    command's parameters before running one (~40 ms for all of ours), so `main` builds
    the app for the command being run. `--help` without a command gets them all."""
    takes_value = {"--db", "--config", "--as"}
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token in takes_value:
            skip = True
            continue
        if token.startswith("-"):
            continue
        module = COMMAND_MODULES.get(token)
        return (module, *COMPANIONS.get(module, ())) if module else MODULE_ORDER
    if "--version" in argv and not {"-h", "--help"} & set(argv):
        return ()
    return MODULE_ORDER


def main() -> None:
    _never_crash_on_encoding()
    build_app(_modules_for(sys.argv[1:]))()


def _never_crash_on_encoding() -> None:
    """Any output encoding works (DESIGN §5): on a stdout or stderr that is not UTF-8 (a
    Windows console, PYTHONIOENCODING=cp1252, a C locale), a character it cannot hold is
    written as "?" instead of failing the command (JSON writes escapes instead:
    `render.output`)."""
    from caseload.encodings import holds_every_character

    for stream in (sys.stdout, sys.stderr):
        if not holds_every_character(getattr(stream, "encoding", None)) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
