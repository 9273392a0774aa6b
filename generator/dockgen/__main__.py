"""`python -m dockgen`."""

import sys

from dockgen.cli import main

sys.exit(main())
