package catalog

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"
)

// A snapshot layered on the one before it (as a Logged makes them) has the
// objects a copy of the whole map would have, at every depth, before and
// after the snapshots under it put their objects together.
func TestLayeredSnapshots(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	want := map[string]Object{}
	var snaps []*Snapshot
	var wants []map[string]Object
	s := NewSnapshot(map[string]Object{})
	for i := range 3 * maxDepth {
		delta := map[string]*Object{}
		for range 5 {
			k := fmt.Sprintf("table public.t%d", r.IntN(40))
			if r.IntN(3) == 0 {
				delta[k] = nil
				delete(want, k)
			} else {
				o := Object{Kind: "table", Name: k[len("table "):], Def: fmt.Sprint(i)}
				delta[k] = &o
				want[k] = o
			}
		}
		s = layered(s, delta)
		snaps, wants = append(snaps, s), append(wants, maps.Clone(want))
		if i%7 == 3 {
			s.Objects() // as a Diff across parts would
		}
	}
	for i, s := range snaps {
		for j := range 40 {
			k := fmt.Sprintf("table public.t%d", j)
			got, ok := s.Lookup(k)
			w, wok := wants[i][k]
			if ok != wok || got != w {
				t.Fatalf("snapshot %d: Lookup(%q) = %v, %v; want %v, %v", i, k, got, ok, w, wok)
			}
		}
	}
	for i, s := range snaps {
		if !maps.Equal(s.Objects(), wants[i]) {
			t.Fatalf("snapshot %d: Objects() = %v, want %v", i, s.Objects(), wants[i])
		}
	}
}
