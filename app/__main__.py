"""`python -m app` is the `glossary` command."""

from app.cli import main

raise SystemExit(main())
