"""The engines that run rule trees; each is a walker over the tree and its meaning.

* ``interpret``: the reference interpreter, the judge of every other engine;
* ``compiled``: generated Python, one function per rule and ``as_of``;
* ``explain``: the interpreter plus a recorder (outcome, trace, facts that could move it).

Adding an engine means adding a sibling package here.
"""

__all__: list[str] = []
