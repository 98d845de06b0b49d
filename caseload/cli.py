"""The Typer app: global options, the command modules, and the edge where errors
become one line on stderr and an exit code (DESIGN §5).

Exit codes: 0 done; 1 the request cannot be done; 2 bad usage or bad input;
3 a --fail-on threshold was reached. Only this module catches exceptions; the
domain and the store raise the small tree in `caseload.domain.errors`.

Start-up is kept light: nothing here imports Rich, sqlite-utils or PyYAML; the
commands import them when they run.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import date, datetime, timezone
from functools import cached_property
from pathlib import Path
from contextvars import ContextVar
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from caseload import __version__
from caseload.domain.errors import BadInput, BadInputs, CaseloadError

APP_NAME = "caseload"


class Session:
    """What every command needs: where the data and config are, who acts, what day it is.

    Precedence for the database and config: flag > environment (handled by Typer)
    > config file > default. The config file default is ./caseload.yaml when it
    exists, else config.yaml in the user config directory. A relative `database:`
    in a config file is relative to that file's folder, so a cron job reads the
    same file whatever its working directory.
    """

    def __init__(self, db: Path | None, config: Path | None, actor: str | None):
        self._db = db
        self._config = config
        self._actor = actor

    @cached_property
    def app_dir(self) -> Path:
        return Path(typer.get_app_dir(APP_NAME))

    @cached_property
    def config_path(self) -> Path | None:
        if self._config is not None:
            return self._config
        for candidate in (Path("caseload.yaml"), self.app_dir / "config.yaml"):
            if candidate.is_file():
                return candidate
        return None

    @cached_property
    def config(self):
        from caseload.config import load_config

        return load_config(self.config_path)

    @property
    def db_flag(self) -> Path | None:
        """The database named by --db or CASELOAD_DB, if any (not the config's)."""
        return self._db

    @property
    def config_flag(self) -> Path | None:
        return self._config

    def using(self, db: Path) -> "Session":
        """The same session on another database file."""
        return Session(db, self._config, self._actor)

    @cached_property
    def db_path(self) -> Path:
        if self._db is not None:
            return self._db
        if self.config.database is not None:
            configured = Path(self.config.database).expanduser()
            if not configured.is_absolute() and self.config_path is not None:
                configured = self.config_path.parent / configured
            return configured
        return self.app_dir / "caseload.db"

    @cached_property
    def actor(self) -> str:
        if self._actor:
            return self._actor
        try:
            import getpass

            return getpass.getuser()
        except (OSError, KeyError):
            return "unknown"

    @cached_property
    def today(self) -> date:
        """Today, or CASELOAD_TODAY=YYYY-MM-DD for tests and reproducible reports."""
        fixed = os.environ.get("CASELOAD_TODAY")
        if not fixed:
            return date.today()
        try:
            return date.fromisoformat(fixed.strip())
        except ValueError:
            raise BadInput("CASELOAD_TODAY", fixed, "is not a date (YYYY-MM-DD)") from None

    def now(self) -> str:
        """The UTC timestamp written into history; with CASELOAD_TODAY, on that day."""
        moment = datetime.now(timezone.utc)
        if os.environ.get("CASELOAD_TODAY"):
            moment = moment.replace(year=self.today.year, month=self.today.month, day=self.today.day)
        return moment.isoformat(timespec="seconds")

    def open(self, create: bool = False):
        """The database, after the config has been validated (a bad config writes nothing)."""
        from caseload.store.connection import open_database

        self.config  # noqa: B018 - read and validate before touching any file
        return open_database(self.db_path, create=create)


_session: ContextVar[Session] = ContextVar("caseload_session")


def session() -> Session:
    """The session the global options made for the command now running."""
    return _session.get()


class CaseloadGroup(TyperGroup):
    """Runs the app and turns every expected failure into one line and an exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(
                args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
            )
        except typer.TyperException as error:  # Typer's usage errors: bad flags, missing arguments
            if type(error).__name__ == "NoArgsIsHelpError":  # help was printed already
                code = 0
            else:
                ctx = getattr(error, "ctx", None)
                hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
                _fail(f"{error.format_message()}{hint}")
                code = error.exit_code
        except typer.Abort:
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
            _fail(f"the database could not be used ({error}); nothing was changed")
            code = 1
        except BrokenPipeError:
            sys.stderr = open(os.devnull, "w")
            code = 1
        if standalone_mode:
            sys.exit(code if isinstance(code, int) else 0)
        return code


def _fail(text: str) -> None:
    sys.stderr.write(f"error: {text}\n")


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
    version: Annotated[bool, typer.Option(
        "--version", callback=_show_version, is_eager=True, help="Show the version and exit.",
    )] = False,
) -> None:
    """The global options: every command runs in the Session they make (help text: `build_app`)."""
    ctx.obj = Session(db, config, actor)
    _session.set(ctx.obj)


COMMAND_MODULES = {
    "init": "admin", "demo": "admin", "worker": "workers", "intake": "intake", "assign": "assign",
    "handover": "handover", "return": "handover", "reassign": "handover", "rebalance": "rebalance",
    "cases": "cases", "show": "cases", "note": "casework", "review": "casework", "update": "casework",
    "close": "casework", "history": "casework", "zone-review": "zones", "report": "reports",
    "export": "reports", "backup": "admin_tools", "doctor": "admin_tools",
}
MODULE_ORDER = ("admin", "workers", "intake", "assign", "handover", "rebalance", "cases", "casework", "zones",
                "reports", "admin_tools")


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
        add_completion=False,
        pretty_exceptions_show_locals=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(global_options)
    for name in modules:
        importlib.import_module(f"caseload.commands.{name}").register(built)
    return built


app = build_app()


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
        return (module,) if module else MODULE_ORDER
    if "--version" in argv and not {"-h", "--help"} & set(argv):
        return ()
    return MODULE_ORDER


def main() -> None:
    build_app(_modules_for(sys.argv[1:]))()
