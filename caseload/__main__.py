"""`python -m caseload` runs the same command line as the `caseload` script."""

from caseload import main

main()
