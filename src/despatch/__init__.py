"""despatch: a static-site generator for scholarly editions of diplomatic documents."""

__version__ = "0.1.0"
