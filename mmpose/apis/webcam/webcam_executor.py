"""Build a webcam application from node configs and run it."""
import logging
from contextlib import nullcontext
from queue import Empty, Full
from threading import Thread
from typing import Dict, List, Optional, Tuple, Union

import cv2

from mmpose.errors import ArgumentError
from .nodes import NODES
from .utils import (BufferManager, EventManager, FrameMessage, ImageCapture,
                    VideoEndingMessage)
from .utils.misc import is_image_file, limit_max_fps

__all__ = ['WebcamExecutor', 'NODES']

logger = logging.getLogger(__name__)

#: capacity of each buffer unless ``buffer_sizes`` names it (0: unbounded)
DEFAULT_BUFFER_SIZES = {'_frame_': 1, '_input_': 1, '_display_': 0}
DEFAULT_USER_BUFFER_SIZE = 1
#: keys that quit: Esc, q, Q
EXIT_KEYS = (27, ord('q'), ord('Q'))
#: seconds a blocked thread waits before checking ``'_exit_'`` again
_POLL = 0.05


class WebcamExecutor:
    """Run a graph of webcam nodes on camera, video or image frames.

    Threads: one reads frames, one per node, and the calling thread shows
    the results. Each frame goes as a :class:`FrameMessage` into the
    reserved buffers ``'_frame_'`` (for display) and ``'_input_'`` (a copy,
    for the models), each only if some node reads it; nodes pass messages
    through the buffers they name; whatever reaches ``'_display_'`` is
    shown. The app stops when the video ends (a
    :class:`VideoEndingMessage` follows the frames through the graph), on
    'q'/'Q'/Esc, or when a node fails (its exception is re-raised by
    :meth:`run` once every thread has stopped). Any other key sets the
    keyboard event of that key (e.g. a node's ``enable_key``).

    Args:
        nodes (list[dict]): Node configs, each with ``type`` and ``name``
            (see :data:`NODES`).
        name (str): Window title. Default: 'MMPose Webcam App'.
        camera_id (int | str): Camera index, or a video path/URL, or an
            image path (the image is repeated, see :class:`ImageCapture`).
            Default: 0.
        camera_max_fps (int): Highest frame reading rate (asynchronous
            mode). Default: 30.
        camera_frame_shape (tuple[int, int], optional): Camera frame
            (width, height) to request. Default: the camera's.
        synchronous (bool): Read the next frame only once the previous one
            reached ``'_display_'`` (every frame is processed by every
            node) instead of reading at ``camera_max_fps`` and letting
            slow nodes skip frames. Default: False.
        buffer_sizes (dict[str, int], optional): Capacity of buffers by
            name (defaults: ``'_frame_'`` 1, ``'_input_'`` 1, ``'_display_'``
            unbounded, others 1).
        display (bool): Show the frames in an OpenCV window and read the
            keyboard. False (headless): consume them without a window.
            Default: True.

    Example::

        >>> executor = WebcamExecutor(
        ...     nodes=[dict(type='RecorderNode', name='recorder',
        ...                 out_video_file='out.mp4', input_buffer='_frame_',
        ...                 output_buffer='_display_')],
        ...     camera_id='video.mp4', display=False)
        >>> executor.run()
    """

    def __init__(self,
                 nodes: List[Dict],
                 name: str = 'MMPose Webcam App',
                 camera_id: Union[int, str] = 0,
                 camera_max_fps: int = 30,
                 camera_frame_shape: Optional[Tuple[int, int]] = None,
                 synchronous: bool = False,
                 buffer_sizes: Optional[Dict[str, int]] = None,
                 display: bool = True):
        if not nodes:
            raise ArgumentError(f'nodes must list at least one node config, '
                                f'got {nodes!r}')
        self.name = name
        self.camera_id = camera_id
        self.camera_max_fps = camera_max_fps
        self.camera_frame_shape = camera_frame_shape
        self.synchronous = synchronous
        self.display = display
        self.vcap = None

        self.buffer_manager = BufferManager()
        self.event_manager = EventManager()
        self.event_manager.register_event('_exit_')
        if synchronous:
            self.event_manager.register_event('_idle_')

        sizes = {**DEFAULT_BUFFER_SIZES, **(buffer_sizes or {})}
        for buffer_name in DEFAULT_BUFFER_SIZES:
            self.buffer_manager.register_buffer(buffer_name,
                                                sizes[buffer_name])

        self.node_list = [NODES.build(cfg) for cfg in nodes]
        for node in self.node_list:
            for info in node.registered_buffers:
                if info.buffer_name not in self.buffer_manager:
                    self.buffer_manager.register_buffer(
                        info.buffer_name,
                        sizes.get(info.buffer_name, DEFAULT_USER_BUFFER_SIZE))
            for info in node.registered_events:
                self.event_manager.register_event(info.event_name,
                                                  info.is_keyboard)
        # after all buffers exist: a node sees the ones it registered
        for node in self.node_list:
            node.set_executor(self)

        # input buffers are the ones registered with an input name
        read, written = set(), set()
        for node in self.node_list:
            for info in node.registered_buffers:
                (written if info.input_name is None else read).add(
                    info.buffer_name)
        #: the reserved source buffers some node reads
        self._source_buffers = [name for name in ('_frame_', '_input_')
                                if name in read]
        if not self._source_buffers or '_display_' not in written:
            raise ArgumentError(
                'nodes must read the frames from "_frame_" or "_input_" and '
                'send results to "_display_"; the node configs read '
                f'{sorted(read)} and write {sorted(written)}')
        #: the exception that stopped the frame reader, if any
        self.reader_error: Optional[BaseException] = None

    def _open_capture(self):
        """Open ``camera_id``: an :class:`ImageCapture` for an image file,
        else a ``cv2.VideoCapture``."""
        if is_image_file(self.camera_id):
            return ImageCapture(self.camera_id)
        vcap = cv2.VideoCapture(self.camera_id)
        if self.camera_frame_shape is not None:
            width, height = self.camera_frame_shape
            vcap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            vcap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        if not vcap.isOpened():
            raise FileNotFoundError(
                f'cannot open camera_id={self.camera_id!r} (a camera index, '
                'or an existing video or image file)')
        return vcap

    def _get_camera_info(self) -> Dict:
        """Camera id, resolution and FPS, the route step of each frame."""
        width = self.vcap.get(cv2.CAP_PROP_FRAME_WIDTH)
        height = self.vcap.get(cv2.CAP_PROP_FRAME_HEIGHT)
        return {
            'Camera ID': self.camera_id,
            'Camera resolution': f'{width}x{height}',
            'Camera FPS': self.vcap.get(cv2.CAP_PROP_FPS),
        }

    def _exiting(self) -> bool:
        return self.event_manager.is_set('_exit_')

    def _put_until_exit(self, buffer_name: str, msg) -> None:
        """Put ``msg`` into ``buffer_name``, waiting for room unless the
        app is exiting."""
        while not self._exiting():
            try:
                self.buffer_manager.put(buffer_name, msg, timeout=_POLL)
                return
            except Full:
                continue

    def _wait_idle(self) -> bool:
        """Synchronous mode: wait until the last frame reached the display
        (True) or the app exits (False)."""
        while not self._exiting():
            if self.event_manager.wait('_idle_', timeout=_POLL):
                self.event_manager.clear('_idle_')
                return True
        return False

    def _run_reader(self) -> None:
        """Reader thread: :meth:`_read_camera`; an error in it is kept in
        :attr:`reader_error` and stops the app."""
        try:
            self._read_camera()
        except Exception as error:  # noqa: B902 stop the whole app
            self.reader_error = error
            logger.exception('%s: reading frames failed', self.name)
            self.event_manager.set('_exit_')

    def _read_camera(self) -> None:
        """Send frames until the video ends or the app exits, then a
        :class:`VideoEndingMessage`."""
        first = True
        while not self._exiting():
            if self.synchronous and not first and not self._wait_idle():
                return
            first = False
            with (nullcontext() if self.synchronous else
                  limit_max_fps(self.camera_max_fps)):
                ok, frame = self.vcap.read()
            if not ok:
                break
            if '_frame_' in self._source_buffers:
                self._put_until_exit('_frame_', FrameMessage(frame))
            if '_input_' in self._source_buffers:
                msg = FrameMessage(frame.copy())
                msg.update_route_info(node_name='Camera Info',
                                      node_type='none',
                                      info=self._get_camera_info())
                self.buffer_manager.put_force('_input_', msg)
        logger.info('%s: video ended', self.name)
        if '_frame_' in self._source_buffers:
            self._put_until_exit('_frame_', VideoEndingMessage())
        if '_input_' in self._source_buffers:
            self.buffer_manager.put_force('_input_', VideoEndingMessage())

    def _display(self) -> None:
        """Take messages from ``'_display_'`` and show them (if
        ``display``) until the video ends or the app exits."""
        while not self._exiting():
            try:
                msg = self.buffer_manager.get('_display_', timeout=_POLL)
            except Empty:
                continue
            if self.synchronous:
                self.event_manager.set('_idle_')
            if isinstance(msg, VideoEndingMessage):
                break
            if self.display:
                cv2.imshow(self.name, msg.get_image())
                key = cv2.waitKey(1)
                if key != -1:
                    self._on_keyboard_input(key)

    def _on_keyboard_input(self, key: int) -> None:
        """Exit on 'q', 'Q' or Esc; otherwise set the key's event."""
        if key in EXIT_KEYS:
            logger.info('%s: exit key %d pressed', self.name, key)
            self.event_manager.set('_exit_')
        else:
            self.event_manager.set(key, is_keyboard=True)

    def run(self) -> None:
        """Run the app until the video ends, an exit key or Ctrl-C, or a
        node error; return once every thread has stopped.

        Raises:
            FileNotFoundError: ``camera_id`` cannot be opened.
            Exception: The error that stopped the frame reader or a node
                (the first one).
        """
        self.vcap = self._open_capture()
        reader = Thread(target=self._run_reader, name=f'{self.name}:camera',
                        daemon=True)
        try:
            for node in self.node_list:
                node.start()
            reader.start()
            self._display()
        except KeyboardInterrupt:
            logger.info('%s: interrupted', self.name)
        finally:
            self.event_manager.set('_exit_')
            if reader.is_alive():
                reader.join()
            for node in self.node_list:
                if node.is_alive() and not node.daemon:
                    node.join()
            self.vcap.release()
            if self.display:
                cv2.destroyAllWindows()
        errors = [self.reader_error
                  ] + [node.error for node in self.node_list]
        errors = [error for error in errors if error is not None]
        if errors:
            raise errors[0]
