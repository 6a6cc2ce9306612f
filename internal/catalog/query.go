package catalog

import (
	"strings"
)

// The snapshot query: one SELECT, a UNION ALL of one branch per kind of
// object, each returning rows of (kind, name, def).
//
// Performance notes (see BenchmarkTake):
//   - The catalogs are read directly, never through information_schema.
//   - The plan must stay good for any size of schema: Take prepares the
//     query once per connection, usually on an empty database, and the
//     server keeps that generic plan while the schema grows to hundreds
//     of tables. So every branch joins real catalogs only (an index
//     lookup or a hash join, linear either way), and the one CTE, ext,
//     is only used in uncorrelated NOT IN lists, which the server hashes.
//     A CTE or an aggregate on the inner side of a nested loop would be
//     planned as cheap on an empty database and grow quadratically.
//   - pg_get_indexdef looks the default operator class of every key column
//     up with a catalog scan that is not cached (about 4µs a column), so
//     the index definition is put together here, in one pass that groups
//     the index columns, with the same output as pg_get_indexdef
//     (TestIndexDefMatchesServer holds the two together). Only the text
//     of an expression column comes from pg_get_indexdef(oid, column).
//     One difference: the server leaves out the COLLATE of an expression
//     column when it is the expression's own collation, which SQL cannot
//     see; here it is left out when it is the default collation.
//   - Column defaults are deparsed with pg_get_expr(adbin, 0): a default
//     cannot refer to a column, and without a relation the deparser skips
//     building a range table for every call.
//
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
)
SELECT 'schema' AS kind, {{nq}} AS name, 'CREATE SCHEMA ' || {{nq}} AS def
FROM pg_namespace n WHERE {{userns}}
UNION ALL
SELECT 'extension', quote_ident(e.extname),
  'CREATE EXTENSION ' || quote_ident(e.extname) || ' SCHEMA ' || quote_ident(n.nspname) || ' VERSION ' || quote_literal(e.extversion)
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
    (SELECT CASE WHEN c.relispartition THEN 'PARTITION OF ' || string_agg(i.inhparent::regclass::text, ', ') || ' ' || pg_get_expr(c.relpartbound, c.oid)
       ELSE 'INHERITS (' || string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno) || ')' END
     FROM pg_inherits i WHERE i.inhrelid = c.oid),
    CASE WHEN c.relkind = 'p' THEN 'PARTITION BY ' || pg_get_partkeydef(c.oid) END,
    CASE WHEN c.relam NOT IN (0, 2) THEN 'USING ' || (SELECT quote_ident(amname) FROM pg_am WHERE oid = c.relam) END,
    'WITH (' || array_to_string(c.reloptions, ', ') || ')',
    CASE WHEN c.relrowsecurity THEN 'ENABLE ROW LEVEL SECURITY' END,
    CASE WHEN c.relforcerowsecurity THEN 'FORCE ROW LEVEL SECURITY' END,
    CASE c.relreplident WHEN 'n' THEN 'REPLICA IDENTITY NOTHING' WHEN 'f' THEN 'REPLICA IDENTITY FULL'
      WHEN 'i' THEN 'REPLICA IDENTITY USING INDEX ' || (SELECT quote_ident(ic.relname) FROM pg_index x
        JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid AND x.indisreplident) END)
  END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
-- a sequence's parameters, and the column that owns it (serial, identity)
LEFT JOIN pg_sequence s ON c.relkind = 'S' AND s.seqrelid = c.oid
LEFT JOIN pg_depend d ON c.relkind = 'S' AND d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.objsubid = 0
  AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f') AND {{userns}} AND {{userrel}}
UNION ALL
SELECT 'column', {{q}} || '.' || quote_ident(a.attname), concat_ws(' ',
    format_type(a.atttypid, a.atttypmod),
    CASE WHEN a.attcollation <> t.typcollation THEN 'COLLATE ' || a.attcollation::regcollation::text END,
    CASE WHEN a.attnotnull THEN 'NOT NULL' END,
    CASE WHEN a.atthasdef THEN (SELECT CASE a.attgenerated
        WHEN '' THEN 'DEFAULT ' || pg_get_expr(d.adbin, 0)
        WHEN 's' THEN 'GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED'
        ELSE 'GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') VIRTUAL' END
      FROM pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum) END,
    CASE a.attidentity WHEN 'a' THEN 'GENERATED ALWAYS AS IDENTITY' WHEN 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY' END,
    CASE WHEN a.attstorage <> t.typstorage THEN 'STORAGE ' || CASE a.attstorage WHEN 'p' THEN 'PLAIN'
      WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END END,
    {{compression}}
    CASE WHEN a.attstattarget >= 0 THEN 'STATISTICS ' || a.attstattarget END,
    'WITH (' || array_to_string(a.attoptions, ', ') || ')',
    'OPTIONS (' || array_to_string(a.attfdwoptions, ', ') || ')')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid
JOIN pg_type t ON t.oid = a.atttypid
WHERE c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND {{userns}} AND {{userrel}}
UNION ALL
SELECT 'constraint', {{q}} || '.' || quote_ident(co.conname), pg_get_constraintdef(co.oid)
FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE co.contype NOT IN ('t', 'n') AND c.relkind IN ('r', 'p', 'f') AND {{userns}} AND {{userrel}}
  AND (co.conparentid = 0 OR NOT EXISTS (SELECT FROM pg_constraint p WHERE p.oid = co.conparentid AND p.conrelid = co.conrelid))
UNION ALL
SELECT 'index', max(name), max(head) || ' (' || string_agg(col, ', ') FILTER (WHERE k <= nkey) || ')' ||
  coalesce(' INCLUDE (' || string_agg(col, ', ') FILTER (WHERE k > nkey) || ')', '') || max(tail)
FROM (
  -- One row per index column, in order: string_agg takes them in the
  -- order of this sorted subquery (OFFSET 0 keeps it a subquery), which
  -- spares a sort per index.
  SELECT x.indexrelid, x.indnkeyatts AS nkey, k.n AS k,
    CASE WHEN k.n = 1 THEN {{nq}} || '.' || quote_ident(ic.relname) END AS name,
    CASE WHEN k.n = 1 THEN 'CREATE ' || CASE WHEN x.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || quote_ident(ic.relname) ||
      ' ON ' || CASE WHEN ic.relkind = 'I' THEN 'ONLY ' ELSE '' END || {{q}} || ' USING ' || quote_ident(am.amname) END AS head,
    CASE WHEN k.n = 1 THEN {{nullsnotdistinct}}
      CASE WHEN ic.reloptions IS NULL THEN '' ELSE ' WITH (' || {{opts:ic.reloptions}} || ')' END ||
      coalesce(' WHERE ' || pg_get_expr(x.indpred, x.indrelid), '') ||
      CASE WHEN x.indisvalid THEN '' ELSE ' INVALID' END END AS tail,
    CASE WHEN k.attnum <> 0 THEN (SELECT quote_ident(a.attname) ||
        CASE WHEN coalesce(k.coll, 0) IN (0, a.attcollation) THEN '' ELSE ' COLLATE ' || k.coll::regcollation::text END
        FROM pg_attribute a WHERE a.attrelid = x.indrelid AND a.attnum = k.attnum)
      ELSE pg_get_indexdef(x.indexrelid, k.n::int, false) ||
        CASE WHEN coalesce(k.coll, 0) IN (0, 100) THEN '' ELSE ' COLLATE ' || k.coll::regcollation::text END END ||
    CASE WHEN k.n > x.indnkeyatts THEN '' ELSE
      -- The operator class when it is not the default, or has options;
      -- no default btree class takes options.
      CASE WHEN o.opcdefault AND (am.amname = 'btree' OR ao.opts IS NULL) THEN '' ELSE ' ' ||
        CASE WHEN o.opcnamespace = 'pg_catalog'::regnamespace THEN '' ELSE quote_ident(o.opcnamespace::regnamespace::text) || '.' END ||
        quote_ident(o.opcname) || coalesce(' (' || ao.opts || ')', '') END ||
      CASE WHEN k.opt & 1 = 1 THEN ' DESC' || CASE WHEN k.opt & 2 = 0 THEN ' NULLS LAST' ELSE '' END
        WHEN k.opt & 2 = 2 THEN ' NULLS FIRST' ELSE '' END END AS col
  FROM pg_index x
  JOIN pg_class c ON c.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_class ic ON ic.oid = x.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
  CROSS JOIN LATERAL unnest(x.indkey::int2[], x.indcollation::oid[], x.indclass::oid[], x.indoption::int2[])
    WITH ORDINALITY AS k(attnum, coll, opc, opt, n)
  LEFT JOIN pg_opclass o ON o.oid = k.opc
  CROSS JOIN LATERAL (SELECT CASE WHEN am.amname <> 'btree' OR NOT o.opcdefault THEN
    (SELECT {{opts:ia.attoptions}} FROM pg_attribute ia WHERE ia.attrelid = x.indexrelid AND ia.attnum = k.n) END AS opts) ao
  WHERE c.relkind IN ('r', 'p', 'm') AND {{userns}} AND {{userrel}}
  ORDER BY x.indexrelid, k.n OFFSET 0
) i
GROUP BY indexrelid
UNION ALL
SELECT CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' ELSE 'type' END, {{nq}} || '.' || quote_ident(t.typname),
  CASE t.typtype
  WHEN 'e' THEN 'CREATE TYPE ' || {{nq}} || '.' || quote_ident(t.typname) || ' AS ENUM (' ||
    coalesce((SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '') || ')'
  WHEN 'd' THEN concat_ws(' ', 'CREATE DOMAIN', {{nq}} || '.' || quote_ident(t.typname), 'AS', format_type(t.typbasetype, t.typtypmod),
    CASE WHEN t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype) THEN 'COLLATE ' || t.typcollation::regcollation::text END,
    'DEFAULT ' || pg_get_expr(t.typdefaultbin, 0),
    CASE WHEN t.typnotnull THEN 'NOT NULL' END,
    (SELECT string_agg('CONSTRAINT ' || quote_ident(co.conname) || ' ' || pg_get_constraintdef(co.oid), ' ' ORDER BY co.conname)
     FROM pg_constraint co WHERE co.contypid = t.oid))
  WHEN 'c' THEN 'CREATE TYPE ' || {{nq}} || '.' || quote_ident(t.typname) || ' AS (' ||
    coalesce((SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) ||
      CASE WHEN a.attcollation <> at.typcollation THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END, ', ' ORDER BY a.attnum)
     FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'
  WHEN 'r' THEN (SELECT 'CREATE TYPE ' || {{nq}} || '.' || quote_ident(t.typname) || ' AS RANGE (' || concat_ws(', ',
      'SUBTYPE = ' || format_type(g.rngsubtype, NULL),
      (SELECT 'SUBTYPE_OPCLASS = ' || CASE WHEN o.opcnamespace = 'pg_catalog'::regnamespace THEN '' ELSE quote_ident(o.opcnamespace::regnamespace::text) || '.' END ||
        quote_ident(o.opcname) FROM pg_opclass o WHERE o.oid = g.rngsubopc AND NOT o.opcdefault),
      CASE WHEN g.rngcollation <> 0 THEN 'COLLATION = ' || g.rngcollation::regcollation::text END,
      CASE WHEN g.rngcanonical <> 0 THEN 'CANONICAL = ' || g.rngcanonical::regproc::text END,
      CASE WHEN g.rngsubdiff <> 0 THEN 'SUBTYPE_DIFF = ' || g.rngsubdiff::regproc::text END
      {{multirange}}) || ')'
    FROM pg_range g WHERE g.rngtypid = t.oid)
  WHEN 'b' THEN 'CREATE TYPE ' || {{nq}} || '.' || quote_ident(t.typname) || ' (' || concat_ws(', ',
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
  ELSE 'CREATE TYPE ' || {{nq}} || '.' || quote_ident(t.typname)
  END
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype <> 'm' AND {{userns}}
  AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
  AND NOT (t.typcategory = 'A' AND EXISTS (SELECT FROM pg_type e WHERE e.oid = t.typelem AND e.typarray = t.oid))
  AND t.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_type'::regclass)
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
  {{nq}} || '.' || quote_ident(p.proname) || '(' || oidvectortypes(p.proargtypes) || ')',
  CASE WHEN p.prokind <> 'a' THEN rtrim(pg_get_functiondef(p.oid), E'\n') ELSE
    (SELECT 'CREATE AGGREGATE ' || {{nq}} || '.' || quote_ident(p.proname) || '(' || oidvectortypes(p.proargtypes) || ') (' || concat_ws(', ',
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
     FROM pg_aggregate a WHERE a.aggfnoid = p.oid) END
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE {{userns}} AND p.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_proc'::regclass)
  -- not the constructors PostgreSQL makes for a range type
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.objsubid = 0 AND d.deptype = 'i')
UNION ALL
SELECT 'trigger', {{q}} || '.' || quote_ident(g.tgname),
  pg_get_triggerdef(g.oid) || CASE g.tgenabled WHEN 'D' THEN ' DISABLED' WHEN 'R' THEN ' ENABLE REPLICA'
    WHEN 'A' THEN ' ENABLE ALWAYS' ELSE '' END
FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT g.tgisinternal AND c.relkind IN ('r', 'p', 'v', 'f') AND {{userns}} AND {{userrel}}
UNION ALL
SELECT 'policy', {{q}} || '.' || quote_ident(p.polname), concat_ws(' ', 'CREATE POLICY', quote_ident(p.polname), 'ON', {{q}},
    CASE WHEN p.polpermissive THEN 'AS PERMISSIVE' ELSE 'AS RESTRICTIVE' END,
    'FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
    'TO ' || (SELECT string_agg(r, ', ' ORDER BY r) FROM (SELECT CASE WHEN o = 0 THEN 'PUBLIC'
      ELSE quote_ident(pg_get_userbyid(o)) END AS r FROM unnest(p.polroles) o) x),
    'USING (' || pg_get_expr(p.polqual, p.polrelid) || ')',
    'WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')')
FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE {{userns}} AND {{userrel}}
UNION ALL
SELECT 'rule', {{q}} || '.' || quote_ident(w.rulename),
  pg_get_ruledef(w.oid) || CASE w.ev_enabled WHEN 'D' THEN ' DISABLED' WHEN 'R' THEN ' ENABLE REPLICA'
    WHEN 'A' THEN ' ENABLE ALWAYS' ELSE '' END
FROM pg_rewrite w JOIN pg_class c ON c.oid = w.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE w.rulename <> '_RETURN' AND {{userns}} AND {{userrel}}
UNION ALL
SELECT 'statistics', {{nq}} || '.' || quote_ident(s.stxname),
  pg_get_statisticsobjdef(s.oid) || CASE WHEN s.stxstattarget >= 0 THEN ' STATISTICS ' || s.stxstattarget ELSE '' END
FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
WHERE {{userns}} AND s.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_statistic_ext'::regclass)
UNION ALL
SELECT 'collation', {{nq}} || '.' || quote_ident(c.collname), 'CREATE COLLATION ' || {{nq}} || '.' || quote_ident(c.collname) || ' (' || concat_ws(', ',
    'PROVIDER = ' || CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'c' THEN 'libc' ELSE 'default' END,
    'LC_COLLATE = ' || quote_literal(c.collcollate), 'LC_CTYPE = ' || quote_literal(c.collctype),
    {{icu}}
    CASE WHEN NOT c.collisdeterministic THEN 'DETERMINISTIC = false' END) || ')'
FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE {{userns}} AND c.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_collation'::regclass)
UNION ALL
SELECT 'server', quote_ident(s.srvname), concat_ws(' ', 'CREATE SERVER', quote_ident(s.srvname),
    'TYPE ' || quote_literal(s.srvtype), 'VERSION ' || quote_literal(s.srvversion), 'FOREIGN DATA WRAPPER', quote_ident(w.fdwname),
    'OPTIONS (' || array_to_string(s.srvoptions, ', ') || ')')
FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
WHERE s.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_foreign_server'::regclass)
UNION ALL
SELECT 'event trigger', quote_ident(e.evtname), concat_ws(' ', 'CREATE EVENT TRIGGER', quote_ident(e.evtname), 'ON', quote_ident(e.evtevent),
    'WHEN TAG IN (' || (SELECT string_agg(quote_literal(t), ', ' ORDER BY t) FROM unnest(e.evttags) t) || ')',
    'EXECUTE FUNCTION', e.evtfoid::regproc::text || '()',
    CASE e.evtenabled WHEN 'D' THEN 'DISABLED' WHEN 'R' THEN 'ENABLE REPLICA' WHEN 'A' THEN 'ENABLE ALWAYS' END)
FROM pg_event_trigger e
WHERE e.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_event_trigger'::regclass)`

// minVersion is the oldest PostgreSQL major version the query supports.
const minVersion = 13

// buildQuery returns the snapshot query for a server of the given major
// version.
func buildQuery(major int) string {
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
		// Objects of the user: not in the system's schemas, not part of
		// an extension. n is the namespace, c the relation.
		"{{userns}}", "left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema' "+
			"AND n.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_namespace'::regclass)",
		"{{userrel}}", "c.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_class'::regclass)",
		"{{nq}}", "quote_ident(n.nspname)",
		"{{q}}", "(quote_ident(n.nspname) || '.' || quote_ident(c.relname))",
		"{{opts:ic.reloptions}}", opts("ic.reloptions"),
		"{{opts:ia.attoptions}}", opts("ia.attoptions"),
		"{{nullsnotdistinct}}", at(15, "CASE WHEN x.indnullsnotdistinct THEN ' NULLS NOT DISTINCT' ELSE '' END ||", ""),
		"{{compression}}", at(14, "CASE a.attcompression WHEN 'p' THEN 'COMPRESSION pglz' WHEN 'l' THEN 'COMPRESSION lz4' END,", ""),
		"{{multirange}}", at(14, ", 'MULTIRANGE_TYPE_NAME = ' || g.rngmultitypid::regtype::text", ""),
		"{{subscript}}", at(14, "CASE WHEN t.typsubscript <> 0 THEN 'SUBSCRIPT = ' || t.typsubscript::regproc::text END,", ""),
		"{{icu}}", icu,
	).Replace(queryTemplate)
}
