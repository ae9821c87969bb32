from flask import Flask

app = Flask(__name__)


@app.get("/health")
def health():
    return {"ok": True}


def main():
    """Start the development server."""
    app.run(port=5001, debug=True)
