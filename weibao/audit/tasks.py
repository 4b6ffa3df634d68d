"""The audit log's scheduled work, as plain functions: audit sits below core, so core's tasks
module registers them with its scheduler (`weibao.core.tasks`)."""

from __future__ import annotations

from weibao.audit import checkpoints


def audit_checkpoint() -> str:
    """Verify each chain since the last checkpoint and sign every chain's head in a new
    checkpoint file outside the database (refuses, and so fails the run, on a broken chain)."""
    checkpoint = checkpoints.write()
    chains = len(checkpoint.chains)
    return f"checkpoint {checkpoint.name}: {checkpoint.events} events in {chains} chains"
