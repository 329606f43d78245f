"""`python -m azgate`: the command line (see azgate.cli)."""

import sys

from .cli import main

sys.exit(main())
