"""The vocabulary as typed, immutable records (the file format *is* these records)."""

from accord.model.elements import (
    KINDS,
    Actor,
    Assessment,
    Citation,
    Disagreement,
    Event,
    Instrument,
    IntervalSpec,
    Manifest,
    Programme,
    Question,
    Source,
    Statement,
    Strand,
    Suspension,
    Tenure,
)
from accord.model.recurrence import Recurrence, parse_recurrence

__all__ = [
    "KINDS",
    "Actor",
    "Assessment",
    "Citation",
    "Disagreement",
    "Event",
    "Instrument",
    "IntervalSpec",
    "Manifest",
    "Programme",
    "Question",
    "Recurrence",
    "Source",
    "Statement",
    "Strand",
    "Suspension",
    "Tenure",
    "parse_recurrence",
]
