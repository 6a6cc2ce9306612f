package sqlparse

// pgVersion is the PostgreSQL release whose grammar pg_query_go v5 embeds
// (PG_VERSION in its bundled pg_config.h).
const pgVersion = "16.1"
