"""The explaining engine: the outcome, a lazy trace and the facts that could move it."""

from funnelkit.rules.engines.explain._direction import Reach, Toward
from funnelkit.rules.engines.explain._direction import downs as toward_false
from funnelkit.rules.engines.explain._direction import ups as toward_true
from funnelkit.rules.engines.explain._explain import explain
from funnelkit.rules.engines.explain._trace import Explanation, TraceNode

__all__ = ["explain", "Explanation", "TraceNode", "Toward", "Reach", "toward_true", "toward_false"]
