"""Dataset classes, grouped by family (shared bases, top-down, bottom-up)."""
from .base import *  # noqa: F401,F403
from .bottom_up import *  # noqa: F401,F403
from .top_down import *  # noqa: F401,F403
