"""`python -m kerasgan`: the same as the `kerasgan` command."""

import sys

from kerasgan.cli import main

sys.exit(main())
