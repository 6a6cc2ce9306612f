package testdb

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestLocalServer(t *testing.T) {
	ctx := context.Background()
	start := time.Now()
	s, err := StartLocal(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s ready in %v", s, time.Since(start))
	db, err := s.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, db.URL())
	if err != nil {
		t.Fatal(err)
	}
	var fsync string
	if err := conn.QueryRow(ctx, "SHOW fsync").Scan(&fsync); err != nil || fsync != "off" {
		t.Errorf("fsync = %q, %v; want off", fsync, err)
	}
	conn.Close(ctx)
	// Over TCP, only with the password: any user of the machine can reach
	// 127.0.0.1.
	nopw := *db
	nopw.Password = ""
	if c, err := pgx.Connect(ctx, nopw.URL()); err == nil {
		c.Close(ctx)
		t.Errorf("connected to the local server over TCP without its password")
	}
	if strings.Contains(s.String(), db.Password) {
		t.Errorf("the server's description %q shows its password", s.String())
	}
	dir := s.Dir()
	if os.Getenv("TMPDIR") == "" && inMemory(sharedMemory, memoryRoom) && !strings.HasPrefix(dir, sharedMemory+"/") {
		t.Errorf("the server's directory is %s, not in %s, which is a tmpfs with room", dir, sharedMemory)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still exists after Close", dir)
	}
}
