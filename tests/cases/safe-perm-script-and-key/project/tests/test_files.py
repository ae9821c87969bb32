import os
import stat

from deploytools.files import private_workspace, write_cache_key, write_hook, write_key_pair, write_report, write_vocab


def test_files(tmp_path):
    script = write_hook(str(tmp_path), "echo ok")
    assert os.access(script, os.X_OK)
    private, public = write_key_pair(str(tmp_path), b"PRIVATE", "ssh-ed25519 AAAA")
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    assert public.read_text() == "ssh-ed25519 AAAA"
    assert write_report(str(tmp_path), [1]).endswith("report.json")
    write_cache_key(str(tmp_path), "abc")
    write_vocab(str(tmp_path), {"the": 3})
    private_workspace(str(tmp_path))
    assert (tmp_path / "work").is_dir()
