"""Team invitations."""
