package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"sync"
)

// The incremental snapshot query (see Snapshotter): one SELECT that tells
// which catalog rows are new since the previous snapshot, which objects may
// have changed because of them ("candidates"), and prints those objects
// only, with the same expressions as Take's query (the exactness tests hold
// the two together).
//
// New rows. A catalog row is new when its xmin is at or after the horizon
// of the previous snapshot: the oldest transaction that was still running
// then and could write this database's catalogs (any but the sessions of
// other databases), or the next transaction if none. Every row changed
// since then is new: an UPDATE writes a new row version, with the xmin of
// the transaction that made it, and a transaction that was still running
// has an xid at or after the horizon (its subtransactions' are later
// still). A row that is not new is the very row version the previous
// snapshot read. (In a transaction block the Snapshotter uses Take: a row
// the open transaction changes twice keeps its xmin.) Only rows from
// FirstNormalObjectId (16384) on are looked at: the objects of initdb are
// not the user's and do not change.
//
// Which rows are objects. For each kind of catalog row that is an object
// (relations, constraints, indexes, triggers, rules, policies, types,
// functions, statistics), the query counts the rows, and sends the new ones
// as records: the few fields that decide whether the row is an object of
// the snapshot (its schema, its relation, its kind...); the Snapshotter
// applies Take's membership tests to them (assemble). When the rows that
// are not new are fewer than the previous snapshot counted, some were
// deleted: all the records of that kind are sent instead. The schemas and
// the extensions' members (when their number changed, or one is new) come
// whole. The columns are listed only for the relations whose pg_class row
// or a column's is new ("touched"): the other tables have the columns of
// the previous snapshot.
//
// Candidates. An object may have changed when a catalog row that its name
// or definition reads is new, which the query finds three ways:
//
//   - The object's own rows: a column's pg_attribute row, its default, a
//     constraint's row, an index's pg_index and pg_class rows, a sequence's
//     pg_sequence row, a view's _RETURN rule and columns...
//   - The objects it refers to, through pg_depend, which records every
//     object an expression, a column type, a view, an index, a function
//     signature refers to (but the pinned objects of initdb). The roots are
//     the relations whose name may have changed, the types, functions,
//     operators, operator classes and families, collations, languages and
//     text search objects whose row is new, and the enums with a new
//     label; a type that depends on a changed object (an array of it, a
//     domain over it, the row type of a renamed table) is changed too,
//     transitively. Every object that depends on a changed object is a
//     candidate; so is every object that depends on a column whose
//     pg_attribute row is new, or on the whole of its relation, and every
//     object whose dependencies are recorded on a candidate (an index made
//     for a constraint).
//   - The relation that a column, constraint, index, trigger, policy or
//     rule belongs to, when its name may have changed: it is part of their
//     names (and of some definitions). A relation's name can only have
//     changed when its pg_class row is new and its row type's is too
//     (renaming or moving a relation renames or moves its row type in the
//     same command; the row type's name and schema are checked to be the
//     relation's); a relation without a row type (a sequence, an index)
//     counts as renamed whenever its pg_class row is new.
//
// A few are candidates every time: extensions, collations, servers and
// event triggers (few, and printed whole), foreign tables, aggregates,
// tables with REPLICA IDENTITY USING INDEX, policies for named roles (role
// names are in pg_authid, which only a superuser may read), and partitions
// when an enum has a new label (their bounds may print it). Everything is
// a candidate the first time, and when a schema of the previous snapshot is
// renamed (every qualified name may change).
//
// A definition can also change when a row it reads is deleted with no new
// row left in its place: a table's parents (NO INHERIT) and a domain's
// constraints (DROP CONSTRAINT). The query returns their number per table
// and per domain ("shapes"), which the Snapshotter sends back with the next
// snapshot; a table or domain whose number changed is a candidate. Other
// deletions come with a new row (dropping a default updates the column's
// row, OWNED BY NONE the sequence's...), or with the object's own removal.
//
// An object that appears with no new row (one an extension lets go of,
// ALTER EXTENSION ... DROP) is not in the previous snapshot: the
// Snapshotter notices, and reads everything again.
//
// The plan is prepared once, usually on an empty database, and kept while
// the schema grows: what it looks up from a set of changes is looked up
// with "= ANY (ARRAY(...))" or LATERAL ... OFFSET 0, so that it stays an
// index lookup whatever the sizes the planner saw (see also
// incrementalSettings).
//
// Rows: (tag, id, kind, name, def, ids). 'R': the records of a kind
// (kind), id the number of its rows, def 'F' (all of them) or 'N' (the new
// ones), ids 20 bytes each: the OID and four fields. 'E': the number of
// the extensions' members in id, and in ids (catalog, OID) pairs when they
// changed. 'N': the schemas whose name is a user's, 'T': the touched
// relations, in ids (OIDs); 'A': their columns (OID, number). 'h': a shape
// (id, and the number in def). 'H': the new horizon in def, id 1 when
// everything was a candidate. 'C': the candidates (tag << 48 | OID << 16 |
// column). A candidate's object: its tag, its OID << 16 (| its number for
// a column), kind, name and definition, as many rows as Take's query has
// for it (usually one). 'x': an object printed every time.
//
// {{...}} markers are replaced by buildIncrementalQuery.
const incrementalTemplate = `WITH RECURSIVE h AS MATERIALIZED (
  -- k: a row is new when its xmin's age is at most k
  SELECT coalesce(age(xid($1::xid8)), 2147483647) AS k
), ext AS MATERIALIZED (
  SELECT d.classid, d.objid, age(d.xmin) BETWEEN 0 AND h.k AS new
  FROM h, pg_depend d WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
), g AS MATERIALIZED (
  SELECT h.k = 2147483647
      -- a schema of the previous snapshot renamed: every name may change
      OR EXISTS (SELECT FROM pg_namespace n WHERE age(n.xmin) BETWEEN 0 AND h.k AND n.oid = ANY ($5::oid[])) AS everything,
    EXISTS (SELECT FROM pg_enum e WHERE age(e.xmin) BETWEEN 0 AND h.k) AS labels,
    e.n AS extn,
    $4::int8[] IS NULL OR cardinality($4::int8[]) <> 10 OR e.n <> $4[1] OR e.new AS relist
  FROM h, (SELECT count(*) AS n, coalesce(bool_or(new), false) AS new FROM ext) e
),
-- The rows of the catalogs of the kinds of objects, from FirstNormalObjectId
-- on (the user's objects are made after initdb): how many there are (n),
-- how many are not new (old), the new ones as records (rows), and their
-- OIDs (new). When old is the number of the previous snapshot, every row it
-- counted is still there unchanged, and the new rows bring its records up
-- to date; otherwise all the records are sent.
cls AS MATERIALIZED (
  SELECT count(*) AS n, count(*) FILTER (WHERE NOT new) AS old, string_agg(int4send(oid::int4) || int4send(a::int4) || int4send(b::int4) || int4send(c::int4) || int4send(d::int4), ''::bytea) FILTER (WHERE new) AS rows,
    array_agg(oid) FILTER (WHERE new) AS new,
    -- printed every time: foreign tables, REPLICA IDENTITY USING INDEX,
    -- partitions when an enum label is new
    array_agg(oid) FILTER (WHERE always) AS always
  FROM (SELECT c.oid, c.relnamespace AS a, ascii(c.relkind) AS b, 0 AS c, 0 AS d, age(c.xmin) BETWEEN 0 AND g.k AS new,
      c.relkind = 'f' OR c.relreplident = 'i' OR (c.relispartition AND g.labels) AS always
    FROM (SELECT k, labels FROM h, g) g, pg_class c WHERE c.oid >= 16384) r
), cons AS MATERIALIZED (
  SELECT count(*) AS n, count(*) FILTER (WHERE NOT new) AS old, string_agg(int4send(oid::int4) || int4send(a::int4) || int4send(b::int4) || int4send(c::int4) || int4send(d::int4), ''::bytea) FILTER (WHERE new) AS rows, array_agg(oid) FILTER (WHERE new) AS new
  FROM (SELECT co.oid, co.conrelid AS a, ascii(co.contype) AS b, co.conparentid AS c, 0 AS d, age(co.xmin) BETWEEN 0 AND h.k AS new
    FROM h, pg_constraint co WHERE co.conrelid >= 16384) r
), idxs AS MATERIALIZED (
  SELECT count(*) AS n, count(*) FILTER (WHERE NOT new) AS old, string_agg(int4send(oid::int4) || int4send(a::int4) || int4send(b::int4) || int4send(c::int4) || int4send(d::int4), ''::bytea) FILTER (WHERE new) AS rows, array_agg(oid) FILTER (WHERE new) AS new
  FROM (SELECT x.indexrelid AS oid, x.indrelid AS a, 0 AS b, 0 AS c, 0 AS d, age(x.xmin) BETWEEN 0 AND h.k AS new
    FROM h, pg_index x WHERE x.indrelid >= 16384) r
), trgs AS MATERIALIZED (
  SELECT count(*) AS n, count(*) FILTER (WHERE NOT new) AS old, string_agg(int4send(oid::int4) || int4send(a::int4) || int4send(b::int4) || int4send(c::int4) || int4send(d::int4), ''::bytea) FILTER (WHERE new) AS rows, array_agg(oid) FILTER (WHERE new) AS new
  FROM (SELECT t.oid, t.tgrelid AS a, t.tgisinternal::int AS b, 0 AS c, 0 AS d, age(t.xmin) BETWEEN 0 AND h.k AS new
    FROM h, pg_trigger t WHERE t.tgrelid >= 16384) r
), rules AS MATERIALIZED (
  SELECT count(*) AS n, count(*) FILTER (WHERE NOT new) AS old, string_agg(int4send(oid::int4) || int4send(a::int4) || int4send(b::int4) || int4send(c::int4) || int4send(d::int4), ''::bytea) FILTER (WHERE new) AS rows, array_agg(oid) FILTER (WHERE new) AS new
  FROM (SELECT w.oid, w.ev_class AS a, (w.rulename = '_RETURN')::int AS b, 0 AS c, 0 AS d, age(w.xmin) BETWEEN 0 AND h.k AS new
    FROM h, pg_rewrite w WHERE w.ev_class >= 16384) r
), pols AS MATERIALIZED (
  -- a policy prints role names, which only a superuser may read the rows
  -- of (pg_authid): the ones for named roles are printed every time
  SELECT count(*) AS n, count(*) FILTER (WHERE NOT new) AS old, string_agg(int4send(oid::int4) || int4send(a::int4) || int4send(b::int4) || int4send(c::int4) || int4send(d::int4), ''::bytea) FILTER (WHERE new) AS rows,
    array_agg(oid) FILTER (WHERE new OR always) AS new
  FROM (SELECT p.oid, p.polrelid AS a, 0 AS b, 0 AS c, 0 AS d, age(p.xmin) BETWEEN 0 AND h.k AS new, p.polroles <> '{0}' AS always
    FROM h, pg_policy p WHERE p.polrelid >= 16384) r
), typs AS MATERIALIZED (
  SELECT count(*) AS n, count(*) FILTER (WHERE NOT new) AS old, string_agg(int4send(oid::int4) || int4send(a::int4) || int4send(b::int4) || int4send(c::int4) || int4send(d::int4), ''::bytea) FILTER (WHERE new) AS rows, array_agg(oid) FILTER (WHERE new) AS new
  FROM (SELECT t.oid, t.typnamespace AS a, ascii(t.typtype) | (ascii(t.typcategory) << 8) AS b, t.typrelid AS c, t.typarray AS d,
      age(t.xmin) BETWEEN 0 AND h.k AS new
    FROM h, pg_type t WHERE t.oid >= 16384) r
), procs AS MATERIALIZED (
  -- aggregates are printed every time
  SELECT count(*) AS n, count(*) FILTER (WHERE NOT new) AS old, string_agg(int4send(oid::int4) || int4send(a::int4) || int4send(b::int4) || int4send(c::int4) || int4send(d::int4), ''::bytea) FILTER (WHERE new) AS rows,
    array_agg(oid) FILTER (WHERE new) AS new, array_agg(oid) FILTER (WHERE new OR kind = 'a') AS dirty
  FROM (SELECT p.oid, p.pronamespace AS a, p.prokind AS kind, 0 AS c, 0 AS d, age(p.xmin) BETWEEN 0 AND h.k AS new,
      -- b, computed for the records sent only: the kind, and whether a
      -- range type's constructor (not an object of the snapshot)
      ascii(p.prokind) | ((EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
        AND d.objsubid = 0 AND d.deptype = 'i'))::int << 8) AS b
    FROM h, pg_proc p WHERE p.oid >= 16384) r
), stxs AS MATERIALIZED (
  SELECT count(*) AS n, count(*) FILTER (WHERE NOT new) AS old, string_agg(int4send(oid::int4) || int4send(a::int4) || int4send(b::int4) || int4send(c::int4) || int4send(d::int4), ''::bytea) FILTER (WHERE new) AS rows, array_agg(oid) FILTER (WHERE new) AS new
  FROM (SELECT s.oid, s.stxnamespace AS a, 0 AS b, 0 AS c, 0 AS d, age(s.xmin) BETWEEN 0 AND h.k AS new
    FROM h, pg_statistic_ext s WHERE s.oid >= 16384) r
),
-- What changed since the previous snapshot.
relnew AS MATERIALIZED (
  SELECT unnest(cls.new) AS oid FROM g, cls WHERE NOT g.everything
), namechg AS MATERIALIZED (
  -- relations whose name may have changed: renaming or moving a relation
  -- renames or moves its row type too
  SELECT c.oid FROM h, pg_class c
  WHERE c.oid = ANY (ARRAY(SELECT oid FROM relnew)) AND (c.reltype = 0 OR NOT EXISTS (SELECT FROM pg_type t WHERE t.oid = c.reltype
    AND t.typname = c.relname AND t.typnamespace = c.relnamespace AND NOT (age(t.xmin) BETWEEN 0 AND h.k)))
), attnew AS MATERIALIZED (
  -- columns whose pg_attribute row is new
  SELECT a.attrelid, a.attnum FROM h, g, pg_attribute a
  WHERE NOT g.everything AND a.attrelid >= 16384 AND a.attnum > 0 AND age(a.xmin) BETWEEN 0 AND h.k
), roots (classid, objid) AS (
  SELECT 'pg_class'::regclass::oid, oid FROM namechg
  UNION ALL SELECT 'pg_type'::regclass::oid, e.enumtypid FROM h, g, pg_enum e WHERE NOT g.everything AND age(e.xmin) BETWEEN 0 AND h.k
  UNION ALL SELECT 'pg_type'::regclass::oid, unnest(typs.new) FROM g, typs WHERE NOT g.everything
  UNION ALL SELECT 'pg_proc'::regclass::oid, unnest(procs.new) FROM g, procs WHERE NOT g.everything
  {{roots pg_operator pg_opclass pg_opfamily pg_collation pg_language pg_ts_config pg_ts_dict}}
), changed (classid, objid) AS (
  SELECT classid, objid FROM roots
  UNION
  -- types that depend on a changed object: arrays, domains, row types...
  SELECT d.classid, d.objid FROM changed ch, LATERAL (SELECT d.classid, d.objid FROM pg_depend d
    WHERE d.refclassid = ch.classid AND d.refobjid = ch.objid AND d.classid = 'pg_type'::regclass OFFSET 0) d
), dd (classid, objid, objsubid) AS (
  -- the objects that depend on a changed object or column, and the ones
  -- whose dependencies are recorded on those (an index made for a
  -- constraint depends on the constraint, which depends on the columns)
  SELECT d.classid, d.objid, d.objsubid FROM changed ch, LATERAL (SELECT d.classid, d.objid, d.objsubid FROM pg_depend d
    WHERE d.refclassid = ch.classid AND d.refobjid = ch.objid OFFSET 0) d
  UNION
  SELECT d.classid, d.objid, d.objsubid FROM attnew an, LATERAL (SELECT d.classid, d.objid, d.objsubid FROM pg_depend d
    WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = an.attrelid AND d.refobjsubid IN (an.attnum, 0) OFFSET 0) d
  UNION
  SELECT d.classid, d.objid, d.objsubid FROM dd, LATERAL (SELECT d.classid, d.objid, d.objsubid FROM pg_depend d
    WHERE d.refclassid = dd.classid AND d.refobjid = dd.objid AND d.deptype = 'i' OFFSET 0) d
), shapes AS MATERIALIZED (
  SELECT inhrelid::int8 AS id, count(*)::int4 AS n FROM pg_inherits GROUP BY inhrelid
  UNION ALL
  SELECT contypid::int8 + 4294967296, count(*)::int4 FROM pg_constraint WHERE contypid >= 16384 GROUP BY contypid
), shapechg AS MATERIALIZED (
  SELECT coalesce(s.id, k.id) AS id FROM shapes s
  FULL JOIN unnest($2::int8[], $3::int4[]) AS k(id, n) ON k.id = s.id
  WHERE s.n IS DISTINCT FROM k.n
), touched AS MATERIALIZED (
  -- the relations whose columns are listed: the others have the same
  -- columns as in the previous snapshot
  SELECT c.oid FROM g, pg_class c WHERE g.everything AND c.oid >= 16384 AND c.relkind IN ('r', 'p', 'f')
  UNION
  SELECT oid FROM relnew
  UNION
  SELECT attrelid FROM attnew
), cols AS MATERIALIZED (
  SELECT a.attrelid, a.attnum FROM pg_attribute a
  WHERE a.attrelid = ANY (ARRAY(SELECT oid FROM touched)) AND a.attnum > 0 AND NOT a.attisdropped
), everything (tag, oid, sub) AS (
  -- every object, the first time or when a schema was renamed
  SELECT 'n'::"char", n.oid, 0::int2 FROM pg_namespace n
  UNION ALL SELECT 'c', c.oid, 0 FROM pg_class c WHERE c.oid >= 16384 AND c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f')
  UNION ALL SELECT 'a', attrelid, attnum FROM cols
  UNION ALL SELECT 'o', co.oid, 0 FROM pg_constraint co WHERE co.conrelid >= 16384
  UNION ALL SELECT 'i', x.indexrelid, 0 FROM pg_index x WHERE x.indrelid >= 16384
  UNION ALL SELECT 't', t.oid, 0 FROM pg_type t WHERE t.oid >= 16384 AND t.typrelid = 0
  UNION ALL SELECT 't', c.reltype, 0 FROM pg_class c WHERE c.oid >= 16384 AND c.relkind = 'c'
  UNION ALL SELECT 'p', p.oid, 0 FROM pg_proc p WHERE p.oid >= 16384
  UNION ALL SELECT 'g', t.oid, 0 FROM pg_trigger t WHERE t.tgrelid >= 16384 AND NOT t.tgisinternal
  UNION ALL SELECT 'y', p.oid, 0 FROM pg_policy p WHERE p.polrelid >= 16384
  UNION ALL SELECT 'w', w.oid, 0 FROM pg_rewrite w WHERE w.ev_class >= 16384 AND w.rulename <> '_RETURN'
  UNION ALL SELECT 's', s.oid, 0 FROM pg_statistic_ext s WHERE s.oid >= 16384
),
-- The candidates: the objects that may have changed. A candidate that is
-- not an object of its kind prints nothing.
cand (tag, oid, sub) AS (
  SELECT e.* FROM g, everything e WHERE g.everything
  -- schemas
  UNION SELECT 'n', n.oid, 0 FROM h, pg_namespace n WHERE age(n.xmin) BETWEEN 0 AND h.k
  -- relations
  UNION SELECT 'c', unnest(always), 0 FROM cls
  UNION SELECT 'c', oid, 0 FROM relnew
  UNION SELECT 'c', objid, 0 FROM dd WHERE classid = 'pg_class'::regclass AND objsubid = 0
  UNION SELECT 'c', id::oid, 0 FROM shapechg WHERE id < 4294967296
  UNION SELECT 'c', s.seqrelid, 0 FROM h, pg_sequence s WHERE age(s.xmin) BETWEEN 0 AND h.k
  UNION SELECT 'c', w.ev_class, 0 FROM h, pg_rewrite w
    WHERE w.ev_class >= 16384 AND w.rulename = '_RETURN' AND age(w.xmin) BETWEEN 0 AND h.k
  UNION SELECT 'c', w.ev_class, 0 FROM pg_rewrite w
    WHERE w.oid = ANY (ARRAY(SELECT objid FROM dd WHERE classid = 'pg_rewrite'::regclass)) AND w.rulename = '_RETURN'
  UNION SELECT 'c', attrelid, 0 FROM attnew
  UNION SELECT 'c', p.partrelid, 0 FROM h, pg_partitioned_table p WHERE age(p.xmin) BETWEEN 0 AND h.k
  -- columns
  UNION SELECT 'a', attrelid, attnum FROM attnew
  UNION SELECT 'a', a.attrelid, a.attnum FROM pg_attribute a WHERE a.attrelid = ANY (ARRAY(SELECT oid FROM namechg)) AND a.attnum > 0
  UNION SELECT 'a', objid, objsubid::int2 FROM dd WHERE classid = 'pg_class'::regclass AND objsubid > 0
  UNION SELECT 'a', d.adrelid, d.adnum FROM h, pg_attrdef d WHERE age(d.xmin) BETWEEN 0 AND h.k
  UNION SELECT 'a', d.adrelid, d.adnum FROM pg_attrdef d WHERE d.oid = ANY (ARRAY(SELECT objid FROM dd WHERE classid = 'pg_attrdef'::regclass))
  -- constraints
  UNION SELECT 'o', unnest(new), 0 FROM cons
  UNION SELECT 'o', co.oid, 0 FROM pg_constraint co WHERE co.conrelid = ANY (ARRAY(SELECT oid FROM namechg))
  UNION SELECT 'o', objid, 0 FROM dd WHERE classid = 'pg_constraint'::regclass
  -- a primary key, unique or exclusion constraint prints its index's options
  UNION SELECT 'o', co.oid, 0 FROM pg_constraint co
    WHERE co.conrelid = ANY (ARRAY(SELECT x.indrelid FROM pg_index x WHERE x.indexrelid = ANY (ARRAY(SELECT oid FROM relnew))))
      AND co.conindid = ANY (ARRAY(SELECT oid FROM relnew))
  -- indexes
  UNION SELECT 'i', unnest(new), 0 FROM idxs
  UNION SELECT 'i', oid, 0 FROM relnew
  UNION SELECT 'i', x.indexrelid, 0 FROM pg_index x WHERE x.indrelid = ANY (ARRAY(SELECT oid FROM namechg))
  UNION SELECT 'i', objid, 0 FROM dd WHERE classid = 'pg_class'::regclass AND objsubid = 0
  -- types
  UNION SELECT 't', unnest(new), 0 FROM typs
  UNION SELECT 't', objid, 0 FROM changed WHERE classid = 'pg_type'::regclass
  UNION SELECT 't', objid, 0 FROM dd WHERE classid = 'pg_type'::regclass
  {{multirange candidates}}
  UNION SELECT 't', co.contypid, 0 FROM h, pg_constraint co WHERE co.contypid >= 16384 AND age(co.xmin) BETWEEN 0 AND h.k
  UNION SELECT 't', co.contypid, 0 FROM pg_constraint co
    WHERE co.oid = ANY (ARRAY(SELECT objid FROM dd WHERE classid = 'pg_constraint'::regclass)) AND co.contypid <> 0
  UNION SELECT 't', (id - 4294967296)::oid, 0 FROM shapechg WHERE id >= 4294967296
  -- a composite type: its columns, or their types, changed
  UNION SELECT 't', c.reltype, 0 FROM pg_class c WHERE c.oid = ANY (ARRAY(SELECT oid FROM touched)) AND c.relkind = 'c'
  UNION SELECT 't', c.reltype, 0 FROM pg_class c
    WHERE c.oid = ANY (ARRAY(SELECT objid FROM dd WHERE classid = 'pg_class'::regclass)) AND c.relkind = 'c'
  -- functions
  UNION SELECT 'p', unnest(dirty), 0 FROM procs
  UNION SELECT 'p', objid, 0 FROM dd WHERE classid = 'pg_proc'::regclass
  -- triggers, policies, rules, statistics
  UNION SELECT 'g', unnest(new), 0 FROM trgs
  UNION SELECT 'g', t.oid, 0 FROM pg_trigger t WHERE t.tgrelid = ANY (ARRAY(SELECT oid FROM namechg))
  UNION SELECT 'g', objid, 0 FROM dd WHERE classid = 'pg_trigger'::regclass
  UNION SELECT 'y', unnest(new), 0 FROM pols
  UNION SELECT 'y', p.oid, 0 FROM pg_policy p WHERE p.polrelid = ANY (ARRAY(SELECT oid FROM namechg))
  UNION SELECT 'y', objid, 0 FROM dd WHERE classid = 'pg_policy'::regclass
  UNION SELECT 'w', unnest(new), 0 FROM rules
  UNION SELECT 'w', w.oid, 0 FROM pg_rewrite w WHERE w.ev_class = ANY (ARRAY(SELECT oid FROM namechg))
  UNION SELECT 'w', objid, 0 FROM dd WHERE classid = 'pg_rewrite'::regclass
  UNION SELECT 's', unnest(new), 0 FROM stxs
  UNION SELECT 's', objid, 0 FROM dd WHERE classid = 'pg_statistic_ext'::regclass
), lists AS MATERIALIZED (
  -- whether all of a kind's records are sent
  SELECT a OR cls.old <> $4[2] AS c, a OR cons.old <> $4[3] AS o, a OR idxs.old <> $4[4] AS i,
    a OR trgs.old <> $4[5] AS g, a OR rules.old <> $4[6] AS w, a OR pols.old <> $4[7] AS y,
    a OR typs.old <> $4[8] AS t, a OR procs.old <> $4[9] AS p, a OR stxs.old <> $4[10] AS s
  FROM (SELECT everything OR relist AS a FROM g) g, cls, cons, idxs, trgs, rules, pols, typs, procs, stxs
)
-- Records: the counted catalogs' rows ('R', the number of rows, the kind,
-- 'F' when all of them or 'N' when the new ones); the extensions' members
-- when they changed ('E'); the user's schemas ('N'), the relations whose
-- columns are listed ('T') and their columns ('A'); the shapes ('h'); the
-- horizon ('H').
SELECT 'R' AS tag, cls.n AS id, 'c' AS kind, NULL AS name, CASE WHEN l.c THEN 'F' ELSE 'N' END AS def,
  CASE WHEN l.c THEN (SELECT string_agg(int4send((c.oid)::int4) || int4send((c.relnamespace)::int4) || int4send((ascii(c.relkind))::int4) || int4send((0)::int4) || int4send((0)::int4), ''::bytea) FROM pg_class c WHERE c.oid >= 16384) ELSE cls.rows END AS ids
FROM lists l, cls
UNION ALL
SELECT 'R' AS tag, cons.n AS id, 'o' AS kind, NULL AS name, CASE WHEN l.o THEN 'F' ELSE 'N' END AS def,
  CASE WHEN l.o THEN (SELECT string_agg(int4send((co.oid)::int4) || int4send((co.conrelid)::int4) || int4send((ascii(co.contype))::int4) || int4send((co.conparentid)::int4) || int4send((0)::int4), ''::bytea) FROM pg_constraint co WHERE co.conrelid >= 16384) ELSE cons.rows END AS ids
FROM lists l, cons
UNION ALL
SELECT 'R' AS tag, idxs.n AS id, 'i' AS kind, NULL AS name, CASE WHEN l.i THEN 'F' ELSE 'N' END AS def,
  CASE WHEN l.i THEN (SELECT string_agg(int4send((x.indexrelid)::int4) || int4send((x.indrelid)::int4) || int4send((0)::int4) || int4send((0)::int4) || int4send((0)::int4), ''::bytea) FROM pg_index x WHERE x.indrelid >= 16384) ELSE idxs.rows END AS ids
FROM lists l, idxs
UNION ALL
SELECT 'R' AS tag, trgs.n AS id, 'g' AS kind, NULL AS name, CASE WHEN l.g THEN 'F' ELSE 'N' END AS def,
  CASE WHEN l.g THEN (SELECT string_agg(int4send((t.oid)::int4) || int4send((t.tgrelid)::int4) || int4send((t.tgisinternal::int)::int4) || int4send((0)::int4) || int4send((0)::int4), ''::bytea) FROM pg_trigger t WHERE t.tgrelid >= 16384) ELSE trgs.rows END AS ids
FROM lists l, trgs
UNION ALL
SELECT 'R' AS tag, rules.n AS id, 'w' AS kind, NULL AS name, CASE WHEN l.w THEN 'F' ELSE 'N' END AS def,
  CASE WHEN l.w THEN (SELECT string_agg(int4send((w.oid)::int4) || int4send((w.ev_class)::int4) || int4send(((w.rulename = '_RETURN')::int)::int4) || int4send((0)::int4) || int4send((0)::int4), ''::bytea) FROM pg_rewrite w WHERE w.ev_class >= 16384) ELSE rules.rows END AS ids
FROM lists l, rules
UNION ALL
SELECT 'R' AS tag, pols.n AS id, 'y' AS kind, NULL AS name, CASE WHEN l.y THEN 'F' ELSE 'N' END AS def,
  CASE WHEN l.y THEN (SELECT string_agg(int4send((p.oid)::int4) || int4send((p.polrelid)::int4) || int4send((0)::int4) || int4send((0)::int4) || int4send((0)::int4), ''::bytea) FROM pg_policy p WHERE p.polrelid >= 16384) ELSE pols.rows END AS ids
FROM lists l, pols
UNION ALL
SELECT 'R' AS tag, typs.n AS id, 't' AS kind, NULL AS name, CASE WHEN l.t THEN 'F' ELSE 'N' END AS def,
  CASE WHEN l.t THEN (SELECT string_agg(int4send((t.oid)::int4) || int4send((t.typnamespace)::int4) || int4send((ascii(t.typtype) | (ascii(t.typcategory) << 8))::int4) || int4send((t.typrelid)::int4) || int4send((t.typarray)::int4), ''::bytea) FROM pg_type t WHERE t.oid >= 16384) ELSE typs.rows END AS ids
FROM lists l, typs
UNION ALL
SELECT 'R' AS tag, procs.n AS id, 'p' AS kind, NULL AS name, CASE WHEN l.p THEN 'F' ELSE 'N' END AS def,
  CASE WHEN l.p THEN (SELECT string_agg(int4send((p.oid)::int4) || int4send((p.pronamespace)::int4) || int4send((ascii(p.prokind) | ((EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.objsubid = 0 AND d.deptype = 'i'))::int << 8))::int4) || int4send((0)::int4) || int4send((0)::int4), ''::bytea) FROM pg_proc p WHERE p.oid >= 16384) ELSE procs.rows END AS ids
FROM lists l, procs
UNION ALL
SELECT 'R' AS tag, stxs.n AS id, 's' AS kind, NULL AS name, CASE WHEN l.s THEN 'F' ELSE 'N' END AS def,
  CASE WHEN l.s THEN (SELECT string_agg(int4send((s.oid)::int4) || int4send((s.stxnamespace)::int4) || int4send((0)::int4) || int4send((0)::int4) || int4send((0)::int4), ''::bytea) FROM pg_statistic_ext s WHERE s.oid >= 16384) ELSE stxs.rows END AS ids
FROM lists l, stxs
UNION ALL
SELECT 'E', extn, NULL, NULL, NULL, CASE WHEN relist THEN (SELECT string_agg(int4send(classid::int4) || int4send(objid::int4), ''::bytea) FROM ext) END FROM g
UNION ALL
SELECT 'N', NULL, NULL, NULL, NULL, string_agg(int4send(n.oid::int4), ''::bytea) FROM pg_namespace n
WHERE ` + userSchema + `
UNION ALL
SELECT 'T', NULL, NULL, NULL, NULL, string_agg(int4send(oid::int4), ''::bytea) FROM touched
UNION ALL
SELECT 'A', NULL, NULL, NULL, NULL, string_agg(int4send(attrelid::int4) || int2send(attnum), ''::bytea) FROM cols
UNION ALL
SELECT 'h', id, NULL, NULL, n::text, NULL FROM shapes
UNION ALL
-- The horizon: the oldest transaction that may still write the rows of
-- this database's catalogs: the oldest one still running but for the ones
-- of other databases' sessions, or the next one.
SELECT 'H', CASE WHEN everything THEN 1 ELSE 0 END, NULL, NULL, coalesce((
    SELECT min(x) FROM pg_snapshot_xip(s) x
    WHERE xid(x) NOT IN (SELECT a.backend_xid FROM pg_stat_get_activity(NULL) a
        WHERE a.backend_xid IS NOT NULL AND a.datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database()))
      AND xid(x) NOT IN (SELECT p.transaction FROM pg_prepared_xacts p WHERE p.database <> current_database())),
  pg_snapshot_xmax(s))::text, NULL
FROM g, pg_current_snapshot() s
UNION ALL
-- The candidates ('C'): 8 bytes each, the tag << 48 | the OID << 16 | the
-- column's number. Then the definitions of those that are objects, as
-- many rows as Take's query has for each (usually one).
SELECT 'C', NULL, NULL, NULL, NULL, string_agg(int8send((ascii(tag)::int8 << 48) | (oid::int8 << 16) | sub), ''::bytea) FROM cand
UNION ALL
SELECT 'n', n.oid::int8 << 16, 'schema' AS kind, {{nq}} AS name, 'CREATE SCHEMA ' || {{nq}} AS def, NULL
  FROM pg_namespace n
  WHERE n.oid = ANY (ARRAY(SELECT oid FROM cand WHERE tag = 'n'))
UNION ALL
SELECT 'c', c.oid::int8 << 16, CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
      WHEN 'f' THEN 'foreign table' ELSE 'table' END AS kind, {{q}} AS name,
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
    END AS def, NULL
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_sequence s ON c.relkind = 'S' AND s.seqrelid = c.oid
  LEFT JOIN pg_depend d ON c.relkind = 'S' AND d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.objsubid = 0
    AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
  LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
  WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f') AND c.oid = ANY (ARRAY(SELECT oid FROM cand WHERE tag = 'c'))
UNION ALL
SELECT 'a', (a.attrelid::int8 << 16) | a.attnum, 'column' AS kind, {{q}} || '.' || quote_ident(a.attname) AS name, concat_ws(' ',
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
      'OPTIONS (' || array_to_string(a.attfdwoptions, ', ') || ')') AS def, NULL
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_type t ON t.oid = a.atttypid
  WHERE c.relkind IN ('r', 'p', 'f') AND a.attrelid = ANY (ARRAY(SELECT oid FROM cand WHERE tag = 'a'))
    AND ((a.attrelid::int8 << 16) | a.attnum) = ANY (ARRAY(SELECT (oid::int8 << 16) | sub FROM cand WHERE tag = 'a')) AND NOT a.attisdropped
UNION ALL
SELECT 'o', co.oid::int8 << 16, 'constraint' AS kind, {{q}} || '.' || quote_ident(co.conname) AS name, pg_get_constraintdef(co.oid) AS def, NULL
  FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE co.oid = ANY (ARRAY(SELECT oid FROM cand WHERE tag = 'o'))
UNION ALL
SELECT 'i', indexrelid::int8 << 16, 'index' AS kind, max(name) AS name, max(head) || ' (' || string_agg(col, ', ') FILTER (WHERE k <= nkey) || ')' ||
    coalesce(' INCLUDE (' || string_agg(col, ', ') FILTER (WHERE k > nkey) || ')', '') || max(tail) AS def, NULL
  FROM (
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
    WHERE x.indexrelid = ANY (ARRAY(SELECT oid FROM cand WHERE tag = 'i'))
    ORDER BY x.indexrelid, k.n OFFSET 0
  ) i
  GROUP BY indexrelid
UNION ALL
SELECT 't', t.oid::int8 << 16, CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' ELSE 'type' END AS kind, {{nq}} || '.' || quote_ident(t.typname) AS name,
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
    END AS def, NULL
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.oid = ANY (ARRAY(SELECT oid FROM cand WHERE tag = 't'))
UNION ALL
SELECT 'p', p.oid::int8 << 16, CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END AS kind,
    {{nq}} || '.' || quote_ident(p.proname) || '(' || oidvectortypes(p.proargtypes) || ')' AS name,
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
       FROM pg_aggregate a WHERE a.aggfnoid = p.oid) END AS def, NULL
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE p.oid = ANY (ARRAY(SELECT oid FROM cand WHERE tag = 'p'))
UNION ALL
SELECT 'g', g.oid::int8 << 16, 'trigger' AS kind, {{q}} || '.' || quote_ident(g.tgname) AS name,
    pg_get_triggerdef(g.oid) || CASE g.tgenabled WHEN 'D' THEN ' DISABLED' WHEN 'R' THEN ' ENABLE REPLICA'
      WHEN 'A' THEN ' ENABLE ALWAYS' ELSE '' END AS def, NULL
  FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE g.oid = ANY (ARRAY(SELECT oid FROM cand WHERE tag = 'g'))
UNION ALL
SELECT 'y', p.oid::int8 << 16, 'policy' AS kind, {{q}} || '.' || quote_ident(p.polname) AS name, concat_ws(' ', 'CREATE POLICY', quote_ident(p.polname), 'ON', {{q}},
      CASE WHEN p.polpermissive THEN 'AS PERMISSIVE' ELSE 'AS RESTRICTIVE' END,
      'FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
      'TO ' || (SELECT string_agg(r, ', ' ORDER BY r) FROM (SELECT CASE WHEN o = 0 THEN 'PUBLIC'
        ELSE quote_ident(pg_get_userbyid(o)) END AS r FROM unnest(p.polroles) o) x),
      'USING (' || pg_get_expr(p.polqual, p.polrelid) || ')',
      'WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')') AS def, NULL
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE p.oid = ANY (ARRAY(SELECT oid FROM cand WHERE tag = 'y'))
UNION ALL
SELECT 'w', w.oid::int8 << 16, 'rule' AS kind, {{q}} || '.' || quote_ident(w.rulename) AS name,
    pg_get_ruledef(w.oid) || CASE w.ev_enabled WHEN 'D' THEN ' DISABLED' WHEN 'R' THEN ' ENABLE REPLICA'
      WHEN 'A' THEN ' ENABLE ALWAYS' ELSE '' END AS def, NULL
  FROM pg_rewrite w JOIN pg_class c ON c.oid = w.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE w.oid = ANY (ARRAY(SELECT oid FROM cand WHERE tag = 'w'))
UNION ALL
SELECT 's', s.oid::int8 << 16, 'statistics' AS kind, {{nq}} || '.' || quote_ident(s.stxname) AS name,
    pg_get_statisticsobjdef(s.oid) || CASE WHEN s.stxstattarget >= 0 THEN ' STATISTICS ' || s.stxstattarget ELSE '' END AS def, NULL
  FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
  WHERE s.oid = ANY (ARRAY(SELECT oid FROM cand WHERE tag = 's'))
UNION ALL
SELECT 'x', NULL, 'extension', quote_ident(e.extname),
  'CREATE EXTENSION ' || quote_ident(e.extname) || ' SCHEMA ' || quote_ident(n.nspname) || ' VERSION ' || quote_literal(e.extversion), NULL
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
UNION ALL
SELECT 'x', NULL, 'collation', {{nq}} || '.' || quote_ident(c.collname), 'CREATE COLLATION ' || {{nq}} || '.' || quote_ident(c.collname) || ' (' || concat_ws(', ',
    'PROVIDER = ' || CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'c' THEN 'libc' ELSE 'default' END,
    'LC_COLLATE = ' || quote_literal(c.collcollate), 'LC_CTYPE = ' || quote_literal(c.collctype),
    {{icu}}
    CASE WHEN NOT c.collisdeterministic THEN 'DETERMINISTIC = false' END) || ')', NULL
FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE c.oid >= 16384 AND ` + userSchema + `
  AND {{notext n.oid pg_namespace}} AND {{notext c.oid pg_collation}}
UNION ALL
SELECT 'x', NULL, 'server', quote_ident(s.srvname), concat_ws(' ', 'CREATE SERVER', quote_ident(s.srvname),
    'TYPE ' || quote_literal(s.srvtype), 'VERSION ' || quote_literal(s.srvversion), 'FOREIGN DATA WRAPPER', quote_ident(w.fdwname),
    'OPTIONS (' || array_to_string(s.srvoptions, ', ') || ')'), NULL
FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
WHERE {{notext s.oid pg_foreign_server}}
UNION ALL
SELECT 'x', NULL, 'event trigger', quote_ident(e.evtname), concat_ws(' ', 'CREATE EVENT TRIGGER', quote_ident(e.evtname), 'ON', quote_ident(e.evtevent),
    'WHEN TAG IN (' || (SELECT string_agg(quote_literal(t), ', ' ORDER BY t) FROM unnest(e.evttags) t) || ')',
    'EXECUTE FUNCTION', e.evtfoid::regproc::text || '()',
    CASE e.evtenabled WHEN 'D' THEN 'DISABLED' WHEN 'R' THEN 'ENABLE REPLICA' WHEN 'A' THEN 'ENABLE ALWAYS' END), NULL
FROM pg_event_trigger e
WHERE {{notext e.oid pg_event_trigger}}
  AND NOT EXISTS (SELECT FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.oid = e.evtfoid AND n.nspname LIKE 'pg\_temp\_%')`

// buildIncrementalQuery returns the incremental snapshot query for a server
// of the given major version.
func buildIncrementalQuery(major int) string {
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
	opts := func(array string) string {
		return "(SELECT string_agg(quote_ident(split_part(opt, '=', 1)) || '=' || " +
			"CASE WHEN quote_ident(val) = val THEN val ELSE quote_literal(val) END, ', ' ORDER BY pos) " +
			"FROM unnest(" + array + ") WITH ORDINALITY AS u(opt, pos), substr(opt, strpos(opt, '=') + 1) AS val)"
	}
	q := strings.NewReplacer(
		"{{nq}}", "quote_ident(n.nspname)",
		"{{q}}", "(quote_ident(n.nspname) || '.' || quote_ident(c.relname))",
		"{{opts:ic.reloptions}}", opts("ic.reloptions"),
		"{{opts:ia.attoptions}}", opts("ia.attoptions"),
		"{{nullsnotdistinct}}", at(15, "CASE WHEN x.indnullsnotdistinct THEN ' NULLS NOT DISTINCT' ELSE '' END ||", ""),
		"{{compression}}", at(14, "CASE a.attcompression WHEN 'p' THEN 'COMPRESSION pglz' WHEN 'l' THEN 'COMPRESSION lz4' END,", ""),
		"{{multirange}}", at(14, ", 'MULTIRANGE_TYPE_NAME = ' || g.rngmultitypid::regtype::text", ""),
		"{{multirange candidates}}", at(14, "-- a range prints its multirange's name\n  UNION SELECT 't', r.rngtypid, 0 FROM pg_range r\n"+
			"    WHERE r.rngmultitypid = ANY (ARRAY(SELECT objid FROM changed WHERE classid = 'pg_type'::regclass))", ""),
		"{{subscript}}", at(14, "CASE WHEN t.typsubscript <> 0 THEN 'SUBSCRIPT = ' || t.typsubscript::regproc::text END,", ""),
		"{{icu}}", icu,
	).Replace(incrementalTemplate)
	return incrementalMacros.ReplaceAllStringFunc(q, func(m string) string {
		f := strings.Fields(strings.Trim(m, "{}"))
		switch f[0] {
		case "notext": // {{notext expr catalog}}: not a member of an extension
			return f[1] + " NOT IN (SELECT objid FROM ext WHERE classid = '" + f[2] + "'::regclass)"
		case "roots": // {{roots catalog...}}: the new rows of each catalog
			var b strings.Builder
			for _, cat := range f[1:] {
				b.WriteString("UNION ALL SELECT '" + cat + "'::regclass::oid, x.oid FROM h, g, " + cat +
					" x WHERE NOT g.everything AND x.oid >= 16384 AND age(x.xmin) BETWEEN 0 AND h.k\n  ")
			}
			return strings.TrimSpace(b.String())
		}
		return m
	})
}

var incrementalMacros = regexp.MustCompile(`\{\{(notext|roots) [^}]*\}\}`)

// incrementalStatement is the prepared incremental query for one server
// version.
type incrementalStatement struct {
	name, sql string
}

var incrementalStatements sync.Map // major version -> *incrementalStatement

func incrementalFor(major int) *incrementalStatement {
	if s, ok := incrementalStatements.Load(major); ok {
		return s.(*incrementalStatement)
	}
	sql := buildIncrementalQuery(major)
	sum := sha256.Sum256([]byte(sql))
	s := &incrementalStatement{name: "schemagate_incremental_" + hex.EncodeToString(sum[:6]), sql: sql}
	actual, _ := incrementalStatements.LoadOrStore(major, s)
	return actual.(*incrementalStatement)
}
