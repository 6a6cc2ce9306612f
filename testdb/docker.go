package testdb

import (
	"context"
	"errors"
)

// StartDocker is not written yet.
func StartDocker(ctx context.Context, opts Options) (Server, error) {
	return nil, errors.New("docker: not available yet")
}

// DockerUsable reports why Docker cannot be used, or nil.
func DockerUsable(ctx context.Context, opts Options) error {
	return errors.New("not available yet")
}
