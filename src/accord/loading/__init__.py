"""Loading: YAML files with positions → validated records → a compiled :class:`Model`."""

from accord.loading.package import load_model

__all__ = ["load_model"]
