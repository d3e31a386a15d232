"""Run the command line with ``python -m funnelkit``."""

from funnelkit.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
