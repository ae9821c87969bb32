from fastapi import FastAPI

from inventory.audit import record_deletion

app = FastAPI()
ITEMS = {"lamp": 3, "desk": 1}


@app.delete("/items/{name}")
def delete_item(name: str):
    record_deletion(name, len(ITEMS))
    return {"deleted": ITEMS.pop(name, 0) > 0}
