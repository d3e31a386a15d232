"""The exit codes of the ``funnelkit`` command."""

__all__ = ["EXIT_OK", "EXIT_BAD_INPUT", "EXIT_USAGE"]

EXIT_OK = 0
"""The command ran and found nothing wrong."""
EXIT_BAD_INPUT = 1
"""The input was read and is (partly) bad."""
EXIT_USAGE = 2
"""The command could not run: bad arguments, unreadable files, a missing extra."""
