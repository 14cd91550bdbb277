"""The ``untoc`` command line (Typer and Rich)."""
