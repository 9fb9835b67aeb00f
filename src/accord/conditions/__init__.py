"""The condition language: parsed by a real grammar, compiled once, never ``eval``'d.

>>> c = compile_condition("phase == 'operational' and actor in contributors")
>>> sorted(c.facts)
['contributors', 'phase']
>>> env = Env(situation={"phase": "operational", "contributors": ["russia"]}, actor="russia")
>>> c.evaluate(env)
True
>>> compile_condition("phase == 'crisis'").evaluate(Env(situation={})) is None
True
"""

from accord.conditions.nodes import UNKNOWN, Condition, Env, World
from accord.conditions.parser import compile_condition

__all__ = ["UNKNOWN", "Condition", "Env", "World", "compile_condition"]
