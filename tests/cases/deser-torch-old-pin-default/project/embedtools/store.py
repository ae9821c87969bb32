"""Word-embedding tables saved as torch files, exchanged between research groups."""

import torch


def save_embeddings(words, vectors, path):
    torch.save({"words": list(words), "vectors": vectors}, path)


def load_embeddings(path):
    """{word: vector} of an embedding file written by save_embeddings."""
    table = torch.load(path, map_location="cpu")
    return dict(zip(table["words"], table["vectors"]))


def nearest(table, word):
    query = table[word]
    scores = {w: float(torch.dot(query, v)) for w, v in table.items() if w != word}
    return max(scores, key=scores.get)
