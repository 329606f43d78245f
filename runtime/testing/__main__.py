"""`python -m azgate.testing`: the emulator's command line (as `python -m azgate.testing.emulator`)."""

from .emulator import main

raise SystemExit(main())
