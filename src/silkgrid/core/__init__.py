"""The leaf layer: errors, units, cost rules and JSON cleaning shared by every other layer.

Nothing here imports from the rest of SilkGrid (docs/architecture.md).
"""
