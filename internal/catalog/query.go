package catalog

import (
	"regexp"
	"strings"
)

// The snapshot is read by two SELECTs sent in one message (see Take):
//
//   - queryTemplate: a UNION ALL of one branch per kind of object, rows of
//     (kind, name, def, relid, attnum, collation). An object that belongs
//     to a relation (column, constraint, trigger, policy, rule) comes with
//     its own name and the relation's OID; the builder prefixes the
//     relation's name. A column also gives its number and collation, for
//     the indexes.
//   - indexTemplate: the parts of each index's definition, which the
//     builder puts together (build.go).
//
// Both start with the same CTEs: ext (the members of extensions), userns
// (the user's schemas) and rels (the user's relations).
//
// Performance notes (see BenchmarkTake):
//   - The catalogs are read directly, never through information_schema.
//   - Names come from the reg* output functions (c.oid::regclass,
//     relnamespace::regnamespace), which read the server's catalog caches,
//     rather than from joins: a join is an index lookup per row, several
//     times as costly.
//   - The plan must stay good for any size of schema: Take prepares the
//     statements once per connection, usually on an empty database, and
//     the server keeps that generic plan while the schema grows to
//     hundreds of tables. So the CTEs are only used in membership tests
//     written "(x IN (SELECT ...)) IS TRUE" or "x NOT IN (SELECT ...)",
//     which the planner cannot turn into joins and hashes once; a CTE or
//     an aggregate on the inner side of a nested loop would be planned as
//     cheap on an empty database and grow as the square of the schema.
//     Take also sets random_page_cost to 1 (see settings), so that a
//     lookup in a small catalog uses its index rather than reading the
//     whole catalog for every row.
//   - pg_get_indexdef looks up the default operator class of every key
//     column with a catalog scan that is not cached (about 4µs a column);
//     the index query sends the raw pg_index arrays, and names only what
//     is not a default (collations, operator classes) or not a column
//     (expressions). The builder prints the definition exactly as
//     pg_get_indexdef does (TestIndexDefMatchesServer holds the two
//     together), with one difference: the server leaves out the COLLATE
//     of an expression column when it is the expression's own collation,
//     which SQL cannot see; here it is left out when it is the default.
//   - Column defaults are deparsed with pg_get_expr(adbin, 0): a default
//     cannot refer to a column, and without a relation the deparser skips
//     building a range table for every call.
//
// userSchema tests that the schema n is one the user may have made: not
// pg_catalog, pg_toast or a temporary schema, not information_schema.
// (Members of extensions are left out apart.)
const userSchema = "left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'"

// Every name is printed by the server with search_path = pg_catalog (see
// Take), so every user object in a definition is schema-qualified whatever
// search_path the session had.
//
// {{...}} markers are replaced according to the server's major version
// (see buildQuery); versions before 13 are not supported (regcollation).
const queryTemplate = `WITH ext AS MATERIALIZED (
  SELECT d.classid, d.objid
  FROM pg_extension e
  JOIN pg_depend d ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid AND d.deptype = 'e'
), userns AS MATERIALIZED (
  SELECT n.oid FROM pg_namespace n
  WHERE ` + userSchema + ` AND {{notext n.oid pg_namespace}}
), rels AS MATERIALIZED (
  SELECT c.oid, c.relkind FROM pg_class c
  WHERE {{inns c.relnamespace}} AND {{notext c.oid pg_class}}
)
SELECT 'schema' AS kind, quote_ident(n.nspname) AS name, 'CREATE SCHEMA ' || quote_ident(n.nspname) AS def,
  NULL::oid AS relid, NULL::int2 AS attnum, NULL::oid AS coll{{owner 'A'}}
FROM pg_namespace n WHERE {{inns n.oid}}
UNION ALL
SELECT 'extension', quote_ident(e.extname),
  'CREATE EXTENSION ' || quote_ident(e.extname) || ' SCHEMA ' || quote_ident(n.nspname) || ' VERSION ' || quote_literal(e.extversion),
  NULL, NULL, NULL{{owner 'A'}}
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
UNION ALL
SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
    WHEN 'f' THEN 'foreign table' ELSE 'table' END, {{q}},
  CASE c.relkind
  WHEN 'S' THEN concat_ws(' ', 'CREATE', CASE c.relpersistence WHEN 'u' THEN 'UNLOGGED' END, 'SEQUENCE', {{q}},
    'AS ' || format_type(s.seqtypid, NULL), 'INCREMENT BY ' || s.seqincrement,
    'MINVALUE ' || s.seqmin, 'MAXVALUE ' || s.seqmax, 'START WITH ' || s.seqstart, 'CACHE ' || s.seqcache,
    CASE WHEN s.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END,
    'OWNED BY ' || d.refobjid::regclass::text || '.' || quote_ident(oa.attname))
  WHEN 'v' THEN concat_ws(' ', 'CREATE VIEW', {{q}}, 'WITH (' || array_to_string(c.reloptions, ', ') || ')',
    'AS', btrim(pg_get_viewdef(c.oid), E' \n'))
  WHEN 'm' THEN concat_ws(' ', 'CREATE MATERIALIZED VIEW', {{q}}, 'WITH (' || array_to_string(c.reloptions, ', ') || ')',
    'AS', btrim(pg_get_viewdef(c.oid), E' \n'))
  WHEN 'f' THEN (SELECT concat_ws(' ', 'CREATE FOREIGN TABLE', {{q}}, 'SERVER', quote_ident(s.srvname),
      'OPTIONS (' || array_to_string(f.ftoptions, ', ') || ')')
    FROM pg_foreign_table f JOIN pg_foreign_server s ON s.oid = f.ftserver WHERE f.ftrelid = c.oid)
  ELSE concat_ws(' ',
    'CREATE', CASE c.relpersistence WHEN 'u' THEN 'UNLOGGED' WHEN 't' THEN 'TEMPORARY' END, 'TABLE', {{q}},
    CASE WHEN c.relispartition OR (c.oid IN (SELECT inhrelid FROM pg_inherits)) IS TRUE THEN
      (SELECT CASE WHEN c.relispartition THEN 'PARTITION OF ' || string_agg(i.inhparent::regclass::text, ', ') || ' ' || pg_get_expr(c.relpartbound, c.oid)
         ELSE 'INHERITS (' || string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno) || ')' END
       FROM pg_inherits i WHERE i.inhrelid = c.oid) END,
    CASE WHEN c.relkind = 'p' THEN 'PARTITION BY ' || pg_get_partkeydef(c.oid) END,
    CASE WHEN c.relam NOT IN (0, 2) THEN 'USING ' || (SELECT quote_ident(amname) FROM pg_am WHERE oid = c.relam) END,
    'WITH (' || array_to_string(c.reloptions, ', ') || ')',
    CASE WHEN c.relrowsecurity THEN 'ENABLE ROW LEVEL SECURITY' END,
    CASE WHEN c.relforcerowsecurity THEN 'FORCE ROW LEVEL SECURITY' END,
    CASE c.relreplident WHEN 'n' THEN 'REPLICA IDENTITY NOTHING' WHEN 'f' THEN 'REPLICA IDENTITY FULL'
      WHEN 'i' THEN 'REPLICA IDENTITY USING INDEX ' || (SELECT quote_ident(ic.relname) FROM pg_index x
        JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid AND x.indisreplident) END)
  END,
  c.oid, NULL, NULL{{owner NULL}}
FROM pg_class c
-- a sequence's parameters, and the column that owns it (serial, identity)
LEFT JOIN pg_sequence s ON c.relkind = 'S' AND s.seqrelid = c.oid
LEFT JOIN pg_depend d ON c.relkind = 'S' AND d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.objsubid = 0
  AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f') AND {{inns c.relnamespace}} AND {{notext c.oid pg_class}}{{only r c.oid}}
UNION ALL
SELECT 'column', quote_ident(a.attname), concat_ws(' ',
    format_type(a.atttypid, a.atttypmod),
    CASE WHEN a.attcollation <> t.typcollation THEN 'COLLATE ' || a.attcollation::regcollation::text END,
    CASE WHEN a.attnotnull THEN 'NOT NULL' END,
    CASE a.attgenerated
      WHEN '' THEN 'DEFAULT ' || pg_get_expr(d.adbin, 0)
      WHEN 's' THEN 'GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED'
      ELSE 'GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') VIRTUAL' END,
    CASE a.attidentity WHEN 'a' THEN 'GENERATED ALWAYS AS IDENTITY' WHEN 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY' END,
    CASE WHEN a.attstorage <> t.typstorage THEN 'STORAGE ' || CASE a.attstorage WHEN 'p' THEN 'PLAIN'
      WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END END,
    {{compression}}
    CASE WHEN a.attstattarget >= 0 THEN 'STATISTICS ' || a.attstattarget END,
    'WITH (' || array_to_string(a.attoptions, ', ') || ')',
    'OPTIONS (' || array_to_string(a.attfdwoptions, ', ') || ')'),
  a.attrelid, a.attnum, a.attcollation{{owner NULL}}
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND {{inns c.relnamespace}} AND {{notext c.oid pg_class}}{{only r c.oid}}
UNION ALL
SELECT 'constraint', quote_ident(co.conname), pg_get_constraintdef(co.oid), co.conrelid, NULL, NULL{{owner NULL}}
FROM pg_constraint co
WHERE co.contype NOT IN ('t', 'n') AND {{inrels co.conrelid 'r', 'p', 'f'}}{{only r co.conrelid}}
  AND (co.conparentid = 0 OR NOT EXISTS (SELECT FROM pg_constraint p WHERE p.oid = co.conparentid AND p.conrelid = co.conrelid))
UNION ALL
SELECT CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' ELSE 'type' END, t.typnamespace::regnamespace::text || '.' || quote_ident(t.typname),
  CASE t.typtype
  WHEN 'e' THEN 'CREATE TYPE ' || t.typnamespace::regnamespace::text || '.' || quote_ident(t.typname) || ' AS ENUM (' ||
    coalesce((SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '') || ')'
  WHEN 'd' THEN concat_ws(' ', 'CREATE DOMAIN', t.typnamespace::regnamespace::text || '.' || quote_ident(t.typname), 'AS', format_type(t.typbasetype, t.typtypmod),
    CASE WHEN t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype) THEN 'COLLATE ' || t.typcollation::regcollation::text END,
    'DEFAULT ' || pg_get_expr(t.typdefaultbin, 0),
    CASE WHEN t.typnotnull THEN 'NOT NULL' END,
    (SELECT string_agg('CONSTRAINT ' || quote_ident(co.conname) || ' ' || pg_get_constraintdef(co.oid), ' ' ORDER BY co.conname)
     FROM pg_constraint co WHERE co.contypid = t.oid))
  WHEN 'c' THEN 'CREATE TYPE ' || t.typnamespace::regnamespace::text || '.' || quote_ident(t.typname) || ' AS (' ||
    coalesce((SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) ||
      CASE WHEN a.attcollation <> at.typcollation THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END, ', ' ORDER BY a.attnum)
     FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'
  WHEN 'r' THEN (SELECT 'CREATE TYPE ' || t.typnamespace::regnamespace::text || '.' || quote_ident(t.typname) || ' AS RANGE (' || concat_ws(', ',
      'SUBTYPE = ' || format_type(g.rngsubtype, NULL),
      (SELECT 'SUBTYPE_OPCLASS = ' || CASE WHEN o.opcnamespace = 'pg_catalog'::regnamespace THEN '' ELSE quote_ident(o.opcnamespace::regnamespace::text) || '.' END ||
        quote_ident(o.opcname) FROM pg_opclass o WHERE o.oid = g.rngsubopc AND NOT o.opcdefault),
      CASE WHEN g.rngcollation <> 0 THEN 'COLLATION = ' || g.rngcollation::regcollation::text END,
      CASE WHEN g.rngcanonical <> 0 THEN 'CANONICAL = ' || g.rngcanonical::regproc::text END,
      CASE WHEN g.rngsubdiff <> 0 THEN 'SUBTYPE_DIFF = ' || g.rngsubdiff::regproc::text END
      {{multirange}}) || ')'
    FROM pg_range g WHERE g.rngtypid = t.oid)
  WHEN 'b' THEN 'CREATE TYPE ' || t.typnamespace::regnamespace::text || '.' || quote_ident(t.typname) || ' (' || concat_ws(', ',
      'INPUT = ' || t.typinput::regproc::text, 'OUTPUT = ' || t.typoutput::regproc::text,
      CASE WHEN t.typreceive <> 0 THEN 'RECEIVE = ' || t.typreceive::regproc::text END,
      CASE WHEN t.typsend <> 0 THEN 'SEND = ' || t.typsend::regproc::text END,
      CASE WHEN t.typmodin <> 0 THEN 'TYPMOD_IN = ' || t.typmodin::regproc::text END,
      CASE WHEN t.typmodout <> 0 THEN 'TYPMOD_OUT = ' || t.typmodout::regproc::text END,
      CASE WHEN t.typanalyze <> 0 THEN 'ANALYZE = ' || t.typanalyze::regproc::text END,
      {{subscript}}
      'INTERNALLENGTH = ' || CASE WHEN t.typlen < 0 THEN 'VARIABLE' ELSE t.typlen::text END,
      CASE WHEN t.typbyval THEN 'PASSEDBYVALUE' END,
      'ALIGNMENT = ' || CASE t.typalign WHEN 'c' THEN 'char' WHEN 's' THEN 'int2' WHEN 'i' THEN 'int4' ELSE 'double' END,
      'STORAGE = ' || CASE t.typstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'm' THEN 'main' ELSE 'extended' END,
      'CATEGORY = ' || quote_literal(t.typcategory::text), CASE WHEN t.typispreferred THEN 'PREFERRED = true' END,
      'DEFAULT = ' || quote_literal(t.typdefault),
      CASE WHEN t.typelem <> 0 THEN 'ELEMENT = ' || format_type(t.typelem, NULL) END,
      CASE WHEN t.typdelim <> ',' THEN 'DELIMITER = ' || quote_literal(t.typdelim::text) END,
      CASE WHEN t.typcollation <> 0 THEN 'COLLATABLE = true' END) || ')'
  ELSE 'CREATE TYPE ' || t.typnamespace::regnamespace::text || '.' || quote_ident(t.typname)
  END,
  NULL, NULL, NULL{{owner 'y' || t.oid}}
FROM pg_type t
WHERE t.typtype <> 'm' AND {{inns t.typnamespace}}
  -- not the row type of a table, view...: only composite types
  AND (t.typrelid = 0 OR {{inrels t.typrelid 'c'}})
  -- not the array type PostgreSQL makes for every type
  AND {{notarray t}}
  AND {{notext t.oid pg_type}}{{only y t.oid}}
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
  p.pronamespace::regnamespace::text || '.' || quote_ident(p.proname) || '(' || oidvectortypes(p.proargtypes) || ')',
  CASE WHEN p.prokind <> 'a' THEN rtrim(pg_get_functiondef(p.oid), E'\n') ELSE
    (SELECT 'CREATE AGGREGATE ' || p.pronamespace::regnamespace::text || '.' || quote_ident(p.proname) || '(' || oidvectortypes(p.proargtypes) || ') (' || concat_ws(', ',
      'SFUNC = ' || a.aggtransfn::regproc::text, 'STYPE = ' || format_type(a.aggtranstype, NULL),
      CASE WHEN a.aggtransspace <> 0 THEN 'SSPACE = ' || a.aggtransspace END,
      CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC = ' || a.aggfinalfn::regproc::text END,
      CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
      CASE WHEN a.aggcombinefn <> 0 THEN 'COMBINEFUNC = ' || a.aggcombinefn::regproc::text END,
      CASE WHEN a.aggserialfn <> 0 THEN 'SERIALFUNC = ' || a.aggserialfn::regproc::text END,
      CASE WHEN a.aggdeserialfn <> 0 THEN 'DESERIALFUNC = ' || a.aggdeserialfn::regproc::text END,
      'INITCOND = ' || quote_literal(a.agginitval),
      CASE WHEN a.aggmtransfn <> 0 THEN 'MSFUNC = ' || a.aggmtransfn::regproc::text || ', MINVFUNC = ' ||
        a.aggminvtransfn::regproc::text || ', MSTYPE = ' || format_type(a.aggmtranstype, NULL) END,
      CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC = ' || a.aggmfinalfn::regproc::text END,
      'MINITCOND = ' || quote_literal(a.aggminitval),
      CASE WHEN a.aggsortop <> 0 THEN 'SORTOP = ' || a.aggsortop::regoperator::text END,
      CASE a.aggkind WHEN 'o' THEN 'ORDERED' WHEN 'h' THEN 'HYPOTHETICAL' END,
      CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END) || ')'
     FROM pg_aggregate a WHERE a.aggfnoid = p.oid) END,
  NULL, NULL, NULL{{owner 'f' || p.oid}}
FROM pg_proc p
WHERE {{inns p.pronamespace}} AND {{notext p.oid pg_proc}}{{only f p.oid}}
  -- not the constructors PostgreSQL makes for a range type
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.objsubid = 0 AND d.deptype = 'i')
UNION ALL
SELECT 'trigger', quote_ident(g.tgname),
  pg_get_triggerdef(g.oid) || CASE g.tgenabled WHEN 'D' THEN ' DISABLED' WHEN 'R' THEN ' ENABLE REPLICA'
    WHEN 'A' THEN ' ENABLE ALWAYS' ELSE '' END,
  g.tgrelid, NULL, NULL{{owner NULL}}
FROM pg_trigger g
WHERE NOT g.tgisinternal AND {{onrel g.tgrelid 'r', 'p', 'v', 'f'}}{{only r g.tgrelid}}
UNION ALL
SELECT 'policy', quote_ident(p.polname), concat_ws(' ', 'CREATE POLICY', quote_ident(p.polname), 'ON', p.polrelid::regclass::text,
    CASE WHEN p.polpermissive THEN 'AS PERMISSIVE' ELSE 'AS RESTRICTIVE' END,
    'FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
    'TO ' || (SELECT string_agg(r, ', ' ORDER BY r) FROM (SELECT CASE WHEN o = 0 THEN 'PUBLIC'
      ELSE quote_ident(pg_get_userbyid(o)) END AS r FROM unnest(p.polroles) o) x),
    'USING (' || pg_get_expr(p.polqual, p.polrelid) || ')',
    'WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')'),
  p.polrelid, NULL, NULL{{owner NULL}}
FROM pg_policy p
WHERE {{onrel p.polrelid 'r', 'p'}}{{only r p.polrelid}}
UNION ALL
SELECT 'rule', quote_ident(w.rulename),
  pg_get_ruledef(w.oid) || CASE w.ev_enabled WHEN 'D' THEN ' DISABLED' WHEN 'R' THEN ' ENABLE REPLICA'
    WHEN 'A' THEN ' ENABLE ALWAYS' ELSE '' END,
  w.ev_class, NULL, NULL{{owner NULL}}
FROM pg_rewrite w
WHERE w.rulename <> '_RETURN' AND {{onrel w.ev_class 'r', 'p', 'v', 'm', 'f'}}{{only r w.ev_class}}
UNION ALL
SELECT 'statistics', s.stxnamespace::regnamespace::text || '.' || quote_ident(s.stxname),
  pg_get_statisticsobjdef(s.oid) || CASE WHEN s.stxstattarget >= 0 THEN ' STATISTICS ' || s.stxstattarget ELSE '' END,
  NULL, NULL, NULL{{owner 's' || s.oid}}
FROM pg_statistic_ext s
WHERE {{inns s.stxnamespace}} AND {{notext s.oid pg_statistic_ext}}{{only s s.oid}}
UNION ALL
SELECT 'collation', c.collnamespace::regnamespace::text || '.' || quote_ident(c.collname), 'CREATE COLLATION ' || c.collnamespace::regnamespace::text || '.' || quote_ident(c.collname) || ' (' || concat_ws(', ',
    'PROVIDER = ' || CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'c' THEN 'libc' ELSE 'default' END,
    'LC_COLLATE = ' || quote_literal(c.collcollate), 'LC_CTYPE = ' || quote_literal(c.collctype),
    {{icu}}
    CASE WHEN NOT c.collisdeterministic THEN 'DETERMINISTIC = false' END) || ')',
  NULL, NULL, NULL{{owner 'o' || c.oid}}
FROM pg_collation c
WHERE {{inns c.collnamespace}} AND {{notext c.oid pg_collation}}{{only o c.oid}}
UNION ALL
SELECT 'server', quote_ident(s.srvname), concat_ws(' ', 'CREATE SERVER', quote_ident(s.srvname),
    'TYPE ' || quote_literal(s.srvtype), 'VERSION ' || quote_literal(s.srvversion), 'FOREIGN DATA WRAPPER', quote_ident(w.fdwname),
    'OPTIONS (' || array_to_string(s.srvoptions, ', ') || ')'),
  NULL, NULL, NULL{{owner 'A'}}
FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
WHERE {{notext s.oid pg_foreign_server}}
UNION ALL
SELECT 'event trigger', quote_ident(e.evtname), concat_ws(' ', 'CREATE EVENT TRIGGER', quote_ident(e.evtname), 'ON', quote_ident(e.evtevent),
    'WHEN TAG IN (' || (SELECT string_agg(quote_literal(t), ', ' ORDER BY t) FROM unnest(e.evttags) t) || ')',
    'EXECUTE FUNCTION', e.evtfoid::regproc::text || '()',
    CASE e.evtenabled WHEN 'D' THEN 'DISABLED' WHEN 'R' THEN 'ENABLE REPLICA' WHEN 'A' THEN 'ENABLE ALWAYS' END),
  NULL, NULL, NULL{{owner 'A'}}
FROM pg_event_trigger e
WHERE {{notext e.oid pg_event_trigger}}
  -- not the change log of a replay (Logged): its function is temporary
  AND NOT EXISTS (SELECT FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.oid = e.evtfoid AND n.nspname LIKE 'pg\_temp\_%')`

// indexTemplate reads the indexes of the snapshot's tables, in parts that
// the builder puts together (see builder.indexDef); it follows the CTEs of
// queryTemplate. An int2vector or oidvector (indkey...) comes as numbers
// separated by spaces, and its positions count from 0.
const indexTemplate = `SELECT ic.relnamespace::regnamespace::text || '.' || quote_ident(ic.relname) AS name,
  quote_ident(ic.relname) AS relname, x.indrelid, x.indisunique, ic.relkind, x.indisvalid, {{nnd}} AS nulls_not_distinct,
  quote_ident(am.amname) AS am, x.indnkeyatts, x.indkey, x.indcollation, x.indoption,
  -- the collations' names, when one is not the default
  CASE WHEN x.indcollation::oid[] <@ '{0,100}'::oid[] THEN NULL ELSE
    ARRAY(SELECT CASE WHEN c IN (0, 100) THEN '' ELSE c::regcollation::text END
      FROM unnest(x.indcollation) WITH ORDINALITY AS u(c, n) ORDER BY n) END AS collations,
  -- each key column's operator class, as printed after the column: ''
  -- for the default; NULL when all are default btree classes
  CASE WHEN x.indclass::oid[] <@ {{defaultclasses}} THEN NULL ELSE
    ARRAY(SELECT CASE WHEN o.opcdefault AND (am.amname = 'btree' OR ia.attoptions IS NULL) THEN '' ELSE ' ' ||
        CASE WHEN o.opcnamespace = 'pg_catalog'::regnamespace THEN '' ELSE o.opcnamespace::regnamespace::text || '.' END ||
        quote_ident(o.opcname) || coalesce(' (' || {{opts:ia.attoptions}} || ')', '') END
      FROM unnest(x.indclass) WITH ORDINALITY AS u(opc, n)
      JOIN pg_opclass o ON o.oid = u.opc
      LEFT JOIN pg_attribute ia ON ia.attrelid = x.indexrelid AND ia.attnum = u.n
      ORDER BY u.n) END AS opclasses,
  -- the text of each expression column
  CASE WHEN x.indexprs IS NOT NULL THEN
    ARRAY(SELECT pg_get_indexdef(x.indexrelid, p + 1, false)
      FROM unnest(array_positions(x.indkey::int2[], 0::int2)) AS p ORDER BY p) END AS exprs,
  CASE WHEN ic.reloptions IS NOT NULL THEN {{opts:ic.reloptions}} END AS options,
  pg_get_expr(x.indpred, x.indrelid) AS predicate,
  -- an index on a materialized view: its columns are not in the snapshot
  CASE WHEN {{inrels x.indrelid 'r', 'p'}} IS NOT TRUE THEN pg_get_indexdef(x.indexrelid) END AS def
FROM pg_index x
JOIN pg_class ic ON ic.oid = x.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE {{onrel x.indrelid 'r', 'p', 'm'}}{{only r x.indrelid}}`

// minVersion is the oldest PostgreSQL major version the query supports.
const minVersion = 13

// buildQuery returns the snapshot queries for a server of the given major
// version: the objects, and the parts of the indexes' definitions.
func buildQuery(major int) (objects, indexes string) {
	r := versioned(major)
	header := queryTemplate[:strings.Index(queryTemplate, "SELECT 'schema'")]
	return expand(r.Replace(queryTemplate)), expand(r.Replace(header + indexTemplate))
}

// versioned replaces the markers that depend on the server's version.
func versioned(major int) *strings.Replacer {
	at := func(v int, yes, no string) string {
		if major >= v {
			return yes
		}
		return no
	}
	icu := ""
	switch {
	case major >= 17:
		icu = "'LOCALE = ' || quote_literal(c.colllocale), 'RULES = ' || quote_literal(c.collicurules),"
	case major == 16:
		icu = "'LOCALE = ' || quote_literal(c.colliculocale), 'RULES = ' || quote_literal(c.collicurules),"
	case major == 15:
		icu = "'LOCALE = ' || quote_literal(c.colliculocale),"
	}
	// opts prints a reloptions array the way the server's
	// flatten_reloptions does: a value is quoted unless it is an
	// identifier that needs no quotes.
	opts := func(array string) string {
		return "(SELECT string_agg(quote_ident(split_part(opt, '=', 1)) || '=' || " +
			"CASE WHEN quote_ident(val) = val THEN val ELSE quote_literal(val) END, ', ' ORDER BY pos) " +
			"FROM unnest(" + array + ") WITH ORDINALITY AS u(opt, pos), substr(opt, strpos(opt, '=') + 1) AS val)"
	}
	return strings.NewReplacer(
		"{{q}}", "(c.relnamespace::regnamespace::text || '.' || quote_ident(c.relname))",
		"{{opts:ic.reloptions}}", opts("ic.reloptions"),
		"{{opts:ia.attoptions}}", opts("ia.attoptions"),
		"{{nnd}}", at(15, "x.indnullsnotdistinct", "false"),
		"{{compression}}", at(14, "CASE a.attcompression WHEN 'p' THEN 'COMPRESSION pglz' WHEN 'l' THEN 'COMPRESSION lz4' END,", ""),
		"{{multirange}}", at(14, ", 'MULTIRANGE_TYPE_NAME = ' || g.rngmultitypid::regtype::text", ""),
		"{{subscript}}", at(14, "CASE WHEN t.typsubscript <> 0 THEN 'SUBSCRIPT = ' || t.typsubscript::regproc::text END,", ""),
		"{{icu}}", icu,
	)
}

// btreeDefaults lists the default btree operator classes, for
// {{defaultclasses}} in the index statement (Logged's printer has them as
// a constant instead: see expandLogged).
const btreeDefaults = "(SELECT array_agg(oid) FROM pg_opclass WHERE opcdefault AND opcmethod = (SELECT oid FROM pg_am WHERE amname = 'btree'))"

// expand replaces the membership macros.
func expand(q string) string {
	q = strings.ReplaceAll(q, "{{defaultclasses}}", btreeDefaults)
	// The owners and the filters by owner are Logged's (logged_query.go).
	q = loggedMacros.ReplaceAllString(q, "")
	// Membership tests. "(... IN (...)) IS TRUE" keeps the planner from
	// turning the IN into a join: it stays a subplan, which the server
	// hashes once, linear whatever the estimates.
	return macros.ReplaceAllStringFunc(q, func(m string) string {
		f := strings.Fields(strings.Trim(m, "{}"))
		switch f[0] {
		case "inns": // {{inns expr}}: expr is the OID of a user's schema
			return "(" + f[1] + " IN (SELECT oid FROM userns)) IS TRUE"
		case "inrels", "onrel": // {{inrels expr kinds...}}: a user's relation of one of the kinds (onrel: see expandLogged)
			return "(" + f[1] + " IN (SELECT oid FROM rels WHERE relkind IN (" + strings.Join(f[2:], " ") + "))) IS TRUE"
		case "notext": // {{notext expr catalog}}: not a member of an extension
			return f[1] + " NOT IN (SELECT objid FROM ext WHERE classid = '" + f[2] + "'::regclass)"
		case "notarray": // {{notarray t}}: not the array type of another
			return f[1] + ".oid NOT IN (SELECT typarray FROM pg_type)"
		}
		return m
	})
}

var (
	macros = regexp.MustCompile(`\{\{(inns|inrels|onrel|notext|notarray) [^}]*\}\}`)
	// {{owner expr}}: the owner of the row's object, an extra column;
	// {{only kind expr}}: the row's owner is one of the changed ones.
	loggedMacros = regexp.MustCompile(`\{\{(owner|only) [^}]*\}\}`)
)
