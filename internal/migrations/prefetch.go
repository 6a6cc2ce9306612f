package migrations

import (
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// prefetchFS serves the .sql files of a migrations directory from memory,
// read once and concurrently: formats read files one at a time, and on a
// history of thousands of files the waiting adds up. Files it did not
// prefetch, and every other call, go to the underlying FS.
type prefetchFS struct {
	fs.FS
	files map[string][]byte
	// dirs caches the listings of dir and its subdirectories: detection
	// asks every format in turn, and each lists the directory.
	dirs map[string][]fs.DirEntry
}

// prefetch reads the .sql files in dir and one level of subdirectories
// below it (Diesel, Flyway) with a few readers at once. Errors are left for
// the format to meet when it reads the file itself.
func prefetch(fsys fs.FS, dir string) *prefetchFS {
	var names []string
	dirs := map[string][]fs.DirEntry{}
	entries, err := fs.ReadDir(fsys, dir)
	if err == nil {
		dirs[path.Clean(dir)] = entries
	}
	for _, e := range entries {
		p := path.Join(dir, e.Name())
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			sub, err := fs.ReadDir(fsys, p)
			if err == nil {
				dirs[p] = sub
			}
			for _, s := range sub {
				if strings.HasSuffix(s.Name(), ".sql") {
					names = append(names, path.Join(p, s.Name()))
				}
			}
		} else if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, p)
		}
	}
	p := &prefetchFS{FS: fsys, files: make(map[string][]byte, len(names)), dirs: dirs}
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan string)
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range work {
				if b, err := fs.ReadFile(fsys, name); err == nil {
					mu.Lock()
					p.files[name] = b
					mu.Unlock()
				}
			}
		}()
	}
	for _, n := range names {
		work <- n
	}
	close(work)
	wg.Wait()
	return p
}

// ReadFile returns a prefetched file once, then forgets it, so that memory
// holds one copy of each file (the one the format keeps).
func (p *prefetchFS) ReadFile(name string) ([]byte, error) {
	name = path.Clean(name)
	if b, ok := p.files[name]; ok {
		delete(p.files, name)
		return b, nil
	}
	return fs.ReadFile(p.FS, name)
}

// ReadDir lists a directory, from the cache when prefetch listed it.
func (p *prefetchFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if entries, ok := p.dirs[path.Clean(name)]; ok {
		return slices.Clone(entries), nil // callers may sort it
	}
	return fs.ReadDir(p.FS, name)
}
