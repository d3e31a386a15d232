"""The engines that run rule trees; each is a walker over the tree and its meaning.

* ``interpret``: the reference interpreter, the judge of every other engine;
* ``compiled``: generated Python, one function per rule and ``as_of``;
* ``explain``: the interpreter plus a recorder (outcome, trace, facts that could move it);
* ``sql``: sqlglot expression nodes, one SELECT per dialect (``rule_query``, ``to_sql``).

Adding an engine means adding a sibling package here.
"""

from funnelkit.rules.engines.sql import SQL_DIALECTS, evaluate_table, rule_query, to_sql

__all__ = ["rule_query", "to_sql", "evaluate_table", "SQL_DIALECTS"]
