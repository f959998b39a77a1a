"""``python -m reportnlp``: the same command as the ``reportnlp`` console script."""

from reportnlp.cli import main

if __name__ == "__main__":
    main()
