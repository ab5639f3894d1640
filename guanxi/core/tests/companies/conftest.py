import io

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Logos go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def image_bytes(fmt: str = "PNG", size=(120, 40), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format=fmt)
    return buf.getvalue()
