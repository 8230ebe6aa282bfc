"""`python -m despatch`: the same command line as `despatch`."""

from .cli import main

raise SystemExit(main())
