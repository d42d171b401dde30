"""Shipped prompts and templates land here in an installed wheel."""
