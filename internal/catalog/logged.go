package catalog

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// Logged takes the snapshots of one database one after the other, as the
// Snapshotter does, but finds what changed from a log that event triggers
// write as the commands run, rather than by reading every catalog row:
// each snapshot is the one Take would read at the same moment, in one round
// trip, and costs about as much as printing the objects that may have
// changed. logged_query.go says how the log is written and read.
//
// It needs a superuser (event triggers), and a database that no other
// session changes: the log is the session's. When the log cannot be
// trusted any more (its triggers dropped or disabled, its table discarded,
// a write to it failed), Logged says so in Stats and goes on with a
// Snapshotter. After a statement failed, call Invalidate: a failed CREATE
// INDEX CONCURRENTLY leaves an index behind that no trigger saw.
//
// A Logged belongs to one connection and is not safe for concurrent use.
// Inside a transaction block it calls Take.
type Logged struct {
	conn       *pgx.Conn
	q          *loggedQueries
	triggers   []uint32
	gen        int  // the generation of the prepared statements' names
	ready      bool // prepared on conn
	everything bool // the next snapshot prints every object
	fallback   *Snapshotter
	events     string // the event triggers, as the meta statement sees them

	// The previous snapshot, and what its objects are printed with.
	last    *Snapshot
	groups  map[owner][]string // an owner's objects' keys
	indexes map[string]owner   // an index's key -> its relation
	parents map[uint32][]uint32
	seqs    map[owner][]owner // a relation -> the sequences it owns
	always  map[owner]bool    // printed every time
	changes *changeLog        // what the last snapshots changed
	number  int               // the last snapshot's

	stats LoggedStats
}

// LoggedStats counts what a Logged did.
type LoggedStats struct {
	// Snapshots counts the snapshots taken; Everything the ones that
	// printed every object (the first, after Invalidate, after an
	// extension or a schema changed); InTransaction the ones handed to
	// Take in a transaction block.
	Snapshots, Everything, InTransaction int
	// Owners counts the owners printed again, Printed their objects.
	Owners, Printed int
	// Lost says why the log was given up, "" while it is used.
	Lost string
}

// NewLogged installs the change log in the database conn is connected to
// (a temporary table, two temporary functions and two event triggers that
// go with the session) and returns a Logged that reads it. It fails when
// the user is not a superuser or the connection is in a transaction block;
// nothing is left behind then.
func NewLogged(ctx context.Context, conn *pgx.Conn) (*Logged, error) {
	pg := conn.PgConn()
	if pg.TxStatus() != 'I' {
		return nil, errors.New("the change log cannot be installed in a transaction block")
	}
	major := serverMajor(pg)
	if major < minVersion {
		return nil, fmt.Errorf("%w (the server is version %s)", ErrUnsupportedVersion, pg.ParameterStatus("server_version"))
	}
	q := loggedFor(major)
	setup := strings.Join(q.printers, ";\n") + ";\n" + familySetup + ";\n" + fmt.Sprintf(loggedSetup, pg.PID())
	results, err := pg.Exec(ctx, setup).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("install the change log: %w", err)
	}
	l := &Logged{conn: conn, q: q, everything: true}
	last := results[len(results)-1]
	for _, row := range last.Rows {
		l.triggers = append(l.triggers, parseOID(row[0]))
	}
	if len(l.triggers) != 2 {
		return nil, fmt.Errorf("install the change log: %d event triggers, want 2", len(l.triggers))
	}
	return l, nil
}

// Stats returns the counts so far.
func (l *Logged) Stats() LoggedStats { return l.stats }

// Invalidate makes the next snapshot print every object: call it after a
// statement failed, which may have changed the schema without a trigger
// seeing it.
func (l *Logged) Invalidate() { l.everything = true }

// Take reads the schema, as Take(ctx, conn) would.
func (l *Logged) Take(ctx context.Context) (*Snapshot, error) {
	if l.fallback != nil {
		return l.fallback.Take(ctx)
	}
	pg := l.conn.PgConn()
	if pg.TxStatus() != 'I' {
		// The log of an open transaction may still be rolled back.
		l.stats.InTransaction++
		l.everything = true
		return Take(ctx, l.conn)
	}
	for attempt := 0; ; attempt++ {
		s, _, err := l.take(ctx, pg, nil)
		var pgErr *pgconn.PgError
		if attempt == 0 && errors.As(err, &pgErr) && (pgErr.Code == "26000" || pgErr.Code == "42P05") {
			// DEALLOCATE or DISCARD ran, or a statement by that name was
			// prepared behind our back: prepare afresh, under new names.
			l.gen++
			l.ready = false
			continue
		}
		if errors.As(err, &pgErr) && pg.TxStatus() == 'I' {
			// The server rejected the statements: the log's table or
			// functions are gone (DISCARD TEMP), or worse. The snapshot
			// had no effect (one implicit transaction).
			return l.lose(ctx, "reading the change log failed: "+pgErr.Message)
		}
		return s, err
	}
}

// After is what TakeAfter did.
type After struct {
	// Ran: the script ran and succeeded, and Snapshot is the schema after
	// it. Failed: the script ran into an error and its transaction was
	// rolled back, and nothing was taken. Neither: nothing was run.
	Ran, Failed bool
	Snapshot    *Snapshot
	// Script is how long the script took, until its results came back.
	Script time.Duration
}

// TakeAfter runs the statements of a script that is all or nothing (in a
// transaction, BEGIN and COMMIT given; or alone in the implicit transaction
// of a multi-statement query), then takes the snapshot after it: both in
// one pipeline, one round trip instead of two (the down and the second up
// of each migration). The script's statements are synced apart from the
// snapshot's, so they end their transaction as a query of their own would.
// Nothing runs before the first snapshot (the snapshot's statements are not
// prepared yet), in a transaction block, or once the log was given up. A
// script that fails is not run again here: the caller runs it its usual
// way, which names the statement that fails and where.
func (l *Logged) TakeAfter(ctx context.Context, script []string) (After, error) {
	pg := l.conn.PgConn()
	if l.fallback != nil || !l.ready || pg.TxStatus() != 'I' || len(script) == 0 {
		return After{}, nil
	}
	start := time.Now()
	s, sc, err := l.take(ctx, pg, script)
	if sc.err != nil {
		// The snapshot's statements ran after the failed script (its
		// implicit transaction rolled back) or failed (its transaction
		// block aborted): print every object next time rather than work
		// out which.
		l.everything = true
		if pg.TxStatus() != 'I' {
			if rerr := pg.Exec(context.WithoutCancel(ctx), "ROLLBACK").Close(); rerr != nil {
				return After{}, fmt.Errorf("roll back the script: %w", rerr)
			}
		}
		var pgErr *pgconn.PgError
		if !errors.As(sc.err, &pgErr) {
			return After{}, sc.err // the connection, not the script
		}
		return After{Failed: true}, nil
	}
	after := After{Ran: true, Script: sc.at.Sub(start)}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pg.TxStatus() == 'I' {
		// The script ran; the snapshot's statements did not (the script
		// deallocated them, say): the usual way prepares them again.
		s, err = l.Take(ctx)
	}
	after.Snapshot = s
	return after, err
}

func (l *Logged) lose(ctx context.Context, why string) (*Snapshot, error) {
	l.stats.Lost = why
	l.fallback = NewSnapshotter(l.conn)
	l.last, l.groups, l.indexes, l.parents, l.seqs, l.always, l.changes = nil, nil, nil, nil, nil, nil, nil
	return l.fallback.Take(ctx)
}

// meta is what the meta statement says of one snapshot.
type meta struct {
	everything, lost, always bool
	events                   string
	dirty                    []owner
	dropped                  []dropped
	inherits                 [][2]uint32 // child, parent
	seqs                     [][2]uint32 // sequence, relation
}

type dropped struct {
	catalog, oid uint32
	index        string // an index's qualified name
}

// scripted is how the script before a snapshot went (TakeAfter): its
// first error, and when its results were all in.
type scripted struct {
	err error
	at  time.Time
}

// take takes a snapshot, after running script when it is not nil (see
// TakeAfter); a failed script leaves the snapshot untaken.
func (l *Logged) take(ctx context.Context, pg *pgconn.PgConn, script []string) (*Snapshot, scripted, error) {
	name := func(what string) string { return l.q.base + "_" + strconv.Itoa(l.gen) + "_" + what }
	var parents, children []uint32
	for _, child := range slices.Sorted(maps.Keys(l.parents)) {
		for _, p := range l.parents[child] {
			parents, children = append(parents, p), append(children, child)
		}
	}
	var rels, funcs []uint32
	for o := range l.always {
		if o.kind() == 'r' {
			rels = append(rels, o.oid())
		} else {
			funcs = append(funcs, o.oid())
		}
	}

	// One pipeline, sent at once and synced once: the settings, what
	// changed (meta, which tells the printers which owners to print), then
	// the printers, all statements prepared on the connection. Bound
	// through the extended protocol rather than sent as EXECUTE statements
	// of one text, they spare the server the EXECUTEs to parse, each result
	// description looked up again and the rows kept in a store before they
	// are sent: a snapshot with nothing to print costs it 0.6 ms, not 0.85.
	all := l.everything
	p := pg.StartPipeline(ctx)
	for _, st := range script {
		p.SendQueryParams(st, nil, nil, nil, nil)
	}
	if script != nil {
		p.SendPipelineSync()
	}
	if !l.ready {
		// Prepared with the settings in effect: names are looked up then.
		p.SendPrepare(name("set"), loggedSettings, nil)
		p.SendQueryPrepared(name("set"), nil, nil, nil)
		p.SendPrepare(name("m"), l.q.meta, metaParams)
		p.SendPrepare(name("all"), l.q.all, nil)
		// The printers of objects in one statement, the indexes' in
		// another (their rows are of another shape).
		p.SendPrepare(name("po"), "SELECT * FROM pg_temp.schemagate_print_objects()", nil)
		p.SendPrepare(name("pi"), "SELECT * FROM pg_temp.schemagate_print_indexes()", nil)
	}
	// The settings fix how the server prints, and how it plans when a
	// statement's plan is remade.
	printers := func(p *pgconn.Pipeline, everything bool) {
		if everything {
			p.SendQueryPrepared(name("all"), nil, nil, nil)
		}
		p.SendQueryPrepared(name("po"), nil, nil, nil)
		p.SendQueryPrepared(name("pi"), nil, nil, nil)
		p.SendPipelineSync()
	}
	p.SendQueryPrepared(name("set"), nil, nil, nil)
	p.SendQueryPrepared(name("m"), [][]byte{[]byte(strconv.FormatBool(l.everything)),
		oidArray(l.triggers), oidArray(parents), oidArray(children), oidArray(rels), oidArray(funcs), []byte(l.events)}, nil, nil)
	printers(p, all)
	var m meta
	b := newBuilder(64, 0)
	sc, err := l.exec(p, script != nil, &m, b)
	if sc.err != nil || err != nil {
		return nil, sc, err
	}
	l.ready = true
	if m.lost {
		s, err := l.lose(ctx, "the change log's event triggers were dropped or disabled, or writing the log failed")
		return s, sc, err
	}
	if m.everything && !all {
		// An extension or a schema changed: print every object.
		p := pg.StartPipeline(ctx)
		p.SendQueryPrepared(name("set"), nil, nil, nil)
		printers(p, true)
		b = newBuilder(64, 0)
		if _, err := l.exec(p, false, &m, b); err != nil {
			return nil, sc, err
		}
	}
	l.stats.Snapshots++
	if m.everything {
		l.stats.Everything++
	}
	l.everything = false
	snap := l.apply(&m, b)
	if l.stats.Snapshots%vacuumEvery == 0 {
		// The log's deleted rows stay until a vacuum, which temporary
		// tables only get when asked, and every snapshot reads them.
		if err := pg.Exec(ctx, "VACUUM pg_temp.schemagate_changes").Close(); err != nil {
			return nil, sc, fmt.Errorf("vacuum the change log: %w", err)
		}
	}
	return snap, sc, nil
}

// vacuumEvery is how many snapshots go between two vacuums of the log.
const vacuumEvery = 64

// exec sends the requests queued on p and reads their results by their
// columns: meta's rows (4), objects (7) and indexes (18); the others (the
// settings, the statements prepared, a script before them) are skipped.
// It closes p.
func (l *Logged) exec(p *pgconn.Pipeline, script bool, m *meta, b *builder) (scripted, error) {
	sc, err := readPipeline(p, script, func(columns int) func([][]byte) {
		switch columns {
		case 4:
			return m.read
		case 7:
			return b.object
		case 18:
			return b.index
		}
		return nil
	})
	if err != nil {
		return sc, fmt.Errorf("snapshot query: %w", err)
	}
	return sc, nil
}

// metaParams are the types of the meta statement's parameters.
var metaParams = []uint32{pgtype.BoolOID, pgtype.OIDArrayOID, pgtype.OIDArrayOID, pgtype.OIDArrayOID,
	pgtype.OIDArrayOID, pgtype.OIDArrayOID, pgtype.TextOID}

// readPipeline flushes p, whose last request is a sync, and hands the
// rows of each result to the function pick gives for its number of
// columns (nil: skip them). With script, the requests up to the first sync
// are a script's (TakeAfter): their rows are skipped, and their first
// error, and when their sync came back, are returned apart. After a failed
// request the server skips the rest up to the sync; the first error is
// returned. It closes p.
func readPipeline(p *pgconn.Pipeline, script bool, pick func(columns int) func([][]byte)) (scripted, error) {
	var sc scripted
	if err := p.Flush(); err != nil {
		p.Close()
		return sc, err
	}
	var first error
	fail := func(err error) {
		switch {
		case script && sc.err == nil:
			sc.err = err
		case !script && first == nil:
			first = err
		}
	}
	for {
		res, err := p.GetResults()
		var pgErr *pgconn.PgError
		switch {
		case errors.As(err, &pgErr):
			fail(err)
			continue
		case err != nil:
			p.Close()
			return sc, err
		}
		switch r := res.(type) {
		case *pgconn.ResultReader:
			var read func([][]byte)
			if !script {
				read = pick(len(r.FieldDescriptions()))
			}
			for read != nil && r.NextRow() {
				read(r.Values())
			}
			if _, err := r.Close(); err != nil {
				fail(err)
			}
			continue
		case *pgconn.StatementDescription:
			continue
		case *pgconn.PipelineSync:
			if script {
				script, sc.at = false, time.Now()
				continue
			}
		}
		// The sync, or nothing more to read.
		if err := p.Close(); first == nil {
			first = err
		}
		return sc, first
	}
}

func (m *meta) read(row [][]byte) {
	if len(row[0]) != 1 {
		return
	}
	switch row[0][0] {
	case 'F':
		m.everything = strings.Contains(string(row[1]), "e")
		m.lost = strings.Contains(string(row[1]), "l")
		m.always = strings.Contains(string(row[1]), "a")
	case 'E':
		m.events = string(row[1])
	case 'D':
		if len(row[1]) == 1 {
			m.dirty = append(m.dirty, ownerOf(row[1][0], parseOID(row[2])))
		}
	case 'X':
		m.dropped = append(m.dropped, dropped{catalog: parseOID(row[2]), oid: parseOID(row[3]), index: string(row[1])})
	case 'Q':
		m.seqs = append(m.seqs, [2]uint32{parseOID(row[2]), parseOID(row[3])})
	case 'P':
		m.inherits = append(m.inherits, [2]uint32{parseOID(row[2]), parseOID(row[3])})
	}
}

// The OID of pg_collation, whose rows are owners too.
const pgCollation = 3456

// apply makes the snapshot: the previous one, less the objects of the
// owners that changed or went, plus what was printed for them.
func (l *Logged) apply(m *meta, b *builder) *Snapshot {
	all := b.finish()
	// Every object when everything was printed, else what changed since
	// the previous snapshot (nil: removed).
	var full map[string]Object
	delta := map[string]*Object{}
	del := func(k string) {
		if full != nil {
			delete(full, k)
		} else {
			delta[k] = nil
		}
	}
	// touched are the keys removed or printed: the others are the
	// previous snapshot's (Diff reads them).
	var touched []string
	if m.everything || l.last == nil {
		full = make(map[string]Object, len(b.objs))
		l.changes = &changeLog{}
		l.groups, l.indexes, l.parents, l.seqs, l.always = map[owner][]string{}, map[string]owner{}, map[uint32][]uint32{}, map[owner][]owner{}, map[owner]bool{}
	}
	remove := func(o owner) {
		for _, k := range l.groups[o] {
			del(k)
		}
		touched = append(touched, l.groups[o]...)
		delete(l.groups, o)
		delete(l.always, o)
		if o.kind() == 'r' {
			delete(l.parents, o.oid())
		}
	}
	for _, d := range m.dropped {
		switch d.catalog {
		case pgClass:
			remove(ownerOf('r', d.oid))
			// By name: REINDEX CONCURRENTLY and ALTER COLUMN TYPE give
			// an index a new OID, and tell no trigger.
			if key := "index " + d.index; d.index != "" {
				if o, ok := l.indexes[key]; ok {
					del(key)
					touched = append(touched, key)
					l.groups[o] = slices.DeleteFunc(l.groups[o], func(k string) bool { return k == key })
					delete(l.indexes, key)
				}
			}
		case pgType:
			remove(ownerOf('y', d.oid))
		case pgProc:
			remove(ownerOf('f', d.oid))
		case pgStatisticExt:
			remove(ownerOf('s', d.oid))
		case pgCollation:
			remove(ownerOf('o', d.oid))
		}
	}
	if m.always || m.everything {
		remove(ownerAlways)
	}
	l.events = m.events
	// A sequence that a relation printed again owned and owns no more,
	// not printed again nor dropped, went with no trigger seeing it
	// (DROP IDENTITY).
	printedNow := make(map[owner]bool, len(m.dirty))
	for _, o := range m.dirty {
		printedNow[o] = true
	}
	owns := map[owner][]owner{}
	for _, sq := range m.seqs {
		owns[ownerOf('r', sq[1])] = append(owns[ownerOf('r', sq[1])], ownerOf('r', sq[0]))
	}
	for _, o := range m.dirty {
		for _, seq := range l.seqs[o] {
			if !printedNow[seq] && !slices.Contains(owns[o], seq) {
				remove(seq)
			}
		}
		delete(l.seqs, o)
	}
	for _, o := range m.dirty {
		remove(o)
	}
	l.stats.Owners += len(m.dirty)
	l.stats.Printed += len(b.objs)

	printed := make(map[string]bool, len(b.objs))
	for _, r := range b.objs {
		key, o := r.object(all)
		if printed[key] {
			prev := full[key]
			if full == nil {
				prev = *delta[key]
			}
			o = merged(prev, o) // as Take's builder does
		}
		printed[key] = true
		if full != nil {
			full[key] = o
		} else {
			delta[key] = &o
		}
		touched = append(touched, key)
		l.groups[r.owner] = append(l.groups[r.owner], key)
		if (r.kind == "table" && strings.Contains(o.Def, "REPLICA IDENTITY USING INDEX")) || r.kind == "aggregate" {
			l.always[r.owner] = true
		}
	}
	for _, ik := range b.indexKeys {
		l.indexes[all[ik.key.from:ik.key.to]] = ownerOf('r', ik.rel)
	}
	for _, in := range m.inherits {
		l.parents[in[0]] = append(l.parents[in[0]], in[1])
	}
	for rel, seqs := range owns {
		l.seqs[rel] = seqs
	}
	var snap *Snapshot
	if full != nil {
		snap = NewSnapshot(full)
	} else {
		snap = layered(l.last, delta)
	}
	l.number++
	l.changes.add(l.number, touched)
	snap.changes, snap.gen = l.changes, l.number
	l.last = snap
	return snap
}

// oidArray is an oid[] in text form.
func oidArray(oids []uint32) []byte {
	b := []byte{'{'}
	for i, o := range oids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, uint64(o), 10)
	}
	return append(b, '}')
}
