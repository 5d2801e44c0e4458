"""The build compiles the zh catalogue into the wheel (everything else is in pyproject.toml).

The .mo files are not in git: a wheel or `pip install .` built from a fresh checkout would
show English. Here every app/translations/<lang>/LC_MESSAGES/*.po is compiled (Babel, a
build requirement) into the build's copy of the package, so the installed app shows Chinese
whether or not `scripts/i18n.py compile` ran in the checkout. An editable install reads the
checkout's catalogue, which `make install` compiles.
"""
from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogue(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        source = Path(__file__).resolve().parent / "app" / "translations"
        pos = sorted(source.glob("*/LC_MESSAGES/*.po"))
        if not pos:
            raise SystemExit(f"no catalogue under {source}: the wheel would show English")
        for po in pos:
            target = Path(self.build_lib) / "app" / "translations" / po.relative_to(source)
            target = target.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(po, "rb") as fh:
                catalog = read_po(fh, locale=po.parent.parent.name)
            with open(target, "wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": BuildWithCatalogue})
