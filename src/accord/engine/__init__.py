"""The engine: state at a date, deontic reasoning with explanations, question files."""

from accord.engine.answers import Answer, BodyState, InstrumentStatus, State, Step, WhoAnswer
from accord.engine.model import Model

__all__ = ["Answer", "BodyState", "InstrumentStatus", "Model", "State", "Step", "WhoAnswer"]
