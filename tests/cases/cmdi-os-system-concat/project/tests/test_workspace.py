import os

from workspace_tools.workspace import is_empty, prepare_workspace, workspace_name


def test_workspace_name_flattens_branch():
    assert workspace_name(7, "feature/login") == "job-7-feature-login"


def test_prepare_workspace_creates_nested_directories(tmp_path):
    target = tmp_path / "builds" / "job-1-main"
    assert prepare_workspace(str(target)) is True
    assert target.is_dir()
    assert is_empty(str(target))


def test_prepare_workspace_is_idempotent(tmp_path):
    target = tmp_path / "job-2"
    assert prepare_workspace(str(target))
    (target / "README").write_text("hello")
    assert prepare_workspace(str(target))
    assert not is_empty(str(target))
    assert os.stat(target).st_mode & 0o777 == 0o755
