"""`python -m warledger.cli`: the same command line as `warledger`."""
from . import app

app()
