package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// The statements of Logged (see logged.go).
//
// The change log. Two event triggers, on ddl_command_end and sql_drop,
// write the address of every object a command created, altered or dropped
// (dropped ones with their type and name) into a temporary table of the
// replay's session. Their functions are temporary too, so they go with the
// session; Take leaves out event triggers whose function is temporary.
// They are ENABLE ALWAYS (session_replication_role = replica does not stop
// them), SECURITY DEFINER (SET ROLE does not either), and a failure to
// write the log sets schemagate.lost rather than failing the user's
// command. The log is transactional: what a rolled-back transaction
// changed, it did not log.
//
// What a command changes beyond the objects it names is found from the
// catalogs, in metaTemplate:
//
//   - The roots: the objects the log names that still exist; the relation
//     (or domain) of a dropped column, default, constraint, trigger, policy
//     or rule, by its name, when it was dropped by the command or through
//     a normal dependency (not the internal triggers of a foreign key
//     dropped with it, on the table it refers to, which are not printed);
//     the children a logged relation had at the previous snapshot (DETACH
//     PARTITION and NO INHERIT log the parent only).
//   - Every object that depends on a root (pg_depend: a view on a renamed
//     column, a foreign key to a renamed table, a default calling a
//     renamed function or sequence, a column of a renamed type, an
//     inheritance child, a partition, an index of a partitioned index...),
//     and transitively what depends on a type among them (an array, a
//     domain, a table's row type).
//   - Their owners (the relation of a column, constraint, index, trigger,
//     policy, rule; the type of a domain constraint; the object itself
//     otherwise), whose objects are all printed again, with Take's query
//     filtered by owner. Some owners are printed every time: the tables
//     with REPLICA IDENTITY USING INDEX (dropping the index changes them
//     and logs the index only) and the aggregates, which the Logged sends.
//   - Everything is printed again after an extension or a schema other
//     than a new one was logged (members and qualified names), and when
//     the Logged asks (the first snapshot, after a failed statement).
//
// A snapshot is one pipeline of prepared statements: the settings, the
// meta statement, which lists the owners to print and sets
// schemagate.dirty_<kind> to their OIDs for the rest of the transaction,
// then the printers: functions of the session that run each kind's print
// statement, or skip it when the kind has no owner to print (a statement's
// plan is set up whole, however few of its branches have rows).

// familySetup creates schemagate_family, which lists the relations of an
// inheritance tree that a change to the roots reaches, at every depth:
// the root relations' descendants (whole: what depends on them may print
// what changed, as a column renamed on a parent is renamed on its
// children), and, to print again only, the descendants of the relations
// of the root indexes, constraints, triggers, defaults, policies and
// rules (a constraint or trigger renamed, an index made on a parent is on
// its children too; an inherited CHECK has no dependency on its
// parent's), and the ancestors of both kinds of relations (attaching an
// index may make its parents' valid). In a database with no inheritance
// at all, the usual case, it returns at once: ROWS 1 says so to the
// planner of the meta statement (its default, 1,000, sizes what follows).
const familySetup = `CREATE FUNCTION pg_temp.schemagate_family(rels oid[], classids oid[], objids oid[])
RETURNS TABLE (oid oid, whole boolean) LANGUAGE plpgsql ROWS 1 AS $schemagate$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_inherits) THEN
    RETURN;
  END IF;
  RETURN QUERY WITH RECURSIVE roots AS MATERIALIZED (
    SELECT * FROM unnest(classids, objids) AS r(classid, objid)
  ), subowners AS MATERIALIZED (
    SELECT o.oid FROM roots r, LATERAL (
      SELECT x.indrelid AS oid FROM pg_catalog.pg_index x WHERE r.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND x.indexrelid = r.objid
      UNION ALL SELECT co.conrelid FROM pg_catalog.pg_constraint co WHERE r.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND co.oid = r.objid AND co.conrelid <> 0
      UNION ALL SELECT g.tgrelid FROM pg_catalog.pg_trigger g WHERE r.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass AND g.oid = r.objid
      UNION ALL SELECT a.adrelid FROM pg_catalog.pg_attrdef a WHERE r.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND a.oid = r.objid
      UNION ALL SELECT p.polrelid FROM pg_catalog.pg_policy p WHERE r.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND p.oid = r.objid
      UNION ALL SELECT w.ev_class FROM pg_catalog.pg_rewrite w WHERE r.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND w.oid = r.objid
      OFFSET 0) o
  ), down (oid) AS (
    SELECT unnest(rels)
    UNION
    SELECT i.inhrelid FROM down, LATERAL (SELECT i.inhrelid FROM pg_catalog.pg_inherits i WHERE i.inhparent = down.oid OFFSET 0) i
  ), tree (oid, up) AS (
    SELECT s.oid, false FROM subowners s
    UNION SELECT s.oid, true FROM subowners s
    UNION SELECT r, true FROM unnest(rels) AS r
    UNION
    SELECT i.oid, tree.up FROM tree, LATERAL (
      SELECT i.inhparent AS oid FROM pg_catalog.pg_inherits i WHERE tree.up AND i.inhrelid = tree.oid
      UNION ALL SELECT i.inhrelid FROM pg_catalog.pg_inherits i WHERE NOT tree.up AND i.inhparent = tree.oid
      OFFSET 0) i
  )
  SELECT down.oid, true FROM down
  UNION SELECT tree.oid, false FROM tree;
END
$schemagate$`

// loggedSetup creates the log, its functions and its event triggers; %[1]d
// is the backend's process ID, which makes the triggers' names unique.
const loggedSetup = `CREATE FUNCTION pg_temp.schemagate_btree_defaults() RETURNS oid[] LANGUAGE sql IMMUTABLE
  AS $$ SELECT pg_catalog.array_agg(oid) FROM pg_catalog.pg_opclass WHERE opcdefault AND opcmethod = 403 $$;
CREATE TEMPORARY TABLE schemagate_changes (classid oid, objid oid, objsubid int4,
  tag text, dropped bool, otype text, names text[], direct bool);
CREATE FUNCTION pg_temp.schemagate_ddl() RETURNS event_trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  INSERT INTO pg_temp.schemagate_changes (classid, objid, objsubid, tag, dropped)
  SELECT classid, objid, objsubid, command_tag, false FROM pg_catalog.pg_event_trigger_ddl_commands();
EXCEPTION WHEN OTHERS THEN
  PERFORM pg_catalog.set_config('schemagate.lost', 'on', false);
END $$;
CREATE FUNCTION pg_temp.schemagate_drop() RETURNS event_trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  INSERT INTO pg_temp.schemagate_changes (classid, objid, objsubid, dropped, otype, names, direct)
  SELECT classid, objid, objsubid, true, object_type, address_names, original OR normal
  FROM pg_catalog.pg_event_trigger_dropped_objects();
EXCEPTION WHEN OTHERS THEN
  PERFORM pg_catalog.set_config('schemagate.lost', 'on', false);
END $$;
-- The meta statement reads and empties the log through a function whose
-- estimate is a few rows, as the log has between snapshots: planned on the
-- table itself, it would take the log for hundreds of rows and size its
-- hash tables for ten thousands, zeroed every snapshot, and plan again
-- after every vacuum of the log.
CREATE FUNCTION pg_temp.schemagate_take_log() RETURNS SETOF pg_temp.schemagate_changes LANGUAGE plpgsql ROWS 10 AS $$
BEGIN
  RETURN QUERY WITH taken AS (DELETE FROM pg_temp.schemagate_changes RETURNING *) SELECT * FROM taken;
END $$;
CREATE EVENT TRIGGER schemagate_ddl_%[1]d ON ddl_command_end EXECUTE FUNCTION pg_temp.schemagate_ddl();
CREATE EVENT TRIGGER schemagate_drop_%[1]d ON sql_drop EXECUTE FUNCTION pg_temp.schemagate_drop();
ALTER EVENT TRIGGER schemagate_ddl_%[1]d ENABLE ALWAYS;
ALTER EVENT TRIGGER schemagate_drop_%[1]d ENABLE ALWAYS;
SELECT oid FROM pg_catalog.pg_event_trigger WHERE evtname IN ('schemagate_ddl_%[1]d', 'schemagate_drop_%[1]d')`

// metaTemplate reads and empties the log, and lists the owners to print
// again. Parameters: $1 print everything; $2 the event triggers' OIDs;
// $3, $4 the previous snapshot's inheritance (parents, children); $5, $6
// the relations and functions printed every time; $7 the event triggers
// as the previous snapshot saw them. Rows (tag, kind,
// a, b): 'F' with the flags in kind ('e' everything, 'l' the log was
// lost, 'a' print the objects printed when any changed); 'E' the event
// triggers in kind; 'D' an owner to print again (kind, OID in a); 'X' a
// dropped object (catalog in a, OID in b; an index's qualified name in
// kind); 'P' an inheritance of a relation to print again (child in a,
// parent in b); 'Q' a sequence of a relation to print again (sequence in
// a, relation in b).
const metaTemplate = `WITH RECURSIVE log AS MATERIALIZED (
  SELECT classid, objid, objsubid, tag, dropped, otype, names, direct FROM pg_temp.schemagate_take_log()
), ev AS MATERIALIZED (
  -- the event triggers, read once: theirs and ours
  SELECT string_agg(e.oid || ':' || e.xmin, ',' ORDER BY e.oid) AS list,
    count(*) FILTER (WHERE e.oid = ANY ($2::oid[]) AND e.evtenabled = 'A') AS ours,
    coalesce(bool_or(e.evtfoid IN (SELECT objid FROM log WHERE classid = 'pg_proc'::regclass)), false) AS fn
  FROM pg_event_trigger e
), flags AS MATERIALIZED (
  SELECT $1::bool OR EXISTS (SELECT FROM log WHERE classid = 'pg_extension'::regclass
      OR (classid = 'pg_namespace'::regclass AND (dropped OR tag IS DISTINCT FROM 'CREATE SCHEMA'))) AS everything,
    ev.ours <> cardinality($2::oid[])
      OR current_setting('schemagate.lost', true) IS NOT DISTINCT FROM 'on'{{lost}} AS lost,
    -- the objects printed every time: schemas, servers and their wrappers
    -- are logged; event triggers are not (their commands fire none)
    EXISTS (SELECT FROM log WHERE classid IN ('pg_namespace'::regclass, 'pg_foreign_server'::regclass, 'pg_foreign_data_wrapper'::regclass))
      OR ev.list IS DISTINCT FROM $7
      -- an event trigger prints its function's name
      OR ev.fn AS always,
    ev.list AS events
  FROM ev
), roots0 AS MATERIALIZED (
  SELECT classid, objid FROM log WHERE NOT dropped OR (classid = 'pg_class'::regclass AND objsubid > 0)
  UNION
  SELECT 'pg_class'::regclass, to_regclass(quote_ident(names[1]) || '.' || quote_ident(names[2]))
  FROM log WHERE dropped AND direct AND otype IN ('default value', 'table constraint', 'trigger', 'policy', 'rule') AND cardinality(names) >= 3
  UNION
  SELECT 'pg_type'::regclass, to_regtype(names[1])
  FROM log WHERE dropped AND direct AND otype = 'domain constraint' AND cardinality(names) >= 1
  UNION
  -- a composite type's relation: what depends on the type (typed tables,
  -- columns) does not depend on it
  SELECT 'pg_type'::regclass, c.reltype FROM log, LATERAL (SELECT c.reltype FROM pg_class c
    WHERE log.classid = 'pg_class'::regclass AND c.oid = log.objid AND c.relkind = 'c' OFFSET 0) c{{multirange}}
), rootrels AS MATERIALIZED (
  -- the relations among the roots, and the children a logged relation had
  -- at the previous snapshot
  SELECT r.objid AS oid FROM roots0 r
  WHERE r.classid = 'pg_class'::regclass AND EXISTS (SELECT FROM pg_class c WHERE c.oid = r.objid AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S'))
  UNION
  SELECT u.child FROM unnest($3::oid[], $4::oid[]) AS u(parent, child)
  WHERE u.parent IN (SELECT objid FROM log WHERE classid = 'pg_class'::regclass)
), family AS MATERIALIZED (
  -- descendants and ancestors (schemagate_family)
  SELECT f.oid, f.whole FROM pg_temp.schemagate_family(
    ARRAY(SELECT oid FROM rootrels), ARRAY(SELECT classid FROM roots0), ARRAY(SELECT objid FROM roots0)) AS f
  -- not even called where there is no inheritance at all
  WHERE EXISTS (SELECT FROM pg_inherits)
), roots AS MATERIALIZED (
  SELECT classid, objid FROM roots0
  UNION SELECT 'pg_class'::regclass, oid FROM rootrels
  UNION SELECT 'pg_class'::regclass, oid FROM family WHERE whole
), dep (classid, objid, root) AS (
  SELECT classid, objid, true FROM roots WHERE objid IS NOT NULL
  UNION
  SELECT d.classid, d.objid, false FROM dep,
    LATERAL (SELECT d.classid, d.objid FROM pg_depend d WHERE d.refclassid = dep.classid AND d.refobjid = dep.objid OFFSET 0) d
  -- and on through what prints the names of what it depends on: a type
  -- (an array, a domain, a row type), a sequence (moved with its table)
  WHERE dep.root OR dep.classid = 'pg_type'::regclass
    OR (dep.classid = 'pg_class'::regclass AND EXISTS (SELECT FROM pg_class s WHERE s.oid = dep.objid AND s.relkind = 'S'))
), own AS MATERIALIZED (
  -- each a lookup by OID per changed object (a join could be planned the
  -- other way round on an empty database, and kept)
  SELECT o.kind, o.oid
  FROM dep, LATERAL (
    SELECT CASE c.relkind WHEN 'c' THEN 'y' ELSE 'r' END AS kind, CASE c.relkind WHEN 'c' THEN c.reltype ELSE c.oid END
    FROM pg_class c WHERE dep.classid = 'pg_class'::regclass AND c.oid = dep.objid AND c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f', 'c')
    UNION ALL SELECT 'r', x.indrelid FROM pg_index x WHERE dep.classid = 'pg_class'::regclass AND x.indexrelid = dep.objid
    UNION ALL SELECT 'r', a.adrelid FROM pg_attrdef a WHERE dep.classid = 'pg_attrdef'::regclass AND a.oid = dep.objid
    UNION ALL SELECT CASE WHEN co.conrelid <> 0 THEN 'r' ELSE 'y' END, CASE WHEN co.conrelid <> 0 THEN co.conrelid ELSE co.contypid END
      FROM pg_constraint co WHERE dep.classid = 'pg_constraint'::regclass AND co.oid = dep.objid
    UNION ALL SELECT 'r', g.tgrelid FROM pg_trigger g WHERE dep.classid = 'pg_trigger'::regclass AND g.oid = dep.objid
    UNION ALL SELECT 'r', w.ev_class FROM pg_rewrite w WHERE dep.classid = 'pg_rewrite'::regclass AND w.oid = dep.objid
    UNION ALL SELECT 'r', p.polrelid FROM pg_policy p WHERE dep.classid = 'pg_policy'::regclass AND p.oid = dep.objid
    UNION ALL SELECT CASE WHEN c.relkind IS NULL OR c.relkind = 'c' THEN 'y' ELSE 'r' END, CASE WHEN c.relkind IS NULL OR c.relkind = 'c' THEN t.oid ELSE c.oid END
      FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid WHERE dep.classid = 'pg_type'::regclass AND t.oid = dep.objid
        -- an array type prints nothing of its own (what depends on it, does)
        AND NOT EXISTS (SELECT FROM pg_type e WHERE e.oid = t.typelem AND e.typarray = t.oid)
    UNION ALL SELECT 'f', p.oid FROM pg_proc p WHERE dep.classid = 'pg_proc'::regclass AND p.oid = dep.objid
    UNION ALL SELECT 's', s.oid FROM pg_statistic_ext s WHERE dep.classid = 'pg_statistic_ext'::regclass AND s.oid = dep.objid
    UNION ALL SELECT 'o', c.oid FROM pg_collation c WHERE dep.classid = 'pg_collation'::regclass AND c.oid = dep.objid
    OFFSET 0) o
  UNION SELECT 'r', oid FROM family WHERE NOT whole
  UNION SELECT 'r', unnest($5::oid[])
  UNION SELECT 'f', unnest($6::oid[])
  -- a partition's bound may print an enum's label, through a function of
  -- the partition key that nothing links to the partition
  UNION SELECT 'r', c.oid FROM pg_class c WHERE c.relispartition
    AND EXISTS (SELECT FROM roots0 r JOIN pg_type t ON t.oid = r.objid WHERE r.classid = 'pg_type'::regclass AND t.typtype = 'e')
), put AS (
  -- for the printers that follow in the message
  SELECT {{put}}
)
SELECT 'F' AS tag, CASE WHEN everything THEN 'e' ELSE '' END || CASE WHEN lost THEN 'l' ELSE '' END ||
  CASE WHEN always THEN 'a' ELSE '' END AS kind, NULL::oid AS a, NULL::oid AS b FROM flags
UNION ALL SELECT 'E', events, NULL, NULL FROM flags
UNION ALL SELECT 'S', done, NULL, NULL FROM put
UNION ALL SELECT 'D', kind, oid, NULL FROM own WHERE oid IS NOT NULL
UNION ALL SELECT 'X', CASE WHEN otype = 'index' AND cardinality(names) = 2 THEN quote_ident(names[1]) || '.' || quote_ident(names[2]) END,
  classid, objid FROM log WHERE dropped AND objsubid = 0
-- the sequences of the relations printed again
UNION ALL SELECT 'Q', NULL, d.objid, d.refobjid FROM pg_depend d
WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = ANY (ARRAY(SELECT oid FROM own WHERE kind = 'r'))
  AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.objsubid = 0
  AND EXISTS (SELECT FROM pg_class s WHERE s.oid = d.objid AND s.relkind = 'S')
UNION ALL SELECT 'P', NULL, i.inhrelid, i.inhparent FROM pg_inherits i
WHERE i.inhrelid = ANY (ARRAY(SELECT oid FROM own WHERE kind = 'r'))`

// ownersAllQuery lists every owner the user may have made (initdb's OIDs
// are below 16384), as 'D' rows, every inheritance ('P') and every
// sequence a relation owns ('Q'): for a snapshot that prints everything.
const ownersAllQuery = `WITH own AS MATERIALIZED (
  SELECT 'r' AS kind, c.oid FROM pg_class c WHERE c.oid >= 16384 AND c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f')
  UNION ALL SELECT 'y', t.oid FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
  WHERE t.oid >= 16384 AND (c.relkind IS NULL OR c.relkind = 'c')
  UNION ALL SELECT 'f', p.oid FROM pg_proc p WHERE p.oid >= 16384
  UNION ALL SELECT 's', s.oid FROM pg_statistic_ext s WHERE s.oid >= 16384
  UNION ALL SELECT 'o', c.oid FROM pg_collation c WHERE c.oid >= 16384
), flags AS (
  SELECT true AS everything, false AS always
), put AS (
  SELECT {{put}}
)
SELECT 'D' AS tag, kind, oid AS a, NULL::oid AS b FROM own
UNION ALL SELECT 'P', NULL, i.inhrelid, i.inhparent FROM pg_inherits i
UNION ALL SELECT 'Q', NULL, d.objid, d.refobjid FROM pg_depend d JOIN pg_class s ON s.oid = d.objid
WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  AND d.objsubid = 0 AND s.relkind = 'S'
UNION ALL SELECT 'S', done, NULL, NULL FROM put`

// putSettings sets, for the rest of the message, schemagate.dirty_<kind>
// to the OIDs of the owners of each kind in own, and schemagate.print_A to
// on when the objects printed when any changed are to be printed. The
// relations are only those Take prints (in a user's schema, not members
// of an extension): tested here once, the printers of relations and
// indexes need not test it in each branch (see buildLogged).
const putSettings = `concat_ws(',',
    (SELECT string_agg(set_config('schemagate.dirty_' || kind, coalesce(oids, '{}')::text, true), ',')
     FROM (SELECT kind, array_agg(oid) FILTER (WHERE kind <> 'r' OR EXISTS (
         SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.oid = own.oid AND ` + userSchema + `
           AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
             AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e')
           AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid
             AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e')
         -- a lookup per owner: not hashed, which reads every relation
         OFFSET 0)) AS oids
       FROM own WHERE oid IS NOT NULL GROUP BY kind) x),
    (SELECT set_config('schemagate.print_A', 'on', true) FROM flags WHERE everything OR always)) AS done`

// printerTemplate is a printer: a function of the session that runs, for
// each kind of owner it prints, that kind's print statement for the owners
// in schemagate.dirty_<kind>, or skips it when there are none, so that a
// statement's plan is only set up when it has something to print (one
// function for all the kinds of objects: a call and the scan of its rows
// cost more than a kind skipped). The objects printed when any changed
// (schemas, extensions, servers, event triggers), kind A, are printed when
// meta sets schemagate.print_A. %[1]s: the printer's name; %[2]s: its
// columns' declarations; %[3]s: the kinds' blocks (printerBlock).
const printerTemplate = `CREATE FUNCTION pg_temp.schemagate_print_%[1]s() RETURNS TABLE (%[2]s) LANGUAGE plpgsql AS $schemagate$
DECLARE
  schemagate_owners oid[];
BEGIN
%[3]s
END
$schemagate$`

// printerBlock prints one kind. %[1]s: its kind; %[2]s: when it has
// nothing to print; %[3]s: the casts of its columns to text; %[4]s: the
// statement; %[5]s: its columns' names.
const printerBlock = `  schemagate_owners := coalesce(nullif(pg_catalog.current_setting('schemagate.dirty_%[1]s', true), ''), '{}')::oid[];
  IF NOT (%[2]s) THEN
    RETURN QUERY SELECT %[3]s FROM (
%[4]s
) AS schemagate_q(%[5]s);
  END IF;`

// The conditions under which a kind has nothing to print.
const (
	noOwners = "pg_catalog.cardinality(schemagate_owners) = 0"
	noA      = "pg_catalog.current_setting('schemagate.print_A', true) IS DISTINCT FROM 'on'"
)

// loggedQueries are Logged's statements for one server version.
type loggedQueries struct {
	base      string // prefix of the prepared statements' names
	meta, all string
	// print are the statements that print the objects of the owners of
	// one kind, given their OIDs as $1 ('A': the objects printed every
	// time, no parameter); indexes prints the indexes of relations.
	print   map[byte]string
	indexes string
	// printers create the functions of the session that run them:
	// schemagate_print_objects, the kinds of printKinds in that order, and
	// schemagate_print_indexes.
	printers []string
}

var loggedStatements sync.Map // major version -> *loggedQueries

func loggedFor(major int) *loggedQueries {
	if q, ok := loggedStatements.Load(major); ok {
		return q.(*loggedQueries)
	}
	q := buildLogged(major)
	var text strings.Builder
	text.WriteString(q.meta + q.all + q.indexes + strings.Join(q.printers, ""))
	for _, k := range printKinds {
		text.WriteString(q.print[k])
	}
	sum := sha256.Sum256([]byte(text.String()))
	q.base = "schemagate_logged_" + hex.EncodeToString(sum[:6])
	actual, _ := loggedStatements.LoadOrStore(major, q)
	return actual.(*loggedQueries)
}

// buildLogged makes Take's queries into Logged's: each row comes with its
// owner, only the owners in schemagate.dirty_* are printed (but schemas,
// extensions, servers and event triggers, always all), and a relation is
// looked up by OID rather than from a list of all of them.
func buildLogged(major int) *loggedQueries {
	r := versioned(major)
	header := queryTemplate[:strings.Index(queryTemplate, "SELECT 'schema'")]
	// The header without rels: the lookups below replace it.
	header = header[:strings.Index(header, ", rels AS MATERIALIZED")] + "\n"
	body := queryTemplate[len(queryTemplate[:strings.Index(queryTemplate, "SELECT 'schema'")]):]
	lost := ""
	if major >= 17 {
		// The event_triggers setting (17) turns them off.
		lost = "\n      OR current_setting('event_triggers') = 'off'"
	}
	multirange := ""
	if major >= 14 {
		// A range prints its multirange's name, and does not depend on it.
		multirange = "\n  UNION\n  SELECT 'pg_type'::regclass, r.rngtypid FROM pg_range r\n" +
			"  WHERE r.rngmultitypid = ANY (ARRAY(SELECT objid FROM log WHERE classid = 'pg_type'::regclass))"
	}
	q := &loggedQueries{
		meta:    strings.NewReplacer("{{lost}}", lost, "{{multirange}}", multirange, "{{put}}", putSettings).Replace(metaTemplate),
		all:     strings.ReplaceAll(ownersAllQuery, "{{put}}", putSettings),
		print:   map[byte]string{},
		indexes: expandLogged(r.Replace(indexTemplate), true),
	}
	// Take's branches, one statement per kind of owner: a statement's plan
	// is set up whole however few of its branches have rows to print.
	branches := map[byte][]string{}
	for _, b := range strings.Split(body, "\nUNION ALL\n") {
		k := byte('A')
		if m := onlyKind.FindStringSubmatch(b); m != nil {
			k = m[1][0]
		}
		branches[k] = append(branches[k], b)
	}
	for _, k := range printKinds {
		if k == 'r' {
			// Its owners are a user's relations already (putSettings).
			q.print[k] = expandLogged(r.Replace(strings.Join(branches[k], "\nUNION ALL\n")), true)
			continue
		}
		q.print[k] = expandLogged(r.Replace(header+strings.Join(branches[k], "\nUNION ALL\n")), false)
	}
	columns := func(n int) (decl, casts, names string) {
		var d, c, m []string
		for i := 1; i <= n; i++ {
			col := fmt.Sprintf("schemagate_c%d", i)
			d, c, m = append(d, col+" text"), append(c, "schemagate_q."+col+"::text"), append(m, col)
		}
		return strings.Join(d, ", "), strings.Join(c, ", "), strings.Join(m, ", ")
	}
	block := func(kind byte, idle, casts, text, names string) string {
		return fmt.Sprintf(printerBlock, string(kind), idle, casts, strings.ReplaceAll(text, "$1::oid[]", "schemagate_owners"), names)
	}
	decl, casts, names := columns(7)
	var blocks []string
	for _, k := range printKinds {
		idle := noOwners
		if k == 'A' {
			idle = noA
		}
		blocks = append(blocks, block(k, idle, casts, q.print[k], names))
	}
	q.printers = append(q.printers, fmt.Sprintf(printerTemplate, "objects", decl, strings.Join(blocks, "\n")))
	// The indexes are the relations'.
	decl, casts, names = columns(18)
	q.printers = append(q.printers, fmt.Sprintf(printerTemplate, "indexes", decl, block('r', noOwners, casts, q.indexes, names)))
	return q
}

// printKinds are the kinds of owners, each with its print statement, in
// the order a snapshot prints them.
var printKinds = []byte{'A', 'r', 'y', 'f', 's', 'o'}

var onlyKind = regexp.MustCompile(`\{\{only (\w) `)

// expandLogged replaces the macros of Take's statements for Logged's. With
// owned, the owners are relations that Take prints (putSettings tested
// it): a test that an owner relation is a user's becomes true, and one
// that it is also of some kinds, a test of its kind alone (inrels), or
// nothing (onrel) where the object cannot be on a relation Take prints of
// another kind: triggers, policies, rules and indexes, which PostgreSQL
// refuses on the other kinds and on a table it turns into a view. (A
// constraint can stay on such a view before 16, and a view's are not
// printed: that test stays. Counted, the tests left out were 3.5% of a
// snapshot.)
func expandLogged(q string, owned bool) string {
	// The default btree operator classes as a constant of the plan that
	// the printer keeps (schemagate_btree_defaults is IMMUTABLE), not read
	// from pg_opclass at every snapshot. A class made a default one later
	// is not in it: the printer then names each column's class, an empty
	// string for a default one, which prints the same.
	q = strings.ReplaceAll(q, "{{defaultclasses}}", "pg_temp.schemagate_btree_defaults()")
	q = loggedMacros.ReplaceAllStringFunc(q, func(m string) string {
		f := strings.SplitN(strings.Trim(m, "{}"), " ", 3)
		switch f[0] {
		case "owner": // {{owner expr}}: an extra column
			return ", (" + strings.TrimPrefix(strings.Trim(m, "{}"), "owner ") + ")::text"
		case "only": // {{only kind expr}}
			return " AND " + f[2] + " = ANY ($1::oid[])"
		}
		return m
	})
	return macros.ReplaceAllStringFunc(q, func(m string) string {
		f := strings.Fields(strings.Trim(m, "{}"))
		switch {
		case owned && (f[0] == "inns" || f[0] == "notext"):
			return "true"
		case owned && f[0] == "onrel":
			return "true"
		case owned && f[0] == "inrels":
			return "EXISTS (SELECT FROM pg_class r WHERE r.oid = " + f[1] + " AND r.relkind IN (" + strings.Join(f[2:], " ") + "))"
		}
		switch f[0] {
		case "inns":
			return "(" + f[1] + " IN (SELECT oid FROM userns)) IS TRUE"
		case "inrels", "onrel":
			return "EXISTS (SELECT FROM pg_class r WHERE r.oid = " + f[1] + " AND r.relkind IN (" + strings.Join(f[2:], " ") +
				") AND (r.relnamespace IN (SELECT oid FROM userns)) IS TRUE AND r.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_class'::regclass))"
		case "notext":
			return f[1] + " NOT IN (SELECT objid FROM ext WHERE classid = '" + f[2] + "'::regclass)"
		case "notarray": // looked up rather than listed: t is its element's array type
			return "NOT EXISTS (SELECT FROM pg_type e WHERE e.oid = " + f[1] + ".typelem AND e.typarray = " + f[1] + ".oid)"
		}
		return m
	})
}

// loggedSettings are Take's, and index lookups and nested loops wherever
// they can be: the statements look up a few owners by OID, and their
// plans are made once, often on an empty database, where the planner
// would read a small catalog whole, and kept while the schema grows. The
// plan of the meta statement is the generic one: a custom plan per
// snapshot would cost more than the snapshot.
const loggedSettings = settings + `,
  pg_catalog.set_config('enable_seqscan', 'off', true),
  pg_catalog.set_config('enable_hashjoin', 'off', true),
  pg_catalog.set_config('enable_mergejoin', 'off', true),
  pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', true),
  pg_catalog.set_config('work_mem', '256kB', true)`
