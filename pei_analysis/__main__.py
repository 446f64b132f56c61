"""``python -m pei_analysis``: the command line."""

import sys

from pei_analysis.cli import main

sys.exit(main())
