"""Users moving from the desktop client upload its preferences shelf to import it."""

import shelve


def import_preferences(shelf_path: str) -> dict:
    """Every preference the uploaded shelf holds."""
    with shelve.open(shelf_path, flag="r") as db:
        return {key: db[key] for key in db.keys()}
