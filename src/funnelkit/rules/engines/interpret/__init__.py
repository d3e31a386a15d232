"""The reference interpreter: the definition of what every rule means."""

from funnelkit.rules.engines.interpret._interpret import Interpreter, evaluate

__all__ = ["evaluate", "Interpreter"]
