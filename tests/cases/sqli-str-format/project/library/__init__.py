"""Lending library circulation desk."""
