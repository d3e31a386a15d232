"""Every preset framework by key."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from funnelkit.frameworks._bant import BANT_FRAMEWORK, OPPORTUNITY
from funnelkit.frameworks._framework import Framework
from funnelkit.frameworks._gpct import GPCT, GPCTBA_CI
from funnelkit.frameworks._meddic import MEDDIC, MEDDPICC
from funnelkit.frameworks._variants import ANUM, CHAMP, FAINT

__all__ = ["PRESET_FRAMEWORKS"]

PRESET_FRAMEWORKS: Mapping[str, Framework] = MappingProxyType(
    {
        fw.key: fw
        for fw in (
            BANT_FRAMEWORK,
            OPPORTUNITY,
            ANUM,
            CHAMP,
            FAINT,
            MEDDIC,
            MEDDPICC,
            GPCT,
            GPCTBA_CI,
        )
    }
)
"""The preset frameworks by key (``bant``, ``opportunity``, ``anum``, ``champ``, ``faint``,
``meddic``, ``meddpicc``, ``gpct``, ``gpctba_ci``), read-only."""
