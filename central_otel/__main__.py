"""`python -m central_otel` runs the same CLI as the `central-otel` script."""

import sys

from central_otel.cli import main

sys.exit(main())
