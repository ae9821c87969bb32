from fastapi import FastAPI
from fastapi.responses import JSONResponse

from shop.links import next_link

app = FastAPI()

ITEMS = [{"name": name, "price": price} for name, price in
         [("apple", 3), ("pear", 4), ("fig", 7), ("kiwi", 2), ("plum", 5)]]
PAGE_SIZE = 2


@app.get("/items")
def list_items(sort: str = "name", page: int = 1):
    ordered = sorted(ITEMS, key=lambda item: item.get(sort, item["name"]))
    chunk = ordered[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    return JSONResponse(chunk, headers={"Link": next_link("/items", sort, page)})
