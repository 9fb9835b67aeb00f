"""Procedures: run a framework's procedure on a scenario, step by step, or sweep many."""

from accord.procedures.runner import Trace, TraceStep, run_scenario

__all__ = ["Trace", "TraceStep", "run_scenario"]
