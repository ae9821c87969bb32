"""Spreadsheet-style formula evaluation."""
