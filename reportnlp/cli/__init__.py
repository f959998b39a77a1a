"""The command line: the typer app, one module per command, and how errors become exit codes."""
