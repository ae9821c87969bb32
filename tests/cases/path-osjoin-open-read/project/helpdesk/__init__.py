"""Help-desk knowledge base."""
