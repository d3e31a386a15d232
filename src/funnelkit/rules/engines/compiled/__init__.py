"""The compiled engine: generated Python source, one plain function per rule and ``as_of``."""

from funnelkit.rules.engines.compiled._compile import CompiledRule, compile_rule

__all__ = ["compile_rule", "CompiledRule"]
