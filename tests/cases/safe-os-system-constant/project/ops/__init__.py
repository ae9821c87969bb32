"""Operations helpers."""
