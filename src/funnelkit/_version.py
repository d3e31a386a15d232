"""The single source of funnelkit's version."""

__version__ = "0.1.0.dev0"
