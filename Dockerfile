# The GitHub Action's image: schemagate built with cgo (pg_query is C), on a
# small Debian runtime with git (for changed-since) and Python 3 with
# SQLAlchemy, Alembic and psycopg2 from Debian's packages, so that Alembic
# projects and SQLAlchemy models work without a requirements file.
#
# No USER: GitHub runs container actions as root (the workspace and the
# mounted Docker socket need it), and git's refusal of a workspace owned by
# another user is handled by `schemagate action` itself.
#
# Base images are pinned by tag and digest; the test of the image
# (cmd/schemagate, TestActionImage) reads these FROM lines.
FROM golang:1.26.8-bookworm@sha256:a688600ca24f8a4d3ca77f95b0dd40704a9fc787c826660eb7ba0b641b8b175d AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
RUN CGO_ENABLED=1 go build -trimpath \
      -ldflags "-s -w -X github.com/schemagate/schemagate/internal/cli.Version=${VERSION}" \
      -o /out/schemagate ./cmd/schemagate \
 && /out/schemagate version

FROM debian:12.12-slim@sha256:d5d3f9c23164ea16f31852f95bd5959aad1c5e854332fe00f7b3a20fcc9f635c
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates git \
      python3 python3-sqlalchemy python3-alembic python3-psycopg2 python3-pip \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/schemagate /usr/local/bin/schemagate
ENTRYPOINT ["schemagate", "action"]
