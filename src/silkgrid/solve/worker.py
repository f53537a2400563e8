"""Entry point of a :class:`~silkgrid.solve.executor.ProcessExecutor` worker process.

    python -m silkgrid.solve.worker IN_FD OUT_FD

Kept apart from ``executor`` so that pickled results name ``silkgrid.solve.executor``
classes, not ``__main__`` ones.
"""

import sys
from multiprocessing.connection import Connection

from silkgrid.solve.executor import _worker_main

if __name__ == "__main__":
    _worker_main(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
