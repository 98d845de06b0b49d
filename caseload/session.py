"""The session every command runs in (DESIGN §5): where the database and config are,
who is acting and what day it is.

Precedence for the database and config: flag > environment (Typer reads the
environment variables) > config file > default. The config file default is
./caseload.yaml when it exists, else config.yaml in the user config directory. A
relative `database:` in a config file is relative to that file's folder, so a cron
job reads the same file whatever its working directory.

The CLI's global options make one Session per run (`start`); commands read it with
`current()`. Nothing here imports Rich, sqlite-utils or PyYAML: they load only when a
command needs them.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from datetime import date, datetime, timezone
from functools import cached_property
from pathlib import Path

from caseload.domain.errors import BadInput

APP_NAME = "caseload"


class Session:
    def __init__(self, db: Path | None, config: Path | None, actor: str | None):
        self._db = db
        self._config = config
        self._actor = acting_as(actor) if actor else None  # refused before any command runs

    @cached_property
    def app_dir(self) -> Path:
        import typer

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

    def using(self, db: Path | None) -> "Session":
        """The same session on another database file (None: the config's, or the default)."""
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
        """Who is acting, as history records it: --as / CASELOAD_USER, else the login name."""
        if self._actor:
            return self._actor
        try:
            import getpass

            login = getpass.getuser()
        except (OSError, KeyError):
            return "unknown"
        return acting_as(login) or "unknown"

    @cached_property
    def today(self) -> date:
        """Today, or CASELOAD_TODAY=YYYY-MM-DD for tests and reproducible reports."""
        fixed = os.environ.get("CASELOAD_TODAY")
        if not fixed:
            return date.today()
        try:
            day = date.fromisoformat(fixed.strip())
        except ValueError:
            raise BadInput("CASELOAD_TODAY", fixed, "is not a date (YYYY-MM-DD)") from None
        from caseload.domain.dates import check_today

        return check_today(day)  # 9999-12-31 would make every `today + N days` overflow

    def now(self) -> str:
        """The UTC timestamp written into history; with CASELOAD_TODAY, on that day."""
        moment = datetime.now(timezone.utc)
        if os.environ.get("CASELOAD_TODAY"):
            moment = moment.replace(year=self.today.year, month=self.today.month, day=self.today.day)
        return moment.isoformat(timespec="seconds")

    def day(self, text: str | None, field: str) -> date | None:
        """A date typed in any accepted form (DESIGN §5), relative to this session's today."""
        if text is None:
            return None
        from caseload.domain.dates import parse_date

        return parse_date(text, self.today, field)

    def open(self, create: bool = False):
        """The database, after the config has been validated (a bad config writes nothing)."""
        from caseload.files import protect
        from caseload.store.connection import open_database

        self.config  # noqa: B018 - read and validate before touching any file
        protect(self.db_path)
        db = open_database(self.db_path, create=create, witness=self.witness_path)
        if db.notices:
            from caseload.render.console import message
            from caseload.store.connection import said

            for notice in db.notices:
                if message(notice):  # not with --quiet: an interrupt later still names the upgrade and its copy
                    said([notice])
        return db

    @cached_property
    def witness_path(self) -> Path:
        """The chain's head for this database, kept beside the config (DESIGN §6)."""
        from caseload.store.witness import witness_path

        return witness_path(self.app_dir, self.db_path)


MAX_ACTOR = 64  # characters of --as: a login or a worker id, recorded in every history row


def acting_as(name: str) -> str:
    """The --as name, trimmed; BadInput naming --as when it is longer than MAX_ACTOR or holds
    a control, bidirectional or line-breaking character (it is printed in every history).

    A name shaped like a worker id is that worker's id, in lower case (`--as Asha` acts as
    asha, so `me` finds her and history names her as everywhere else); any other name (a
    login such as `Jo Bloggs`) is kept as typed."""
    from caseload.domain.fields import REFUSED_IN_LINE, as_worker_id, hidden_character

    clean = name.strip()
    if len(clean) > MAX_ACTOR:
        raise BadInput("--as", clean, f"is longer than {MAX_ACTOR} characters")
    found = REFUSED_IN_LINE.search(clean)
    if found:
        raise BadInput("--as", clean, f"contains {hidden_character(found.group())}")
    return as_worker_id(clean) or clean


_current: ContextVar[Session] = ContextVar("caseload_session")


def start(session: Session) -> None:
    """Make `session` the one the running command sees."""
    _current.set(session)


def current() -> Session:
    """The session the global options made for the command now running."""
    return _current.get()
