# The GitHub Action's image: schemagate built with cgo (pg_query is C), on a
# small Debian runtime with git (for --changed-since) and Python with
# SQLAlchemy, Alembic and psycopg2 (for Alembic projects and models).
# No USER: GitHub runs container actions as root, and the Docker socket
# that starts the throwaway database needs it.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w" -o /out/schemagate ./cmd/schemagate

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates git \
      python3 python3-sqlalchemy python3-alembic python3-psycopg2 python3-pip \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/schemagate /usr/local/bin/schemagate
ENTRYPOINT ["schemagate", "action"]
