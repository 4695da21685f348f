"""The join link as a QR code, drawn as inline SVG (no image request, no inline style)."""

from __future__ import annotations

import io

from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration
    svg = svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code for the join link" class="fp-quiz-qr" ', 1
    )
    return mark_safe(svg)  # noqa: S308 - drawn by qrcode from our own URL
