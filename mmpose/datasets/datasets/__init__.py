"""Dataset classes, grouped by family on shared bases."""
from .animal import *  # noqa: F401,F403
from .base import *  # noqa: F401,F403
from .body3d import *  # noqa: F401,F403
from .bottom_up import *  # noqa: F401,F403
from .face import *  # noqa: F401,F403
from .fashion import *  # noqa: F401,F403
from .gesture import *  # noqa: F401,F403
from .hand import *  # noqa: F401,F403
from .mesh import *  # noqa: F401,F403
from .top_down import *  # noqa: F401,F403
