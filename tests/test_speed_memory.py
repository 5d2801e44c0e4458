"""What a worker holds (issue 16: worker memory): heavy libraries only where they are used."""
from __future__ import annotations

import subprocess
import sys


def test_the_app_loads_no_excel_or_pdf_library_until_one_is_used_issue16(tmp_path):
    """Issue 16 (worker memory ≤ 100 MiB): building the app imports neither openpyxl (~10 MiB
    a worker; exports and imports load it) nor xhtml2pdf (documents load it)."""
    script = (
        "import os, sys\n"
        f"os.environ['INSTANCE_DIR'] = {str(tmp_path)!r}\n"
        "from app import create_app\n"
        f"create_app(None, {{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/m.db'}})\n"
        "print(sorted(m for m in ('openpyxl', 'xhtml2pdf', 'reportlab') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr
