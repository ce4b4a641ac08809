"""`python -m connector_devstack` is `connector-dev`."""

import sys

from connector_devstack.cli import main

if __name__ == "__main__":
    sys.exit(main())
