"""MMPose 0.29's webcam application framework: a :class:`WebcamExecutor`
runs a graph of nodes (threads linked by named buffers) on camera, video or
image frames."""
from .webcam_executor import WebcamExecutor

__all__ = ['WebcamExecutor']
