package migrations

import (
	"errors"
	"io"
	"io/fs"
	"time"
)

// fileFS is a file system that holds one file of dir, named name, in its
// root ".", so that the formats can load a file the user named on its own.
type fileFS struct {
	dir  fs.FS
	name string
}

func (f *fileFS) Open(name string) (fs.File, error) {
	switch name {
	case f.name:
		return f.dir.Open(name)
	case ".":
		entries, err := f.ReadDir(".")
		if err != nil {
			return nil, err
		}
		return &fileFSRoot{entries: entries}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// ReadDir implements fs.ReadDirFS: the root lists the one file.
func (f *fileFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	info, err := fs.Stat(f.dir, f.name)
	if err != nil {
		return nil, err
	}
	return []fs.DirEntry{fs.FileInfoToDirEntry(info)}, nil
}

// fileFSRoot is the open root directory of a fileFS.
type fileFSRoot struct {
	entries []fs.DirEntry
	read    int
}

func (d *fileFSRoot) Stat() (fs.FileInfo, error) { return rootInfo{}, nil }
func (d *fileFSRoot) Close() error               { return nil }

func (d *fileFSRoot) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: ".", Err: errors.New("is a directory")}
}

func (d *fileFSRoot) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.read:]
	if n > 0 && len(rest) == 0 {
		return nil, io.EOF
	}
	if n > 0 && n < len(rest) {
		rest = rest[:n]
	}
	d.read += len(rest)
	return rest, nil
}

// rootInfo describes the root of a fileFS.
type rootInfo struct{}

func (rootInfo) Name() string       { return "." }
func (rootInfo) Size() int64        { return 0 }
func (rootInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (rootInfo) ModTime() time.Time { return time.Time{} }
func (rootInfo) IsDir() bool        { return true }
func (rootInfo) Sys() any           { return nil }
