"""The ``funnelkit`` command line.

Commands:

* ``funnelkit --version`` prints the version;
* ``funnelkit demo`` summarises the bundled demo leads;
* ``funnelkit validate FILE`` checks a lead file and lists every bad record.

Exit codes: ``0`` success, ``1`` bad input (the file was read and has bad records, or its
content cannot be parsed), ``2`` the command could not run (usage error, a file that cannot
be opened, a bad ``--mapping`` file, a missing optional dependency).

The commands render with [rich](https://rich.readthedocs.io), from the ``cli`` extra
(``pip install "funnelkit[cli]"``). Colour is off when output is piped, with
``--no-color``, or when the ``NO_COLOR`` environment variable is set.

Example:
    >>> from funnelkit.cli import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    funnelkit ...
    0
"""

from funnelkit.cli._app import main

__all__ = ["main"]
