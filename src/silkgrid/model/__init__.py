"""LP formulation: scenario arrays -> linear program (no solver here)."""

from silkgrid.model.arrays import NetworkArrays, build_arrays
from silkgrid.model.build import BuiltModel, build_model

__all__ = ["BuiltModel", "NetworkArrays", "build_arrays", "build_model"]
