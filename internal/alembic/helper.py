"""schemagate's Alembic helper.

Runs a project's Alembic revisions the way Alembic does (through the
project's own env.py) and prints JSON on standard output.

    helper.py offline          the SQL of every revision, up and down,
                               in offline (--sql) mode, one statement at a
                               time, each with the revision line that
                               emitted it
    helper.py online REV DIR   runs the upgrade (DIR=up) or downgrade
                               (DIR=down) of revision REV alone against
                               the database in sqlalchemy.url

The project is the working directory; SCHEMAGATE_ALEMBIC_INI names its
alembic.ini ("" when there is none) and SCHEMAGATE_ALEMBIC_SCRIPTS its
script location. SCHEMAGATE_ALEMBIC_URL becomes sqlalchemy.url.

Alembic's own bookkeeping (the alembic_version table) is left out: each
revision runs alone, as if the database were at its down revisions.
"""

import io
import json
import os
import sys
import traceback

from alembic.config import Config
from alembic.ddl.impl import DefaultImpl
from alembic.runtime import migration
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory

ROOT = os.path.realpath(os.getcwd())
ALEMBIC_DIR = os.path.dirname(os.path.realpath(migration.__file__))


_real = {}


def realpath(name):
    """os.path.realpath, once per file name: the stack is walked for every
    statement."""
    r = _real.get(name)
    if r is None:
        r = _real[name] = os.path.realpath(name)
    return r


def rel(path):
    """A path relative to the project, or absolute when outside it."""
    real = os.path.realpath(path)
    if real == ROOT or real.startswith(ROOT + os.sep):
        return os.path.relpath(real, ROOT)
    return real


class Capture:
    """Collects what offline mode writes, statement by statement."""

    def __init__(self):
        self.revision_file = None  # realpath of the running revision
        self.env_file = None
        self.statements = []
        # The line of the batch operation being flushed, if one is.
        self.batch_line = None

    def revision_line(self):
        """The line of the running revision that called us, or None."""
        f = sys._getframe(1)
        while f is not None:
            if realpath(f.f_code.co_filename) == self.revision_file:
                return f.f_lineno
            f = f.f_back
        return None

    def origin(self):
        """The line of the revision (else env.py) that is emitting SQL now,
        and whether Alembic's run loop itself is (the version table)."""
        if self.batch_line is not None:
            return ("revision", self.batch_line), False
        f = sys._getframe(2)
        env_line = None
        in_loop = False
        while f is not None:
            name = realpath(f.f_code.co_filename)
            if name == self.revision_file:
                return ("revision", f.f_lineno), False
            if name == self.env_file and env_line is None:
                env_line = f.f_lineno
            if f.f_code.co_name == "run_migrations" and os.path.dirname(name) == ALEMBIC_DIR:
                in_loop = True
            f = f.f_back
        if env_line is not None and not in_loop:
            return ("env", env_line), False
        return None, in_loop

    def write(self, impl, text):
        text = text.strip()
        if text.startswith("-- Running "):
            return
        origin, bookkeeping = self.origin()
        control = text.rstrip(";").strip().upper() in ("BEGIN", "COMMIT")
        if bookkeeping and not control:
            return  # CREATE TABLE alembic_version, and its DROP
        st = {"sql": text}
        if control and origin is not None and origin[0] == "env":
            # env.py's transaction: the revision's def line stands for it.
            origin = None
        if origin is not None:
            st["kind"], st["line"] = origin
        self.statements.append(st)


CAPTURE = Capture()


def static_output(self, text):
    CAPTURE.write(self, text)


def no_version_update(self, step):
    pass


def no_heads(self):
    return ()


def no_version_table(self, purge=False):
    pass


class BatchList(list):
    """The operations queued in a batch_alter_table() block, each with the
    revision line that queued it: Alembic emits them only when the block
    ends, and each statement should point at its own call."""

    def __init__(self, *args):
        super().__init__(*args)
        self.lines = [None] * len(self)

    def append(self, item):
        super().append(item)
        self.lines.append(CAPTURE.revision_line())

    def __iter__(self):
        try:
            for item, line in zip(list.__iter__(self), self.lines):
                CAPTURE.batch_line = line
                yield item
        finally:
            CAPTURE.batch_line = None


def patch_batch():
    from alembic.operations import batch

    init = batch.BatchOperationsImpl.__init__

    def patched(self, *args, **kw):
        init(self, *args, **kw)
        self.batch = BatchList(self.batch)

    batch.BatchOperationsImpl.__init__ = patched


def patch():
    patch_batch()
    # Every statement of offline mode goes through static_output; none
    # reaches standard output, which carries the JSON.
    DefaultImpl.static_output = static_output
    # Each revision runs alone, with no version table.
    migration.HeadMaintainer.update_to_step = no_version_update
    migration.MigrationContext.get_current_heads = no_heads
    migration.MigrationContext._ensure_version_table = no_version_table


def config():
    ini = os.environ.get("SCHEMAGATE_ALEMBIC_INI", "")
    cfg = Config(ini) if ini else Config()
    scripts = os.environ.get("SCHEMAGATE_ALEMBIC_SCRIPTS", "")
    if scripts and not cfg.get_main_option("script_location"):
        cfg.set_main_option("script_location", scripts)
    url = os.environ.get("SCHEMAGATE_ALEMBIC_URL", "")
    if url:
        url = with_driver(url, cfg.get_main_option("sqlalchemy.url"))
        # configparser interpolates "%": double it.
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def with_driver(url, own):
    """The throwaway database's URL with the driver of the project's own
    sqlalchemy.url where its env.py may need it (asyncpg for `alembic init
    -t async`, psycopg 3), else psycopg2's plain postgresql."""
    from sqlalchemy.engine.url import make_url
    try:
        driver = make_url(own).drivername if own else ""
    except Exception:
        return url
    u = make_url(url)
    if driver == "postgresql+asyncpg":
        # asyncpg takes no sslmode (SQLAlchemy passes the query to its
        # connect()), but an ssl of the same values.
        query = dict(u.query)
        if "sslmode" in query:
            query["ssl"] = query.pop("sslmode")
        u = u.set(drivername=driver, query=query)
    elif driver in ("postgresql+psycopg", "postgresql+psycopg2"):
        u = u.set(drivername=driver)  # libpq's, which read sslmode
    else:
        return url
    return u.render_as_string(hide_password=False) if hasattr(u, "render_as_string") else str(u)


def failure(exc):
    """An exception as JSON: its type, message and the traceback's frames
    (innermost last)."""
    frames = []
    for fs in traceback.extract_tb(exc.__traceback__):
        frames.append({"file": rel(fs.filename), "line": fs.lineno, "function": fs.name, "text": fs.line or ""})
    msg = str(exc)
    if isinstance(exc, SystemExit):
        msg = "exit status %s" % exc.code
    if isinstance(exc, SyntaxError) and exc.filename and not exc.filename.startswith("<"):
        # The file that does not compile is in no frame of the traceback
        # (the import machinery raises it): it is the innermost place.
        frames.append({"file": rel(exc.filename), "line": exc.lineno or 1, "function": "<module>",
                       "text": (exc.text or "").rstrip("\n")})
        # str() repeats the file and line in parentheses.
        msg = exc.msg
    elif isinstance(exc, ValueError):
        src = compiling(exc)
        if src is not None:
            frames.append({"file": rel(src), "line": nul_line(src), "function": "<module>", "text": ""})
    return {"type": type(exc).__name__, "message": msg, "frames": frames}


def compiling(exc):
    """The source file the import machinery was compiling when exc was
    raised (Python 3.11's ValueError for a NUL byte names none), or None."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        f = tb.tb_frame
        if f.f_code.co_filename.startswith("<frozen importlib"):
            for name in ("source_path", "path"):
                v = f.f_locals.get(name)
                if isinstance(v, str) and v.endswith(".py"):
                    found = v
        tb = tb.tb_next
    return found


def nul_line(path):
    """The line of the first NUL byte in the file, else 1."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return 1
    i = data.find(b"\0")
    return data.count(b"\n", 0, i) + 1 if i >= 0 else 1


class WrongDatabase(Exception):
    """env.py connected to a database other than the throwaway one."""


def check_target(context):
    """Refuse to run a revision online anywhere but in the throwaway
    database: an env.py that takes its URL from its own settings, not from
    sqlalchemy.url or DATABASE_URL, would otherwise migrate a real one."""
    want = os.environ.get("SCHEMAGATE_ALEMBIC_URL", "")
    if not want:
        return
    from sqlalchemy.engine.url import make_url
    name = make_url(want).database
    conn = context.connection
    if conn is None:
        raise WrongDatabase("env.py gave Alembic no connection to run %s on" % name)
    sql = "SELECT current_database()"
    got = conn.exec_driver_sql(sql).scalar() if hasattr(conn, "exec_driver_sql") else conn.execute(sql).scalar()
    if got != name:
        raise WrongDatabase(
            "env.py connected to database %r, not to schemagate's throwaway database %r, so nothing was run: "
            "make env.py connect with config.get_main_option(\"sqlalchemy.url\") (or the DATABASE_URL "
            "environment variable), which schemagate sets to the throwaway database" % (got, name))


def run(cfg, script, rev, upgrade, as_sql):
    step = migration.RevisionStep(script.revision_map, rev, upgrade)

    def fn(heads, context):
        if not as_sql:
            check_target(context)
        return [step]

    CAPTURE.revision_file = os.path.realpath(rev.path)
    CAPTURE.env_file = os.path.realpath(os.path.join(script.dir, "env.py"))
    CAPTURE.statements = []
    kw = {}
    if as_sql:
        kw = {"as_sql": True, "output_buffer": io.StringIO()}
    with EnvironmentContext(cfg, script, fn=fn, destination_rev=rev.revision, **kw):
        script.run_env()
    return CAPTURE.statements


def revisions(script):
    """Every revision, keyed by id, in no particular order."""
    return {r.revision: r for r in script.walk_revisions("base", "heads")}


def offline(cfg):
    script = ScriptDirectory.from_config(cfg)
    out = {"revisions": {}}
    for rid, rev in revisions(script).items():
        entry = {"file": rel(rev.path)}
        for direction, upgrade in (("up", True), ("down", False)):
            if not upgrade and not hasattr(rev.module, "downgrade"):
                # No downgrade() at all: down-missing, not an error here.
                continue
            try:
                entry[direction] = {"statements": run(cfg, script, rev, upgrade, True)}
            except BaseException as e:
                err = failure(e)
                if not any(fr["file"] == entry["file"] for fr in err["frames"]):
                    # Not the revision's fault (env.py, an import): every
                    # revision would fail the same way.
                    return {"error": err}
                entry[direction] = {"statements": CAPTURE.statements, "error": err}
        out["revisions"][rid] = entry
    return out


def online(cfg, rid, direction):
    script = ScriptDirectory.from_config(cfg)
    rev = script.get_revision(rid)
    try:
        run(cfg, script, rev, direction == "up", False)
    except BaseException as e:
        return {"error": failure(e)}
    return {}


def main():
    # What env.py or a revision prints must not mix with the JSON.
    out_stream, sys.stdout = sys.stdout, sys.stderr
    patch()
    try:
        cfg = config()
        if sys.argv[1] == "offline":
            out = offline(cfg)
        else:
            out = online(cfg, sys.argv[2], sys.argv[3])
    except BaseException as e:
        out = {"error": failure(e)}
    json.dump(out, out_stream)


main()
