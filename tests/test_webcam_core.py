"""The core of the 0.29 webcam API (``mmpose.apis.webcam``): buffers,
events, messages, the image source, the Node base class, the helper nodes
and the executor run headless on a synthetic video.

Every thread a test starts is bounded by a timeout, so a broken shutdown
fails the test instead of hanging the suite.
"""
import threading
import time
from queue import Empty, Full, Queue
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from mmpose.apis.webcam import WebcamExecutor
from mmpose.apis.webcam.nodes import (NODES, BaseVisualizerNode, MonitorNode,
                                      Node, ObjectAssignerNode, RecorderNode)
from mmpose.apis.webcam.utils import (BufferManager, EventManager,
                                      FrameMessage, ImageCapture, Message,
                                      VideoEndingMessage)
from .helpers import read_video_frames

#: seconds any wait in these tests may take before the test fails
TIMEOUT = 20

W, H = 64, 48


def gray(value, h=H, w=W):
    return np.full((h, w, 3), value, np.uint8)


def count_frames(path):
    """(number of frames, shape of the last) of a video file."""
    frames = read_video_frames(path)
    return len(frames), frames[-1].shape if frames else None


@pytest.fixture
def video(tmp_path):
    """A 5-frame 64x48 video whose frames are gray levels 0, 50, ..., 200."""
    path = tmp_path / 'clip.mp4'
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*'mp4v'), 10,
                             (W, H))
    for i in range(5):
        writer.write(gray(50 * i))
    writer.release()
    return str(path)


@pytest.fixture
def image_file(tmp_path):
    img = gray(0)
    img[10:20, 30:40] = (0, 0, 255)
    path = tmp_path / 'still.png'
    cv2.imwrite(str(path), img)
    return str(path), img


@pytest.fixture
def no_leaked_threads():
    """Fail if the test leaves threads running."""
    before = set(threading.enumerate())
    yield
    deadline = time.time() + TIMEOUT
    while set(threading.enumerate()) - before and time.time() < deadline:
        time.sleep(0.01)
    assert set(threading.enumerate()) - before == set()


def wait_until(condition, what):
    deadline = time.time() + TIMEOUT
    while not condition():
        assert time.time() < deadline, f'timed out waiting for {what}'
        time.sleep(0.005)


def attach(node, synchronous=False):
    """Give ``node`` a minimal executor: its own buffers (capacity 0) and
    an event manager with ``'_exit_'``."""
    executor = SimpleNamespace(buffer_manager=BufferManager(),
                               event_manager=EventManager(),
                               synchronous=synchronous)
    executor.event_manager.register_event('_exit_')
    for info in node.registered_buffers:
        if info.buffer_name not in executor.buffer_manager:
            executor.buffer_manager.register_buffer(info.buffer_name)
    for info in node.registered_events:
        executor.event_manager.register_event(info.event_name,
                                              info.is_keyboard)
    node.set_executor(executor)
    return executor


class AddOneNode(Node):
    """Test node: adds 1 to ``data['value']``; disabled, adds 100."""

    def __init__(self, name='add', enable_key=None, multi_input=False):
        super().__init__(name, enable_key=enable_key, max_fps=None,
                         multi_input=multi_input)
        self.register_input_buffer('in', 'x', trigger=True)
        self.register_input_buffer('aux', 'aux', trigger=False)
        self.register_output_buffer(['out', 'out2'])

    def process(self, input_msgs):
        msg = input_msgs['x']
        return Message(data={'value': msg.data['value'] + 1})

    def bypass(self, input_msgs):
        msg = input_msgs['x']
        return Message(data={'value': msg.data['value'] + 100})


class FailingNode(AddOneNode):

    def process(self, input_msgs):
        raise RuntimeError('boom')


class NoBypassNode(Node):

    def process(self, input_msgs):
        return None


class BoxDrawer(BaseVisualizerNode):
    """Test visualizer: paints the top-left 2x2 pixels white."""

    def draw(self, input_msg):
        img = input_msg.get_image()
        img[:2, :2] = 255
        return img


# ----------------------------------------------------------------- buffers


def test_buffer_is_fifo():
    manager = BufferManager()
    manager.register_buffer('b', 3)
    for i in (1, 2, 3):
        manager.put('b', i)
    assert manager.is_full('b')
    assert [manager.get('b') for _ in range(3)] == [1, 2, 3]
    assert manager.is_empty('b')


def test_buffer_put_force_drops_the_oldest_when_full():
    manager = BufferManager()
    manager.register_buffer('b', 2)
    for i in (1, 2, 3, 4):
        manager.put_force('b', i)
    assert manager.get_info() == {'b': {'size': 2, 'maxsize': 2}}
    assert [manager.get('b'), manager.get('b')] == [3, 4]


def test_buffer_put_and_get_do_not_block_when_asked_not_to():
    manager = BufferManager()
    manager.register_buffer('b', 1)
    manager.put('b', 'x')
    with pytest.raises(Full):
        manager.put('b', 'y', block=False)
    assert manager.get('b', block=False) == 'x'
    with pytest.raises(Empty):
        manager.get('b', timeout=0.01)


def test_buffer_of_size_zero_is_unbounded():
    manager = BufferManager()
    manager.register_buffer('b')
    for i in range(100):
        manager.put('b', i, block=False)
    assert not manager.is_full('b')
    assert manager.get_info()['b'] == {'size': 100, 'maxsize': 0}


def test_buffer_names_are_checked():
    manager = BufferManager()
    manager.register_buffer('b')
    with pytest.raises(ValueError, match="'b' is already registered"):
        manager.register_buffer('b')
    with pytest.raises(ValueError, match="'nope' is not registered"):
        manager.put('nope', 1)
    with pytest.raises(ValueError, match='nope'):
        manager.get_sub_manager(['b', 'nope'])
    assert 'b' in manager and 'nope' not in manager


def test_sub_manager_shares_the_buffers():
    manager = BufferManager()
    manager.register_buffer('a')
    manager.register_buffer('b')
    sub = manager.get_sub_manager(['a'])
    sub.put('a', 7)
    assert manager.get('a') == 7
    assert 'b' not in sub


def test_buffer_manager_refuses_foreign_buffers():
    with pytest.raises(ValueError, match='Buffer'):
        BufferManager(buffers={'a': Queue()})


# ------------------------------------------------------------------ events


def test_keyboard_event_by_character_or_code_is_the_same():
    events = EventManager()
    events.register_event('m', is_keyboard=True)
    assert not events.is_set('m', is_keyboard=True)
    events.set(ord('m'), is_keyboard=True)
    assert events.is_set('m', is_keyboard=True)
    assert not events.is_set('m')  # a plain event of that name is another
    events.clear('m', is_keyboard=True)
    assert not events.is_set(109, is_keyboard=True)


def test_event_wait_times_out_and_wait_and_handle_clears():
    events = EventManager()
    events.register_event('_idle_')
    assert events.wait('_idle_', timeout=0.01) is False
    events.set('_idle_')
    with events.wait_and_handle('_idle_'):
        assert events.is_set('_idle_')
    assert not events.is_set('_idle_')


# ---------------------------------------------------------------- messages


def test_frame_message_image_get_set():
    msg = FrameMessage(gray(1))
    assert msg.get_image()[0, 0, 0] == 1
    msg.set_image(gray(2))
    assert msg.get_image()[0, 0, 0] == 2


def test_update_objects_assigns_ids_and_replaces_by_id():
    msg = FrameMessage(gray(0))
    cat, dog = {'label': 'cat'}, {'label': 'dog', '_id_': 5}
    msg.update_objects([cat, dog])
    assert '_id_' in cat and dog['_id_'] == 5
    msg.update_objects([{'label': 'wolf', '_id_': 5}])
    labels = sorted(obj['label'] for obj in msg.get_objects())
    assert labels == ['cat', 'wolf']
    msg.set_objects([{'label': 'bird'}])
    assert [obj['label'] for obj in msg.get_objects()] == ['bird']


def test_get_objects_filters_and_returns_copies():
    msg = FrameMessage(gray(0))
    msg.set_objects([{'label': 'person', 'class_id': 0},
                     {'label': 'dog', 'class_id': 16}])
    people = msg.get_objects(lambda obj: obj['label'] == 'person')
    assert [obj['class_id'] for obj in people] == [0]
    people[0]['class_id'] = 99
    assert sorted(obj['class_id'] for obj in msg.get_objects()) == [0, 16]


def test_route_info_update_and_merge_by_timestamp():
    msg = Message()
    msg.update_route_info(node_name='a', node_type='A',
                          info={'timestamp': 3.0})
    other = [{'node': 'b', 'node_type': 'B', 'info': {},
              'timestamp': 1.0}]
    node = NoBypassNode('c')
    msg.update_route_info(node=node, info={'fps': 2.0})
    assert msg.get_route_info()[-1] == {
        'node': 'c', 'node_type': 'NoBypassNode', 'info': {'fps': 2.0}}
    msg.set_route_info([{'node': 'a', 'timestamp': 3.0}])
    msg.merge_route_info(other)
    assert [step['node'] for step in msg.get_route_info()] == ['b', 'a']


def test_message_defaults():
    msg = VideoEndingMessage()
    assert isinstance(msg, Message)
    assert msg.msg == '' and msg.data == {} and msg.route_info == []
    assert Message().id != Message().id


# ----------------------------------------------------------- image capture


def test_image_capture_repeats_the_image(image_file):
    path, img = image_file
    cap = ImageCapture(path)
    assert cap.isOpened()
    ok1, frame1 = cap.read()
    ok2, frame2 = cap.read()
    assert ok1 and ok2
    np.testing.assert_array_equal(frame1, img)
    frame1[:] = 0  # frames are copies
    np.testing.assert_array_equal(frame2, img)
    assert cap.get(cv2.CAP_PROP_FRAME_WIDTH) == W
    assert cap.get(cv2.CAP_PROP_FRAME_HEIGHT) == H
    cap.release()
    assert not cap.isOpened()
    assert cap.read() == (False, None)


def test_image_capture_takes_an_array_and_names_a_missing_file(tmp_path):
    ok, frame = ImageCapture(gray(9)).read()
    assert ok and frame[0, 0, 0] == 9
    missing = str(tmp_path / 'missing.jpg')
    with pytest.raises(FileNotFoundError, match='missing.jpg'):
        ImageCapture(missing)
    with pytest.raises(TypeError):
        ImageCapture(3)


# -------------------------------------------------------------- Node base


def test_enable_key_needs_bypass():
    with pytest.raises(NotImplementedError, match='bypass'):
        NoBypassNode('n', enable_key='e')
    node = AddOneNode(enable_key='e')
    assert [(e.event_name, e.is_keyboard) for e in node.registered_events
            ] == [('e', True)]


def test_registered_buffers():
    node = AddOneNode()
    assert [(b.buffer_name, b.input_name, b.trigger)
            for b in node.registered_buffers] == [
                ('in', 'x', True), ('aux', 'aux', False), ('out', None, False),
                ('out2', None, False)]


def test_inputs_wait_for_trigger_buffers():
    node = AddOneNode()
    executor = attach(node)
    buffers = executor.buffer_manager
    buffers.put('aux', 'a')
    assert node._get_input_from_buffer() == (False, None)
    assert not buffers.is_empty('aux')  # nothing taken
    buffers.put('in', 'x1')
    buffers.put('in', 'x2')
    assert node._get_input_from_buffer() == (True, {'x': 'x1', 'aux': 'a'})
    # one message per buffer, the oldest; an empty non-trigger gives None
    assert node._get_input_from_buffer() == (True, {'x': 'x2', 'aux': None})


def test_multi_input_takes_all_queued_messages():
    node = AddOneNode(multi_input=True)
    executor = attach(node)
    for item in ('x1', 'x2', 'x3'):
        executor.buffer_manager.put('in', item)
    assert node._get_input_from_buffer() == (True, {
        'x': ['x1', 'x2', 'x3'], 'aux': []})


def test_node_without_executor_is_refused():
    with pytest.raises(ValueError, match='executor'):
        AddOneNode()._get_input_from_buffer()


def stop_node(node, executor):
    executor.event_manager.set('_exit_')
    node.join(TIMEOUT)
    assert not node.is_alive()


def test_node_thread_processes_and_sends_to_every_output(no_leaked_threads):
    node = AddOneNode()
    executor = attach(node)
    buffers = executor.buffer_manager
    node.start()
    buffers.put('in', Message(data={'value': 1}))
    out = buffers.get('out', timeout=TIMEOUT)
    assert out.data['value'] == 2
    assert buffers.get('out2', timeout=TIMEOUT) is out
    step = out.get_route_info()[-1]
    assert step['node'] == 'add' and step['node_type'] == 'AddOneNode'
    assert set(step['info']) == {'fps', 'timestamp'}
    stop_node(node, executor)


def test_enable_key_event_toggles_bypass(no_leaked_threads):
    node = AddOneNode(enable_key='e')
    executor = attach(node)
    buffers = executor.buffer_manager
    node.start()
    executor.event_manager.set('e', is_keyboard=True)
    wait_until(lambda: not node.enabled, 'the node to be disabled')
    buffers.put('in', Message(data={'value': 1}))
    assert buffers.get('out', timeout=TIMEOUT).data['value'] == 101
    executor.event_manager.set(ord('e'), is_keyboard=True)
    wait_until(lambda: node.enabled, 'the node to be enabled again')
    buffers.put('in', Message(data={'value': 1}))
    assert buffers.get('out', timeout=TIMEOUT).data['value'] == 2
    stop_node(node, executor)


def test_video_ending_is_forwarded_and_stops_the_node(no_leaked_threads):
    node = AddOneNode()
    executor = attach(node)
    ending = VideoEndingMessage()
    executor.buffer_manager.put('in', ending)
    node.start()
    node.join(TIMEOUT)
    assert not node.is_alive()
    assert executor.buffer_manager.get('out', block=False) is ending
    assert not executor.event_manager.is_set('_exit_')


def test_error_in_process_is_kept_and_stops_the_app(no_leaked_threads):
    node = FailingNode()
    executor = attach(node)
    executor.buffer_manager.put('in', Message(data={'value': 1}))
    node.start()
    node.join(TIMEOUT)
    assert not node.is_alive()
    assert isinstance(node.error, RuntimeError)
    assert executor.event_manager.is_set('_exit_')


# ------------------------------------------------------ BaseVisualizerNode


def test_visualizer_draws_on_the_frame_and_bypass_keeps_it():
    node = BoxDrawer('box', input_buffer='frame', output_buffer='vis',
                     enable_key='v')
    msg = FrameMessage(gray(0))
    assert node.process({'input': msg}) is msg
    assert msg.get_image()[1, 1, 0] == 255 and msg.get_image()[2, 2, 0] == 0
    untouched = FrameMessage(gray(0))
    assert node.bypass({'input': untouched}) is untouched
    assert untouched.get_image().max() == 0


def test_visualizer_must_define_draw():
    with pytest.raises(TypeError, match='draw'):
        BaseVisualizerNode('v', 'a', 'b')


# ------------------------------------------------------------ helper nodes


def test_helper_nodes_are_registered():
    for name in ('MonitorNode', 'ObjectAssignerNode', 'RecorderNode'):
        assert name in NODES.module_dict
    node = NODES.build(dict(type='MonitorNode', name='m', input_buffer='a',
                            output_buffer='b'))
    assert isinstance(node, MonitorNode) and not node.enabled  # 0.29


def test_monitor_node_writes_the_route_in_a_box():
    node = MonitorNode('monitor', 'a', 'b', enable=True, x_offset=5,
                       y_offset=15, y_delta=10)
    msg = FrameMessage(gray(0, h=100, w=200))
    msg.update_route_info(node_name='det', node_type='DetectorNode',
                          info={'fps': 12.345, 'timestamp': 1.0})
    out = node.process({'input': msg})
    route = out.get_route_info()
    assert route[-1]['node'] == 'System Info'
    img = out.get_image()
    # the box starts at (x_offset, y_offset - y_delta) = (5, 5); the
    # background colour (255, 183, 0) is blended half with black
    np.testing.assert_array_equal(img[5, 5], [128, 92, 0])
    np.testing.assert_array_equal(img[4, 4], [0, 0, 0])
    assert np.all(img[60:, :] == 0)  # 2 lines: the box ends near y=30
    assert node.bypass({'input': msg}) is msg


def test_monitor_node_ignores_items():
    node = MonitorNode('monitor', 'a', 'b', ignore_items=['fps'])
    lines = node._route_lines([{'node': 'd', 'node_type': 'D',
                                'info': {'fps': 1.0, 'lag': 2.25}}])
    assert lines == ['d(D)', '    lag: 2.2']


def test_object_assigner_async_puts_latest_objects_on_frames():
    node = ObjectAssignerNode('assigner', frame_buffer='_frame_',
                              object_buffer='objs', output_buffer='frame')
    attach(node, synchronous=False)
    assert {b.input_name: b.trigger for b in node._input_buffers} == {
        'object': False, 'frame': True}
    result = FrameMessage(gray(0))
    result.set_objects([{'label': 'person', 'bbox': np.array([1, 2, 3, 4])}])
    result.update_route_info(node_name='det', node_type='D', info={})
    frame1, frame2 = FrameMessage(gray(1)), FrameMessage(gray(2))
    assert node.process({'object': result, 'frame': frame1}) is frame1
    # no new result: the latest one is assigned again
    assert node.process({'object': None, 'frame': frame2}) is frame2
    for frame in (frame1, frame2):
        assert [obj['label'] for obj in frame.get_objects()] == ['person']
        assert frame.get_image()[0, 0, 0] in (1, 2)
        assert [s['node'] for s in frame.get_route_info()] == ['det']
    assert set(node._get_node_info()) >= {
        'object_fps', 'object_lag (ms)', 'frame_fps', 'frame_lag (ms)'}


def test_object_assigner_sync_sends_the_object_message():
    node = ObjectAssignerNode('assigner', '_frame_', 'objs', 'frame')
    attach(node, synchronous=True)
    assert {b.input_name: b.trigger for b in node._input_buffers} == {
        'object': True, 'frame': False}
    result = FrameMessage(gray(3))
    assert node.process({'object': result,
                         'frame': FrameMessage(gray(1))}) is result


def test_recorder_node_writes_every_frame(tmp_path, no_leaked_threads):
    out = tmp_path / 'sub' / 'rec.mp4'
    node = RecorderNode('rec', 'a', 'b', out_video_file=str(out),
                        out_video_fps=10, buffer_size=2)
    attach(node)
    for i in range(6):
        msg = FrameMessage(gray(40 * i))
        assert node.process({'input': msg}) is msg
    node.on_exit()
    assert count_frames(out) == (6, (H, W, 3))


def test_recorder_node_that_never_ran_writes_nothing(tmp_path):
    node = RecorderNode('rec', 'a', 'b', str(tmp_path / 'rec.mp4'))
    node.on_exit()
    assert node.t_record is None and not (tmp_path / 'rec.mp4').exists()


# ---------------------------------------------------------------- executor


def recorder(out, input_buffer):
    return dict(type='RecorderNode', name='recorder', out_video_file=out,
                input_buffer=input_buffer, output_buffer='_display_')


def monitor(input_buffer, output_buffer):
    return dict(type='MonitorNode', name='monitor', enable=True,
                enable_key='m', input_buffer=input_buffer,
                output_buffer=output_buffer)


def test_executor_records_every_frame_synchronously(video, tmp_path,
                                                    no_leaked_threads):
    out = str(tmp_path / 'out.mp4')
    executor = WebcamExecutor(
        [monitor('_input_', 'vis'), recorder(out, 'vis')],
        camera_id=video, synchronous=True, display=False)
    executor.run()
    assert count_frames(out) == (5, (H, W, 3))
    assert executor.event_manager.is_set('_exit_')


def test_executor_asynchronous_frame_buffer_keeps_every_frame(
        video, tmp_path, no_leaked_threads):
    # '_frame_' is filled with a blocking put: no frame is dropped
    out = str(tmp_path / 'out.mp4')
    WebcamExecutor([recorder(out, '_frame_')], camera_id=video,
                   display=False).run()
    assert count_frames(out) == (5, (H, W, 3))
    # the same frames in the same order (up to the codec's rounding)
    np.testing.assert_allclose(
        [frame.mean() for frame in read_video_frames(out)],
        [frame.mean() for frame in read_video_frames(video)], atol=3)


def test_executor_with_object_assigner(video, tmp_path, no_leaked_threads):
    out = str(tmp_path / 'out.mp4')
    nodes = [
        monitor('_input_', 'objects'),
        dict(type='ObjectAssignerNode', name='assigner',
             frame_buffer='_frame_', object_buffer='objects',
             output_buffer='frame'),
        recorder(out, 'frame'),
    ]
    executor = WebcamExecutor(nodes, camera_id=video, synchronous=True,
                              buffer_sizes={'frame': 2}, display=False)
    assert executor.buffer_manager.get_info()['frame']['maxsize'] == 2
    assert executor.buffer_manager.get_info()['_display_']['maxsize'] == 0
    executor.run()
    assert count_frames(out) == (5, (H, W, 3))


def test_executor_on_an_image_until_exit_key(image_file, tmp_path,
                                             monkeypatch, no_leaked_threads):
    path, img = image_file
    shown = []
    monkeypatch.setattr(cv2, 'imshow', lambda name, im: shown.append(im))
    # the window reports 'm' (a node's key) on the first frame, then 'q'
    keys = iter([ord('m')])
    monkeypatch.setattr(cv2, 'waitKey', lambda delay: next(keys, ord('q')))
    monkeypatch.setattr(cv2, 'destroyAllWindows', lambda: None)
    out = str(tmp_path / 'out.mp4')
    executor = WebcamExecutor([recorder(out, '_frame_')], name='app',
                              camera_id=path)
    executor.run()
    assert len(shown) == 2
    np.testing.assert_array_equal(shown[0], img)
    assert executor.event_manager.is_set('m', is_keyboard=True)
    assert count_frames(out)[1] == (H, W, 3)


def test_executor_reraises_a_node_error(video, tmp_path, no_leaked_threads):
    # the output path is a folder: the recorder cannot open it
    executor = WebcamExecutor([recorder(str(tmp_path), '_frame_')],
                              camera_id=video, display=False)
    with pytest.raises(OSError, match='cannot open'):
        executor.run()


def test_executor_refuses_bad_setups(tmp_path, video):
    with pytest.raises(ValueError, match='at least one node'):
        WebcamExecutor([])
    with pytest.raises(ValueError, match='_display_'):
        WebcamExecutor([monitor('_input_', 'nowhere')], display=False)
    with pytest.raises(KeyError, match='NoSuchNode'):
        WebcamExecutor([dict(type='NoSuchNode', name='x')])
    missing = str(tmp_path / 'missing.mp4')
    executor = WebcamExecutor([recorder(str(tmp_path / 'o.mp4'), '_frame_')],
                              camera_id=missing, display=False)
    with pytest.raises(FileNotFoundError, match='missing.mp4'):
        executor.run()
