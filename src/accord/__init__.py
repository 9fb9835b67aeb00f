"""accord: executable, sourced models of international co-operation frameworks.

>>> import accord
>>> model = accord.load()
>>> answer = model.ask("russia", "launch-operation", day="2001-05-17")
>>> answer.verdict
'forbidden'
"""

from accord.engine import Answer, Model, State, WhoAnswer
from accord.errors import AccordError, ConditionError, ModelError, Problem, QueryError
from accord.loading.package import builtin_path, load_model

load = load_model

__all__ = [
    "AccordError",
    "Answer",
    "ConditionError",
    "Model",
    "ModelError",
    "Problem",
    "QueryError",
    "State",
    "WhoAnswer",
    "builtin_path",
    "load",
    "load_model",
]
__version__ = "0.1.0"
