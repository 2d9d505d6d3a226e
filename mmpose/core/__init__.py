from .camera import *  # noqa: F401,F403
from .evaluation import *  # noqa: F401,F403
from .fp16 import *  # noqa: F401,F403
from .optimizer import *  # noqa: F401,F403
from .post_processing import *  # noqa: F401,F403
from .utils import *  # noqa: F401,F403
from .visualization import *  # noqa: F401,F403
