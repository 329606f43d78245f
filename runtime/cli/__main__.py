"""`python -m azgate.cli`."""

import sys

from . import main

sys.exit(main())
