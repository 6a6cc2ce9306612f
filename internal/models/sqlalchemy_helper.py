"""schemagate's SQLAlchemy helper: render the DDL of an application's models.

Usage: sqlalchemy_helper.py MODULE:ATTR PROJECT_ROOT

Imports MODULE with PROJECT_ROOT first on sys.path, takes ATTR (a dotted
path: Base, db.Model, metadata) as a MetaData or anything with a .metadata
(a declarative base, Flask-SQLAlchemy's db), renders CREATE statements for
PostgreSQL with SQLAlchemy's mock engine (no database driver, no database),
and prints one JSON object:

    {"sqlalchemy": "1.4.46", "schemas": [...], "statements": [...],
     "tables": [{"schema": null, "name": "users", "file": "app/models.py",
                 "line": 7, "columns": {"email": 9}}]}

On failure it prints {"error": KIND, "message": ..., "file": ..., "line": ...,
"traceback": ...} and exits with status 3. KIND is "import", "attribute",
"type" or "render".
"""

import importlib
import inspect
import json
import os
import re
import sys
import traceback


# The JSON goes to the real standard output; what the application prints
# while it is imported goes to standard error.
OUT = sys.stdout
sys.stdout = sys.stderr


def emit(obj, status=0):
    OUT.write(json.dumps(obj))
    OUT.flush()
    sys.exit(status)


def relative(path, root):
    try:
        path = os.path.abspath(path)
    except Exception:
        return path
    if path == root or path.startswith(root + os.sep):
        return os.path.relpath(path, root)
    return path


def project_frame(exc, root):
    """The innermost frame of the traceback that is in the project."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return relative(exc.filename, root), exc.lineno
    found = (None, None)
    for fr in traceback.extract_tb(exc.__traceback__):
        if fr.filename.startswith("<"):  # <frozen importlib._bootstrap>, <string>: no file
            continue
        p = os.path.abspath(fr.filename)
        if p == os.path.abspath(__file__):  # this helper, which may sit under root (a temp dir)
            continue
        if p.startswith(root + os.sep) and "site-packages" not in p and "dist-packages" not in p:
            found = (relative(p, root), fr.lineno)
    return found


def describe(exc):
    """The exception's type and message; a SyntaxError without the file and
    line that str() adds in parentheses, since the error names them."""
    msg = exc.msg if isinstance(exc, SyntaxError) and exc.filename else str(exc)
    return "%s: %s" % (type(exc).__name__, msg)


def fail(kind, message, exc, root, file=None, line=None):
    if exc is not None and file is None:
        file, line = project_frame(exc, root)
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)) if exc is not None else ""
    emit({"error": kind, "message": message, "file": file, "line": line, "traceback": tb}, 3)


def mapped_classes():
    """Map each Table to the classes mapped to it, from every registry."""
    out = {}
    registries = []
    try:
        from sqlalchemy.orm import mapperlib

        registries = list(getattr(mapperlib, "_mapper_registries", {}))
    except Exception:
        pass
    for reg in registries:
        try:
            mappers = list(reg.mappers)
        except Exception:
            continue
        for m in mappers:
            table = getattr(m, "local_table", None)
            if table is not None:
                out.setdefault(table, []).append(m)
    return out


ATTR_LINE = r"^\s*{}\s*(:[^=\n]*)?="


def find_in_class(cls, regex):
    """The file and line, in cls or its bases, of the first line matching."""
    for klass in cls.__mro__:
        if klass is object:
            continue
        try:
            lines, start = inspect.getsourcelines(klass)
            path = inspect.getsourcefile(klass)
        except (OSError, TypeError):
            continue
        for i, text in enumerate(lines):
            if re.search(regex, text):
                return path, start + i
    return None, None


def locate_mapped(table, mappers, root):
    # Prefer the class that names the table itself (not a subclass of
    # single-table inheritance).
    mappers = sorted(mappers, key=lambda m: "__tablename__" not in m.class_.__dict__)
    m = mappers[0]
    cls = m.class_
    path, line = find_in_class(cls, r"^\s*__tablename__\s*(:[^=\n]*)?=")
    if path is None:
        try:
            _, line = inspect.getsourcelines(cls)
            path = inspect.getsourcefile(cls)
        except (OSError, TypeError):
            return None
    place = {"file": relative(path, root), "line": line, "columns": {}}
    keys = {}
    for prop in m.column_attrs:
        for col in prop.columns:
            if getattr(col, "table", None) is table:
                keys[col.name] = prop.key
    for col in table.columns:
        key = keys.get(col.name, col.name)
        cpath, cline = find_in_class(cls, ATTR_LINE.format(re.escape(key)))
        if cpath is None:
            cpath, cline = find_in_class(cls, r"""Column\(\s*['"]{}['"]""".format(re.escape(col.name)))
        if cpath is not None:
            place["columns"][col.name] = {"file": relative(cpath, root), "line": cline}
    place["indexes"] = {}
    for idx in table.indexes:
        if idx.name:
            ipath, iline = find_in_class(cls, INDEX_CALL.format(re.escape(str(idx.name))))
            if ipath is not None:
                place["indexes"][str(idx.name)] = {"file": relative(ipath, root), "line": iline}
    return place


# Index("name", ...) in __table_args__ or beside a Table.
INDEX_CALL = r"""Index\(\s*['"]{}['"]"""


def project_sources(root):
    """The project's modules that are loaded: path -> text."""
    out = {}
    for mod in list(sys.modules.values()):
        path = getattr(mod, "__file__", None)
        if not path or not path.endswith(".py"):
            continue
        path = os.path.abspath(path)
        if not path.startswith(root + os.sep) or path in out:
            continue
        try:
            with open(path, encoding="utf-8") as f:
                out[path] = f.read()
        except OSError:
            pass
    return out


def locate_by_source(table, sources, root):
    """A Table("name", ...) or __tablename__ = "name" in the project's code."""
    name = re.escape(table.name)
    for pattern in (r"""Table\(\s*['"]{}['"]""", r"""__tablename__\s*(:[^=\n]*)?=\s*['"]{}['"]"""):
        rx = re.compile(pattern.format(name))
        for path in sorted(sources):
            text = sources[path]
            m = rx.search(text)
            if not m:
                continue
            place = {"file": relative(path, root), "line": text.count("\n", 0, m.start()) + 1, "columns": {}}
            nxt = re.compile(r"""Table\(\s*['"]|^class\s""", re.M).search(text, m.end())
            body_end = nxt.start() if nxt else len(text)
            for col in table.columns:
                cm = re.compile(
                    r"""(Column|mapped_column)\(\s*['"]{}['"]|^\s*{}\s*(:[^=\n]*)?=""".format(re.escape(col.name), re.escape(col.name)),
                    re.M,
                ).search(text, m.end(), body_end)
                if cm:
                    place["columns"][col.name] = {"file": place["file"], "line": text.count("\n", 0, cm.start()) + 1}
            place["indexes"] = {}
            for idx in table.indexes:
                if idx.name:
                    im = re.compile(INDEX_CALL.format(re.escape(str(idx.name)))).search(text, m.end())
                    if im:
                        place["indexes"][str(idx.name)] = {"file": place["file"], "line": text.count("\n", 0, im.start()) + 1}
            return place
    return None


def has_metadata(value, MetaData):
    """Whether value is a MetaData or has one, such as a declarative base
    (not a mapped class, which has its base's)."""
    try:
        if isinstance(value, MetaData):
            return True
        return isinstance(getattr(value, "metadata", None), MetaData) and not hasattr(value, "__table__")
    except Exception:
        return False


def main():
    spec, root = sys.argv[1], os.path.abspath(sys.argv[2])
    if root not in sys.path:
        sys.path.insert(0, root)
    # Then the migrations' project (an Alembic project keeps its app beside
    # alembic.ini), for a check run from elsewhere.
    for extra in sys.argv[3:]:
        extra = os.path.abspath(extra)
        if extra not in sys.path:
            sys.path.append(extra)
    module_name, _, attr = spec.partition(":")
    try:
        import sqlalchemy
        from sqlalchemy import MetaData
    except Exception as e:
        fail("import", "cannot import sqlalchemy: %s" % e, None, root)
    try:
        module = importlib.import_module(module_name)
    except BaseException as e:  # SystemExit or KeyboardInterrupt from the app's code too
        fail("import", describe(e), e, root)
    obj = module
    for part in attr.split(".") if attr else []:
        try:
            obj = getattr(obj, part)
        except AttributeError:
            msg = "module %s has no attribute %s" % (module_name, attr)
            found = [name for name, value in sorted(vars(module).items()) if has_metadata(value, MetaData)]
            if found:
                msg += " (it has %s)" % ", ".join(found)
            fail("attribute", msg, None, root, relative(getattr(module, "__file__", "") or module_name, root), None)
    metadata = obj if isinstance(obj, MetaData) else getattr(obj, "metadata", None)
    if not isinstance(metadata, MetaData):
        fail("type", "%s is a %s, not a MetaData or a declarative base (with a .metadata)" % (spec, type(obj).__name__),
             None, root, relative(getattr(module, "__file__", "") or module_name, root), None)

    if not metadata.tables:
        fail("empty", "%s has no tables" % spec, None, root,
             relative(getattr(module, "__file__", "") or module_name, root), None)

    statements = []

    def executor(sql, *multiparams, **params):
        statements.append(str(sql.compile(dialect=engine.dialect)).strip())

    try:
        try:
            from sqlalchemy import create_mock_engine

            engine = create_mock_engine("postgresql://", executor)
        except ImportError:  # SQLAlchemy before 1.4
            engine = sqlalchemy.create_engine("postgresql://", strategy="mock", executor=executor)
        metadata.create_all(engine, checkfirst=False)
    except Exception as e:
        fail("render", describe(e), e, root)

    mapped = mapped_classes()
    sources = None
    tables = []
    schemas = []
    for table in metadata.sorted_tables:
        if table.schema and table.schema not in schemas:
            schemas.append(table.schema)
        place = None
        if table in mapped:
            try:
                place = locate_mapped(table, mapped[table], root)
            except Exception:
                place = None
        if place is None:
            if sources is None:
                sources = project_sources(root)
            place = locate_by_source(table, sources, root)
        entry = {"schema": table.schema, "name": table.name}
        if place:
            entry.update(place)
        tables.append(entry)
    emit({"sqlalchemy": sqlalchemy.__version__, "schemas": schemas, "statements": statements, "tables": tables})


if __name__ == "__main__":
    main()
