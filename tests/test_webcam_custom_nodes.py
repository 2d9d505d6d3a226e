"""User-written nodes in the style of MMPose 0.29's webcam API tutorials:
subclasses of ``Node``/``BaseVisualizerNode`` registered in ``NODES`` that
use only the 0.29 public methods of nodes, messages and managers, run by the
executor headless on a short synthetic video."""
import threading
import time
import warnings
from queue import Queue

import cv2
import numpy as np
import pytest

from mmpose.apis.webcam import WebcamExecutor
from mmpose.apis.webcam.nodes import NODES, BaseVisualizerNode, Node
from mmpose.apis.webcam.utils import BufferManager, FrameMessage, Message
from .helpers import read_video_frames

TIMEOUT = 20
W, H = 64, 48
#: the box the custom detector reports on every frame (x1, y1, x2, y2, score)
BOX = (8, 4, 24, 20, 0.9)


@pytest.fixture
def video(tmp_path):
    """5 frames of 64x48 gray levels 0, 50, ..., 200 (the codec shifts
    them by a few levels)."""
    path = str(tmp_path / 'clip.mp4')
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), 10,
                             (W, H))
    for i in range(5):
        writer.write(np.full((H, W, 3), 50 * i, np.uint8))
    writer.release()
    return path


@pytest.fixture
def no_leaked_threads():
    before = set(threading.enumerate())
    yield
    deadline = time.time() + TIMEOUT
    while set(threading.enumerate()) - before and time.time() < deadline:
        time.sleep(0.01)
    assert set(threading.enumerate()) - before == set()


# ------------------------------------------- custom nodes, written as 0.29


class BrightnessDetectorNode(Node):
    """Reports one 'blob' object per frame carrying the frame's mean."""

    def __init__(self, name, input_buffer, output_buffer, enable_key=None,
                 enable=True):
        super().__init__(name=name, enable_key=enable_key, enable=enable)
        self.register_input_buffer(input_buffer, 'input', trigger=True)
        self.register_output_buffer(output_buffer)
        self.exits = 0

    def process(self, input_msgs):
        msg = input_msgs['input']
        msg.update_objects([
            dict(label='blob', bbox=np.array(BOX, np.float32),
                 mean=float(msg.get_image().mean()))
        ])
        return msg

    def bypass(self, input_msgs):
        return input_msgs['input']

    def on_exit(self):
        self.exits += 1


class PairingNode(Node):
    """Puts the objects of the detection message on the display frame and
    joins the two routes (both inputs are triggers)."""

    def __init__(self, name, frame_buffer, object_buffer, output_buffer):
        super().__init__(name=name)
        self.register_input_buffer(frame_buffer, 'frame', trigger=True)
        self.register_input_buffer(object_buffer, 'object', trigger=True)
        self.register_output_buffer(output_buffer)

    def process(self, input_msgs):
        frame, det = input_msgs['frame'], input_msgs['object']
        frame.set_objects(det.get_objects(lambda obj: obj['label'] == 'blob'))
        frame.merge_route_info(det.get_route_info())
        return frame


class BoxPainterNode(BaseVisualizerNode):
    """Paints each object's box white."""

    def draw(self, input_msg):
        img = input_msg.get_image()
        for obj in input_msg.get_objects():
            x1, y1, x2, y2 = obj['bbox'][:4].astype(int)
            img[y1:y2, x1:x2] = 255
        return img


class CollectorNode(Node):
    """Keeps what reaches the display, and says so through an event that
    its own handler counts."""

    def __init__(self, name, input_buffer, output_buffer):
        super().__init__(name=name, max_fps=100)
        self.register_input_buffer(input_buffer, 'input', trigger=True)
        self.register_output_buffer(output_buffer)
        self.register_event('collected', handler_func=self._on_collected)
        self.received = []
        self.images = []
        self.handled = 0

    def _on_collected(self):
        self.handled += 1

    def process(self, input_msgs):
        msg = input_msgs['input']
        self.received.append(msg)
        self.images.append(msg.get_image().copy())
        self._event_manager.set('collected')
        return msg

    def _get_node_info(self):
        info = super()._get_node_info()
        info['collected'] = len(self.received)
        return info


CUSTOM_NODES = (BrightnessDetectorNode, PairingNode, BoxPainterNode,
                CollectorNode)


@pytest.fixture(autouse=True)
def registered():
    """Register the custom nodes as a user module would
    (``@NODES.register_module()``), and unregister them afterwards so that
    the registry keeps exactly the 0.29 members for the other tests."""
    for cls in CUSTOM_NODES:
        NODES.register_module()(cls)
    yield
    for cls in CUSTOM_NODES:
        NODES._module_dict.pop(cls.__name__)


def pipeline(out=None, painter_enabled=True):
    nodes = [
        dict(type='BrightnessDetectorNode', name='detector',
             enable_key='d', input_buffer='_input_', output_buffer='dets'),
        dict(type='PairingNode', name='pairing', frame_buffer='_frame_',
             object_buffer='dets', output_buffer='frame'),
        dict(type='BoxPainterNode', name='painter', enable_key='v',
             enable=painter_enabled, input_buffer='frame',
             output_buffer='vis'),
        dict(type='CollectorNode', name='collector', input_buffer='vis',
             output_buffer='rec' if out else '_display_'),
    ]
    if out:
        nodes.append(dict(type='RecorderNode', name='recorder',
                          out_video_file=out, input_buffer='rec',
                          output_buffer='_display_'))
    return nodes


def node_named(executor, name):
    return next(node for node in executor.node_list if node.name == name)


# ------------------------------------------------------------------ tests


def test_custom_pipeline_runs_every_frame_headless(video, tmp_path,
                                                   no_leaked_threads):
    out = str(tmp_path / 'out.mp4')
    executor = WebcamExecutor(pipeline(out), camera_id=video,
                              synchronous=True, display=False)
    executor.run()
    collector = node_named(executor, 'collector')
    detector = node_named(executor, 'detector')

    assert len(collector.received) == 5
    for i, (msg, img) in enumerate(zip(collector.received,
                                       collector.images)):
        # the detection of frame i was paired with frame i
        (obj, ) = msg.get_objects()
        assert obj['label'] == 'blob' and '_id_' in obj
        assert abs(obj['mean'] - 50 * i) <= 8
        assert abs(float(img[30:, 30:].mean()) - 50 * i) <= 8
        assert (img[4:20, 8:24] == 255).all()
        route = msg.get_route_info()
        # the same message goes on to the recorder, which stamps it too
        assert [step['node'] for step in route] == [
            'Camera Info', 'detector', 'pairing', 'painter', 'collector',
            'recorder']
        assert [step['node_type'] for step in route[1:]] == [
            'BrightnessDetectorNode', 'PairingNode', 'BoxPainterNode',
            'CollectorNode', 'RecorderNode']
        assert route[-2]['info']['collected'] == i + 1
        assert set(route[1]['info']) == {'fps', 'timestamp'}
    assert detector.exits == 1
    assert collector.handled >= 1

    frames = read_video_frames(out)
    assert len(frames) == 5 and frames[0].shape == (H, W, 3)
    assert frames[2][6:18, 10:22].min() >= 240


def test_custom_visualizer_disabled_passes_frames_untouched(
        video, no_leaked_threads):
    executor = WebcamExecutor(pipeline(painter_enabled=False),
                              camera_id=video, synchronous=True,
                              display=False)
    executor.run()
    collector = node_named(executor, 'collector')
    assert len(collector.received) == 5
    for i, img in enumerate(collector.images):
        assert abs(float(img.mean()) - 50 * i) <= 8
        # bypass() output is not stamped by the disabled node
        names = [step['node'] for step in
                 collector.received[i].get_route_info()]
        assert names == ['Camera Info', 'detector', 'pairing', 'collector']


def test_custom_node_enable_key_from_the_keyboard(no_leaked_threads):
    executor = WebcamExecutor(pipeline(), display=False)
    painter = node_named(executor, 'painter')
    assert [(e.event_name, e.is_keyboard) for e in painter.registered_events
            ] == [('v', True)]
    painter.start()
    try:
        executor._on_keyboard_input(ord('v'))
        deadline = time.time() + TIMEOUT
        while painter._enabled and time.time() < deadline:
            time.sleep(0.005)
        assert not painter._enabled
        frame = FrameMessage(np.zeros((H, W, 3), np.uint8))
        frame.update_objects([dict(label='blob', bbox=np.array(BOX))])
        executor.buffer_manager.put('frame', frame)
        assert executor.buffer_manager.get('vis', timeout=TIMEOUT) is frame
        assert frame.get_image().max() == 0
    finally:
        executor.event_manager.set('_exit_')
        painter.join(TIMEOUT)
    assert not painter.is_alive()


def test_custom_node_with_enable_key_but_no_bypass_is_refused():

    class NoBypass(Node):

        def process(self, input_msgs):
            return None

    with pytest.raises(NotImplementedError):
        NoBypass('x', enable_key='x')
    # no key (None, or an empty one as 0.29 read it): no bypass needed
    for key in (None, ''):
        assert NoBypass('x', enable_key=key).registered_events == []


def test_custom_node_reads_its_buffers_without_an_executor_thread():
    node = NODES.build(
        dict(type='PairingNode', name='p', frame_buffer='f',
             object_buffer='o', output_buffer=['a', 'b']))
    assert [(b.buffer_name, b.input_name, b.trigger)
            for b in node.registered_buffers] == [('f', 'frame', True),
                                                  ('o', 'object', True),
                                                  ('a', None, False),
                                                  ('b', None, False)]
    manager = BufferManager()
    for name in 'foab':
        manager.register_buffer(name, 1)
    executor = type('Executor', (), {})()
    executor.buffer_manager, executor.event_manager = manager, None
    node.set_executor(executor)

    manager.put('f', FrameMessage(np.zeros((2, 2, 3), np.uint8)))
    assert node._get_input_from_buffer() == (False, None)
    det = FrameMessage(None)
    det.update_objects([dict(label='blob'), dict(label='other')])
    manager.put('o', det)
    ready, msgs = node._get_input_from_buffer()
    assert ready and set(msgs) == {'frame', 'object'}
    out = node.process(msgs)
    node._send_output_to_buffers(out)
    assert manager.get('a', block=False) is out
    assert manager.get('b', block=False) is out
    assert [obj['label'] for obj in out.get_objects()] == ['blob']


def test_message_api_as_0_29_code_uses_it():
    msg = Message(msg='hello', data=dict(x=1))
    assert (msg.msg, msg.data) == ('hello', {'x': 1})
    node = NODES.build(dict(type='PairingNode', name='p', frame_buffer='f',
                            object_buffer='o', output_buffer='a'))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        msg.update_route_info(node=node, node_name='ignored')
    assert len(caught) == 1
    msg.update_route_info(node_name='cam', node_type='none', info={'k': 1})
    assert msg.get_route_info() == [
        dict(node='p', node_type='PairingNode', info=None),
        dict(node='cam', node_type='none', info={'k': 1})
    ]
    copy = msg.get_route_info()
    copy.clear()
    assert len(msg.get_route_info()) == 2
    # merging extends the route list that set_route_info() handed over
    route = [dict(node='b', timestamp=2.0)]
    msg.set_route_info(route)
    msg.merge_route_info([dict(node='c'), dict(node='a', timestamp=1.0)])
    assert msg.route_info is route
    assert [step['node'] for step in route] == ['a', 'b', 'c']

    frame = FrameMessage(None)
    assert frame.get_image() is None
    objs = [dict(label='cat'), dict(label='dog', _id_=7)]
    frame.update_objects(objs)
    assert objs[1]['_id_'] == 7 and '_id_' in objs[0]
    frame.update_objects([dict(label='wolf', _id_=7)])
    assert [o['label'] for o in frame.get_objects()] == ['cat', 'wolf']
    frame.get_objects()[0]['label'] = 'changed'  # a copy
    assert frame.get_objects(lambda o: o['label'] == 'cat')
    frame.set_objects([dict(label='bird')])
    assert [o['label'] for o in frame.get_objects()] == ['bird']


def test_buffer_manager_errors_are_0_29_value_errors():
    # 0.29 raised ValueError for each of these; code catching it still works
    with pytest.raises(ValueError):
        BufferManager(buffers={'q': Queue()})
    manager = BufferManager()
    manager.register_buffer('a', 2)
    with pytest.raises(ValueError):
        manager.register_buffer('a')
    for call in (manager.put, manager.put_force):
        with pytest.raises(ValueError):
            call('nope', 1)
    for call in (manager.get, manager.is_empty, manager.is_full):
        with pytest.raises(ValueError):
            call('nope')
    with pytest.raises(KeyError):
        manager.get_sub_manager(['nope'])
