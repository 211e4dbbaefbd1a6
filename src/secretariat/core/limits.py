"""Bounds the databases enforce, for forms to check first (a larger number is a 400, never an
overflow inside the database driver)."""

MAX_ID = 2**63 - 1  # the largest value of a 64-bit key or integer column
