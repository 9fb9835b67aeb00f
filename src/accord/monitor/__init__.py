"""Monitoring: what a framework's recurring obligations require against what happened.

A recurring obligation (a ``must`` statement with a recurrence) expects occurrences in each
period of a regular grid (twice a year → half-years). The record — the model's events and
events imported into a DuckDB store — is matched against those periods in SQL; each
obligation-period comes out *met*, *late*, *missed*, *suspended*, *not due* or *unknown*,
with the statements, suspensions and events behind it, and each obligation gets yearly
and overall scores. The rules are in ``docs/monitoring.md``.
"""

from accord.monitor.api import monitor, open_record
from accord.monitor.matching import LATE_RULES
from accord.monitor.obligations import obligations_from_model, recurring_statements
from accord.monitor.periods import Grid, grid_for
from accord.monitor.records import (
    STATUSES,
    EvidenceEvent,
    MatchRule,
    MonitorReport,
    Obligation,
    ObligationResult,
    PeriodResult,
    Score,
    Segment,
)
from accord.monitor.store import (
    EventStore,
    ImportRejected,
    ImportResult,
    RowProblem,
    default_store_path,
)

__all__ = [
    "LATE_RULES",
    "STATUSES",
    "EventStore",
    "EvidenceEvent",
    "Grid",
    "ImportRejected",
    "ImportResult",
    "MatchRule",
    "MonitorReport",
    "Obligation",
    "ObligationResult",
    "PeriodResult",
    "RowProblem",
    "Score",
    "Segment",
    "default_store_path",
    "grid_for",
    "monitor",
    "obligations_from_model",
    "open_record",
    "recurring_statements",
]
