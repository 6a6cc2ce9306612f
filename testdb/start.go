package testdb

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Start gets a server as spec says: "auto", "docker", "local", or a
// postgres:// URL of an existing server.
func Start(ctx context.Context, spec string, opts Options) (Server, error) {
	switch {
	case spec == "" || spec == "auto":
		return startAuto(ctx, opts)
	case spec == "docker":
		s, err := StartDocker(ctx, opts)
		if errors.Is(err, ErrNoDockerEngine) {
			return nil, fmt.Errorf("%w; start Docker (or set DOCKER_HOST to an engine that answers), "+
				"or use --db local for this machine's PostgreSQL binaries, or --db postgres://user:password@host/postgres for an existing server", err)
		}
		return s, err
	case spec == "local":
		s, err := StartLocal(ctx, opts)
		if errors.Is(err, ErrNoLocalPostgres) {
			return nil, fmt.Errorf("%w; install PostgreSQL's server binaries (Debian/Ubuntu: apt-get install postgresql; "+
				"macOS: brew install postgresql@16) or set PG_BIN to their directory, "+
				"or use --db docker, or --db postgres://user:password@host/postgres for an existing server", err)
		}
		if err != nil {
			return nil, err
		}
		return s, nil
	case strings.HasPrefix(spec, "postgres://") || strings.HasPrefix(spec, "postgresql://"):
		return OpenURL(ctx, spec)
	}
	return nil, fmt.Errorf("--db %q: want auto, docker, local, or a postgres:// URL", redactURL(spec))
}

// startAuto prefers Docker when an engine answers and the image is there or
// can be pulled, then local binaries.
func startAuto(ctx context.Context, opts Options) (Server, error) {
	dockerErr := DockerUsable(ctx, opts)
	if dockerErr == nil {
		return StartDocker(ctx, opts)
	}
	opts.logf("not using Docker: %v; trying local PostgreSQL binaries", dockerErr)
	s, err := StartLocal(ctx, opts)
	if err == nil {
		return s, nil
	}
	if errors.Is(err, ErrNoLocalPostgres) {
		return nil, fmt.Errorf("no PostgreSQL to replay the migrations on:\n"+
			"  docker: %v\n"+
			"  local: %v\n"+
			"Start Docker (the image %s is pulled once), install PostgreSQL's server binaries "+
			"(Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql@16), "+
			"or pass --db postgres://user:password@host/postgres for an existing server", dockerErr, err, opts.image())
	}
	return nil, err
}

func (o Options) image() string {
	if o.Image != "" {
		return o.Image
	}
	v := o.PGVersion
	if v == 0 {
		v = 16
	}
	return fmt.Sprintf("postgres:%d", v)
}
