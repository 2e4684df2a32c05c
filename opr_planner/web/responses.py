"""Files the browser downloads: one way to answer with an attachment (and a zip of several)."""

from __future__ import annotations

import io
import re
import zipfile

from starlette.responses import Response

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICS = "text/calendar; charset=utf-8"
HTML = "text/html; charset=utf-8"
ZIP = "application/zip"


def attachment(data: bytes, media_type: str, filename: str) -> Response:
    """`data` as a download named `filename` (a plain ASCII name: never a header injection)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", filename) or "download"
    return Response(
        data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{safe}"'}
    )


def zip_attachment(files: dict[str, bytes], filename: str) -> Response:
    """Several files as one zip download, in name order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name])
    return attachment(buffer.getvalue(), ZIP, filename)
