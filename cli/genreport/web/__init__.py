"""`genreport serve`: a local web page for accountants (开始 / 检查 / 生成 / 批量) over the library's verbs."""

from .app import Settings, create_app
from .security import weak_token
from .transport import bounded
from .uploads import Limits

__all__ = ["Limits", "Settings", "bounded", "create_app", "weak_token"]
