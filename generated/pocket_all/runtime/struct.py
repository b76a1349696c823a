"""A frozen dataclass that is a JAX pytree and has `replace()` (as pgx's `struct.dataclass`)."""

from __future__ import annotations

import dataclasses

import jax


def dataclass(cls):
    """Make `cls` a frozen dataclass registered as a pytree whose every field is a leaf or subtree."""
    cls = dataclasses.dataclass(frozen=True)(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    jax.tree_util.register_dataclass(cls, data_fields=names, meta_fields=[])

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    cls.replace = replace
    return cls
