"""The last release: its version and its template's digest, stamped by RELEASING.md's steps.

`_template.template_identity` records `v<version>` as `_commit` only when both match the
installed dockgen: a development build, or a release's template changed afterwards, records
`v<version>+t<digest>` instead.

`python -m dockgen._release` (from a checkout) stamps the version in pyproject.toml and the
template as they are now.
"""

from __future__ import annotations

#: (version, the first 16 hex digits of `_bundle.template_digest()`)
RELEASE = ("0.2.0", "279aa34b4734f3d6")


def _stamp() -> None:
    import re
    import tomllib
    from pathlib import Path

    from dockgen._bundle import bundled_root, template_digest

    root = bundled_root()
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        raise SystemExit("run this from a checkout of dockgen (no pyproject.toml beside the template)")
    version = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    me = Path(__file__)
    text = re.sub(
        r"^RELEASE = .*$",
        f'RELEASE = ("{version}", "{template_digest(root)[:16]}")',
        me.read_text(encoding="utf-8"),
        count=1,
        flags=re.M,
    )
    me.write_text(text, encoding="utf-8")
    print(f"stamped {version}")


if __name__ == "__main__":
    _stamp()
