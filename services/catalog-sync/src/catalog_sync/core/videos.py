"""Product videos: which Shopify rendition TikTok gets, its upload name, and what TikTok refuses
(Upload Product File: MP4/MOV/MKV/WMV/WEBM/AVI/3GP/FLV/MPEG, <= 100 MB, 9:16 to 16:9)."""

from fractions import Fraction
from urllib.parse import urlparse

from shopify.models import Media, VideoSource

from catalog_sync.core.file_names import safe_file_name
from catalog_sync.core.models import Issue, SourceVideo

TIKTOK_FORMATS = frozenset({"mp4", "mov", "mkv", "wmv", "webm", "avi", "3gp", "flv", "mpeg"})
MAX_VIDEO_BYTES = 100 * 1024 * 1024
MIN_RATIO, MAX_RATIO = Fraction(9, 16), Fraction(16, 9)


def best_source(sources: list[VideoSource]) -> VideoSource | None:
    """The largest rendition in a format TikTok takes (Shopify also lists an m3u8 playlist)."""
    usable = [s for s in sources if s.format.lower() in TIKTOK_FORMATS]
    return max(usable, key=lambda s: s.width * s.height, default=None)


def first_video(media: list[Media]) -> SourceVideo | None:
    """The product's first video; a video with no usable rendition keeps its first one."""
    video = next((m for m in media if m.media_content_type == "VIDEO" and m.sources), None)
    if video is None:
        return None
    source = best_source(video.sources) or video.sources[0]
    return SourceVideo(
        url=source.url,
        filename=video.filename or "",
        format=source.format.lower(),
        width=source.width,
        height=source.height,
        file_size=source.file_size,
    )


def upload_name(video: SourceVideo) -> str:
    """A file name TikTok accepts: letters, digits, - and _, one period before the extension."""
    name = video.filename or urlparse(video.url).path.rsplit("/", 1)[-1]
    return safe_file_name(name, video.format, "product-video")


def video_issues(video: SourceVideo) -> list[Issue]:
    """What TikTok would refuse in the product's video, and how to fix it."""
    fix = "Replace the video in Shopify and pull again, or set the video sync rule to 'Don't sync'."
    issues = []
    if video.format not in TIKTOK_FORMATS:
        issues.append(
            Issue(
                code="video_format",
                message=f"TikTok Shop cannot take the product video's format ({video.format}). {fix}",
            )
        )
    if video.file_size and video.file_size > MAX_VIDEO_BYTES:
        size = video.file_size // (1024 * 1024)
        issues.append(
            Issue(
                code="video_too_large",
                message=f"The product video is {size} MB; TikTok Shop accepts up to 100 MB. {fix}",
            )
        )
    ratio = Fraction(video.width, video.height) if video.width and video.height else None
    if ratio is not None and not MIN_RATIO <= ratio <= MAX_RATIO:
        issues.append(
            Issue(
                code="video_ratio",
                message=(
                    f"The product video is {video.width}x{video.height}; TikTok Shop accepts "
                    f"aspect ratios from 9:16 to 16:9. {fix}"
                ),
            )
        )
    return issues
