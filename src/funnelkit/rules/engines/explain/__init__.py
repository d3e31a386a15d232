"""The explaining engine: the outcome, a lazy trace and the facts that could move it."""

from funnelkit.rules.engines.explain._explain import explain
from funnelkit.rules.engines.explain._trace import Explanation, TraceNode

__all__ = ["explain", "Explanation", "TraceNode"]
