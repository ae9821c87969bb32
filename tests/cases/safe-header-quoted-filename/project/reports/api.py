from urllib.parse import quote

from fastapi import FastAPI, Response

app = FastAPI()

ROWS = [("2024-01", 120), ("2024-02", 95)]


@app.get("/export")
def export(response: Response, filename: str = "report.csv"):
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return {"rows": [{"month": month, "total": total} for month, total in ROWS]}
