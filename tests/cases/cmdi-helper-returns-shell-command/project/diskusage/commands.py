def usage_command(folder):
    """The shell command that sums up the size of `folder`, in kilobytes."""
    return "du -sk " + folder
