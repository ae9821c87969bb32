import zipfile

from bundles.unpack import unpack


def test_a_theme_bundle_is_unpacked_file_by_file(tmp_path):
    bundle = tmp_path / "theme.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("css/site.css", "body {}")
        zf.writestr("img/", "")
        zf.writestr("README.txt", "a theme")
    dest = tmp_path / "themes" / "dark"
    assert unpack(str(bundle), str(dest)) == ["css/site.css", "README.txt"]
    assert (dest / "css" / "site.css").read_text() == "body {}"
