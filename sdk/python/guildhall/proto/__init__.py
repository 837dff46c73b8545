"""Holds guildhall.proto, the protocol's single source of truth (a link to src/wire/proto/guildhall/v1/ in the
repository, a copy once installed)."""
