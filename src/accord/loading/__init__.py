"""Loading: YAML files with positions → validated records → a compiled :class:`Model`.

The steps, each in a module of its own:

1. ``yamlsrc`` reads each file into plain values (dicts, lists, text), fast for the
   regular part of YAML models are written in and by PyYAML's composer for the rest, with
   every place locatable for a message later;
2. ``validate`` turns each file's values into records (pydantic, ``extra=forbid``) and
   pydantic's errors into problems with file, line and column;
3. as each file is validated, ``checks.Cited`` gathers what its records cite: the sources
   are read first, so each citation's source is checked at once, and its quotes are
   checked against the texts (``texts``);
4. ``checks`` then checks every reference between elements, compiles the conditions and
   looks for cycles of overrides;
5. ``package`` puts it together: every problem of every file is raised at once, as one
   ``ModelError``, and a model with a problem never half-loads.

A model of more than a few megabytes is read by two processes (``parallel``): a worker is
forked before the records are made, reads its share of the files and sends the values
back, then checks the quotes of each file as this process sends them. Whatever goes wrong
there, this process does the work itself: the model and its problems are the same either
way (the tests check both paths).
"""

from accord.loading.package import load_model

__all__ = ["load_model"]
