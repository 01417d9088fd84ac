"""Ways in: the command line (`cli`), and later the flake8 plugin and pre-commit hook."""
