import asyncio
import hashlib

from artifacts.verify import checksum, verify, verify_all


def test_checksum_matches_hashlib(tmp_path):
    artifact = tmp_path / "release-1.0.tar.gz"
    artifact.write_bytes(b"release contents")
    expected = hashlib.sha256(b"release contents").hexdigest()
    assert asyncio.run(checksum(str(artifact))) == expected


def test_verify_and_verify_all(tmp_path):
    good = tmp_path / "good.bin"
    good.write_bytes(b"good")
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"tampered")
    digest = hashlib.sha256(b"good").hexdigest()
    assert asyncio.run(verify(str(good), digest.upper()))
    result = asyncio.run(verify_all({str(good): digest, str(bad): digest}))
    assert result == {str(good): True, str(bad): False}
