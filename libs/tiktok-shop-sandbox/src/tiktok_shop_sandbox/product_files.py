"""Upload Product File rules: names, formats, sizes and the video aspect ratio (reference
`upload-product-file.json`), with the platform's codes."""

import re
import struct
from fractions import Fraction

from tiktok_shop_sandbox.envelope import PlatformError

VIDEO_FORMATS = {"MP4", "MOV", "MKV", "WMV", "WEBM", "AVI", "3GP", "FLV", "MPEG"}
MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_VIDEO_BYTES = 100 * 1024 * 1024
# One extension period, no spaces, no leading symbol.
_NAME = re.compile(r"^[A-Za-z0-9][^.\s]*\.[A-Za-z0-9]+$")
_MP4_CONTAINERS = {b"moov", b"trak"}


def file_format(name: str, content: bytes) -> str:
    """The upload's format (PDF or a video format); rejects names and contents TikTok rejects."""
    if not content:
        raise PlatformError(12019103, "Couldn't upload file, the file is empty.")
    if not name:
        raise PlatformError(12019104, "The file name is empty.")
    if not _NAME.match(name):
        raise PlatformError(
            12038002, "Invalid upload file. Please ensure you are passing the correct file data."
        )
    extension = name.rsplit(".", 1)[1].upper()
    if extension == "MPG":
        extension = "MPEG"
    if extension not in VIDEO_FORMATS | {"PDF"} or not _content_matches(extension, content):
        raise PlatformError(
            12019105, "Failed to process the file. The format or content is not supported."
        )
    limit = MAX_PDF_BYTES if extension == "PDF" else MAX_VIDEO_BYTES
    if len(content) > limit:
        raise PlatformError(12038005, "The file size exceeds the maximum allowed size.")
    return extension


def _content_matches(extension: str, content: bytes) -> bool:
    """The file's leading bytes are those of its format (a renamed JPEG is not a video)."""
    head = content[:16]
    if extension == "PDF":
        return head.startswith(b"%PDF")
    if extension in {"MP4", "MOV", "3GP"}:
        return head[4:8] in {b"ftyp", b"moov", b"mdat", b"wide", b"free"}
    if extension in {"MKV", "WEBM"}:
        return head.startswith(b"\x1a\x45\xdf\xa3")
    if extension == "AVI":
        return head.startswith(b"RIFF") and head[8:12] == b"AVI "
    if extension == "WMV":
        return head.startswith(bytes.fromhex("3026b2758e66cf11"))
    if extension == "FLV":
        return head.startswith(b"FLV")
    return head.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3"))  # MPEG-PS / ES


def video_size(content: bytes) -> tuple[int, int] | None:
    """Width and height of an MP4/MOV video track (`tkhd`), when the file has one."""
    for width, height in _track_sizes(content):
        if width and height:
            return width, height
    return None


def _track_sizes(data: bytes) -> list[tuple[int, int]]:
    sizes: list[tuple[int, int]] = []
    offset = 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size < 8:
            break
        payload = data[offset + 8 : offset + size]
        if kind in _MP4_CONTAINERS:
            sizes += _track_sizes(payload)
        elif kind == b"tkhd" and len(payload) >= 84:
            # Width and height are the last two 16.16 fixed-point fields (v0 84 / v1 96 bytes).
            end = 96 if payload[0] == 1 and len(payload) >= 96 else 84
            width, height = struct.unpack(">II", payload[end - 8 : end])
            sizes.append((width >> 16, height >> 16))
        offset += size
    return sizes


def check_aspect_ratio(width: int, height: int) -> None:
    """Product videos must be between 9:16 and 16:9 (12019122)."""
    if not Fraction(9, 16) <= Fraction(width, height) <= Fraction(16, 9):
        raise PlatformError(12019122, "The video ratio must be between 9:16 and 16:9.")
