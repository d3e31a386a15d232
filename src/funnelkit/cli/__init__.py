"""The ``funnelkit`` command line.

Commands:

* ``funnelkit --version`` prints the version;
* ``funnelkit demo`` qualifies the bundled demo leads and shows the funnel;
* ``funnelkit validate FILE`` checks a lead file and lists every bad record;
* ``funnelkit qualify LEADS`` qualifies every good lead of a file under a policy
  (``--policy``, ``--as-of``, ``--format table|jsonl|csv``, ``--explain LEAD_ID``).

Exit codes: ``0`` success, ``1`` bad input (the file was read and has bad records, or its
content cannot be parsed; ``qualify`` still qualifies the good ones), ``2`` the command
could not run (usage error, a file that cannot be opened, a bad ``--mapping`` file, a
missing optional dependency).

The commands render with [rich](https://rich.readthedocs.io), from the ``cli`` extra
(``pip install "funnelkit[cli]"``); ``qualify --format jsonl`` and ``--format csv`` work
without it. Colour is off when output is piped, with
``--no-color``, or when the ``NO_COLOR`` environment variable is set.

Examples:
    >>> from funnelkit.cli import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    funnelkit ...
    0
"""

from funnelkit.cli._app import main

__all__ = ["main"]
