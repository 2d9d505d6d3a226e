"""A node that writes the frames passing through it to a video file."""
import logging
import os.path as osp
from queue import Full, Queue
from threading import Thread
from typing import List, Optional, Union

import cv2
from mmcv import mkdir_or_exist

from ..node import Node
from ..registry import NODES

__all__ = ['RecorderNode']

logger = logging.getLogger(__name__)

#: seconds between checks of the ``'_exit_'`` event while the queue is full
_QUEUE_WAIT = 0.5
#: seconds ``on_exit`` waits for the writer to flush the queued frames
_FLUSH_TIMEOUT = 60.0


@NODES.register_module()
class RecorderNode(Node):
    """Pass frames on unchanged and write them to ``out_video_file`` with
    OpenCV. A writer thread encodes them from a queue of ``buffer_size``
    frames, so the stream is not held up; the file is complete when the
    node has stopped (video end or ``'_exit_'``).

    Args:
        name (str): Node (and thread) name.
        input_buffer (str): Buffer of the frames.
        output_buffer (str | list[str]): Buffer(s) to send them to
            (usually ``'_display_'``).
        out_video_file (str): Output video path (its folder is created).
        out_video_fps (int): Frame rate written in the file. Default: 30.
        out_video_codec (str): FourCC code. Default: 'mp4v'.
        buffer_size (int): Frames the queue holds. Default: 30.
        enable (bool): Whether it records. Default: True.
    """

    def __init__(self,
                 name: str,
                 input_buffer: str,
                 output_buffer: Union[str, List[str]],
                 out_video_file: str,
                 out_video_fps: int = 30,
                 out_video_codec: str = 'mp4v',
                 buffer_size: int = 30,
                 enable: bool = True):
        super().__init__(name=name, enable_key=None, enable=enable)
        self.out_video_file = out_video_file
        self.out_video_fps = out_video_fps
        self.out_video_codec = out_video_codec
        self.queue = Queue(maxsize=buffer_size)
        self.vwriter: Optional[cv2.VideoWriter] = None
        # opened with the first frame (its size is the video's), so a node
        # that never runs leaves no file or thread behind
        self.t_record: Optional[Thread] = None
        self.register_input_buffer(input_buffer, 'input', trigger=True)
        self.register_output_buffer(output_buffer)

    def process(self, input_msgs):
        msg = input_msgs['input']
        if self.t_record is None:
            self.vwriter = self._open_writer(*msg.get_image().shape[:2])
            self.t_record = Thread(target=self._record, daemon=True,
                                   name=f'{self.name}:writer')
            self.t_record.start()
        while not self._event_manager.is_set('_exit_'):
            try:
                self.queue.put(msg.get_image(), timeout=_QUEUE_WAIT)
                break
            except Full:
                logger.info('recorder %s: queue full, waiting', self.name)
        return msg

    def bypass(self, input_msgs):
        return input_msgs['input']

    def _open_writer(self, height: int, width: int) -> cv2.VideoWriter:
        mkdir_or_exist(osp.dirname(osp.abspath(self.out_video_file)))
        writer = cv2.VideoWriter(self.out_video_file,
                                 cv2.VideoWriter_fourcc(*self.out_video_codec),
                                 self.out_video_fps, (width, height))
        if not writer.isOpened():
            raise OSError(f'recorder {self.name!r}: cannot open '
                          f'{self.out_video_file!r} for writing with codec '
                          f'{self.out_video_codec!r}')
        return writer

    def _record(self) -> None:
        """Writer thread: write queued frames until a None arrives."""
        while True:
            img = self.queue.get()
            if img is None:
                break
            self.vwriter.write(img)

    def on_exit(self):
        if self.t_record is not None:
            try:
                self.queue.put(None, timeout=_FLUSH_TIMEOUT)
            except Full:
                logger.warning('recorder %s: writer stalled; %s may miss '
                               'frames', self.name, self.out_video_file)
            self.t_record.join(timeout=_FLUSH_TIMEOUT)
        if self.vwriter is not None:
            self.vwriter.release()
            logger.info('recorder %s: wrote %s', self.name,
                        self.out_video_file)
