"""Host monitoring agent."""
