from k8stools.documents import by_kind, split_documents

BUNDLE = """\
apiVersion: v1
kind: Service
metadata:
  name: api
---
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
---
kind: Service
metadata:
  name: worker
"""


def test_split_documents_skips_empty():
    docs = split_documents(BUNDLE)
    assert len(docs) == 3
    assert docs[1]["spec"]["replicas"] == 2


def test_by_kind():
    assert by_kind(split_documents(BUNDLE)) == {"Service": ["api", "worker"], "Deployment": ["api"]}
