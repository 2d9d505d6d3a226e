"""Messages passed between webcam nodes: a frame with its objects, or the
end of the video."""
import time
import uuid
import warnings
from typing import Callable, Dict, List, Optional

import numpy as np

__all__ = ['Message', 'VideoEndingMessage', 'FrameMessage']

#: A predicate on an object dict, see :meth:`FrameMessage.get_objects`.
Filter = Callable[[Dict], bool]


class Message:
    """A text ``msg`` and a ``data`` dict, stamped with its creation time
    (``timestamp``), a unique ``id`` and the route of nodes it went through.

    Args:
        msg (str): Text. Default: ''.
        data (dict, optional): Structured content. Default: ``{}``.
    """

    def __init__(self, msg: str = '', data: Optional[Dict] = None):
        self.msg = msg
        self.data = data if data else {}
        self.route_info: List[Dict] = []
        self.timestamp = time.time()
        self.id = uuid.uuid1()

    def update_route_info(self,
                          node=None,
                          node_name: Optional[str] = None,
                          node_type: Optional[str] = None,
                          info: Optional[Dict] = None) -> None:
        """Append one step ``{'node', 'node_type', 'info'}`` to the route.

        Args:
            node (Node, optional): The node; its name and class name win
                over ``node_name``/``node_type`` (with a warning if those
                are given too).
            node_name (str, optional): The node's name.
            node_type (str, optional): The node's class name.
            info (dict, optional): What the node reports (fps, ...).
        """
        if node is not None:
            if node_name is not None or node_type is not None:
                warnings.warn('update_route_info: node_name and node_type '
                              'are taken from `node` when it is given')
            node_name, node_type = node.name, type(node).__name__
        self.route_info.append(
            {'node': node_name, 'node_type': node_type, 'info': info})

    def set_route_info(self, route_info: List[Dict]) -> None:
        """Replace the whole route."""
        self.route_info = route_info

    def merge_route_info(self, route_info: List[Dict]) -> None:
        """Add the steps of another message's route, ordered by their
        ``'timestamp'`` key (steps without one go last, in order). The
        route list is extended in place, as in 0.29."""
        self.route_info.extend(route_info)
        self.route_info.sort(key=lambda step: step.get('timestamp', np.inf))

    def get_route_info(self) -> List[Dict]:
        """A copy of the route list."""
        return list(self.route_info)


class VideoEndingMessage(Message):
    """Sent instead of a frame when the input video has no more frames;
    nodes forward it and stop."""


class FrameMessage(Message):
    """One video frame and the objects found in it.

    ``data`` holds ``'image'`` (np.ndarray[H, W, 3], BGR), ``'objects'``
    (``{object id: object dict}``) and ``'model_cfgs'``.

    An object is a dict such as ``{'label': 'person', 'class_id': 0,
    'bbox': np.ndarray[5] (x1, y1, x2, y2, score), 'keypoints':
    np.ndarray[K, 3]}`` plus its id under ``'_id_'``.

    Args:
        img (np.ndarray): The frame.
    """

    def __init__(self, img: np.ndarray):
        super().__init__(data=dict(image=img, objects={}, model_cfgs={}))

    def get_image(self) -> np.ndarray:
        """The frame image (None if unset)."""
        return self.data.get('image')

    def set_image(self, img: np.ndarray) -> None:
        """Replace the frame image."""
        self.data['image'] = img

    def set_objects(self, objects: List[Dict]) -> None:
        """Replace all objects (see :meth:`update_objects`)."""
        self.data['objects'] = {}
        self.update_objects(objects)

    def update_objects(self, objects: List[Dict]) -> None:
        """Add or replace objects by their ``'_id_'``; an object without
        one gets a new unique id (written into the dict)."""
        store = self.data['objects']
        for obj in objects:
            obj_id = obj.setdefault('_id_', uuid.uuid1())
            store[obj_id] = obj

    def get_objects(self, obj_filter: Optional[Filter] = None) -> List[Dict]:
        """Shallow copies of the objects, in insertion order, keeping those
        for which ``obj_filter(obj)`` is true (all if None).

        Example::

            >>> frame.get_objects(lambda obj: obj['label'] == 'person')
        """
        return [dict(obj) for obj in filter(obj_filter,
                                            self.data['objects'].values())]
