"""``python -m evacsupport``: the same entry point as the ``evacsupport`` command."""

import sys

from evacsupport.cli import main

sys.exit(main())
