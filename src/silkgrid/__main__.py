"""``python -m silkgrid`` runs the command line (same as the ``silkgrid`` script)."""

from silkgrid.cli import main

if __name__ == "__main__":
    main()
