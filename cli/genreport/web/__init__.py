"""`genreport serve`: a local web page for accountants (开始 / 检查 / 生成 / 批量) over the library's verbs."""

from .app import Settings, create_app
from .uploads import Limits

__all__ = ["Limits", "Settings", "create_app"]
