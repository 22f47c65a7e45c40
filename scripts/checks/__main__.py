"""`make check`: every source check, run from scripts.checks.run."""

import sys

from scripts.checks import main

sys.exit(main())
