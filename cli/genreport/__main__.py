"""python -m genreport."""

from .commands import main

main()
