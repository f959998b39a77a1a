"""``python -m reportnlp``: the same command as the ``reportnlp`` console script."""

from reportnlp.cli.app import main

if __name__ == "__main__":
    main()
