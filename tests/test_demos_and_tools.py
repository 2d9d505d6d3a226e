"""Each demo and tool script runs on tiny inputs (small configs, random
weights saved to a temporary checkpoint) and writes its output."""
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import mmcv
import numpy as np
import pytest
import torch

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DATA = osp.join(REPO, 'tests', 'data', 'demo')
TOP_DOWN_CFG = osp.join(DATA, 'tiny_top_down_coco.py')
BOTTOM_UP_CFG = osp.join(DATA, 'tiny_bottom_up_coco.py')
FACE_CFG = osp.join(DATA, 'tiny_top_down_face.py')
JSON = osp.join(DATA, 'test_coco.json')
IMG_NAME = '000000196141.jpg'


def run(script, *args, check=True, timeout=120, env=None):
    """Run a repository script with the test interpreter; returns the
    completed process (stdout and stderr as text)."""
    full_env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, osp.join(REPO, script)] +
                          [str(a) for a in args],
                          cwd=REPO, capture_output=True, text=True,
                          timeout=timeout, env=full_env)
    if check and proc.returncode != 0:
        raise AssertionError(f'{script} failed ({proc.returncode}):\n'
                             f'{proc.stdout}\n{proc.stderr}')
    return proc


def save_random_checkpoint(config, path):
    from mmpose.apis import init_pose_model
    torch.manual_seed(0)
    model = init_pose_model(config, device='cpu')
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    return str(path)


@pytest.fixture(scope='module')
def work(tmp_path_factory):
    root = tmp_path_factory.mktemp('demos')
    ckpts = {
        'top_down': save_random_checkpoint(TOP_DOWN_CFG, root / 'td.pth'),
        'bottom_up': save_random_checkpoint(BOTTOM_UP_CFG, root / 'bu.pth'),
        'face': save_random_checkpoint(FACE_CFG, root / 'face.pth'),
    }
    # A three-frame video cut from the sample photo.
    img = mmcv.imread(osp.join(DATA, IMG_NAME))
    video = str(root / 'clip.mp4')
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'mp4v'), 10,
                             (160, 112))
    for shift in range(3):
        writer.write(cv2.resize(img[shift * 10:, shift * 10:], (160, 112)))
    writer.release()
    return root, ckpts, video


def count_frames(path):
    cap = cv2.VideoCapture(path)
    n = 0
    while cap.read()[0]:
        n += 1
    cap.release()
    return n


def assert_image(path, shape=None):
    assert osp.isfile(path), path
    img = mmcv.imread(path)
    assert img is not None and img.ndim == 3
    if shape is not None:
        assert img.shape == shape


# -------------------------------------------------------------------- demos
@pytest.mark.slow
def test_top_down_img_demo(work, tmp_path):
    root, ckpts, _ = work
    proc = run('demo/top_down_img_demo.py', TOP_DOWN_CFG, ckpts['top_down'],
               '--img-root', DATA, '--json-file', JSON, '--img', IMG_NAME,
               '--out-img-root', tmp_path, '--device', 'cpu')
    assert '5 people' in proc.stdout  # every annotated box (as in 0.x)
    assert_image(str(tmp_path / 'vis_0.jpg'),
                 mmcv.imread(osp.join(DATA, IMG_NAME)).shape)


@pytest.mark.slow
def test_top_down_img_demo_missing_json(work, tmp_path):
    root, ckpts, _ = work
    proc = run('demo/top_down_img_demo.py', TOP_DOWN_CFG, ckpts['top_down'],
               '--json-file', tmp_path / 'none.json', '--out-img-root',
               tmp_path, check=False)
    assert proc.returncode != 0
    assert 'annotation file not found' in proc.stderr


@pytest.mark.slow
def test_top_down_video_demo_full_frame(work, tmp_path):
    root, ckpts, video = work
    run('demo/top_down_video_demo_full_frame_without_det.py', TOP_DOWN_CFG,
        ckpts['top_down'], '--video-path', video, '--out-video-root',
        tmp_path, '--device', 'cpu')
    assert count_frames(str(tmp_path / 'vis_clip.mp4')) == 3


@pytest.mark.slow
def test_video_demo_missing_video(work, tmp_path):
    root, ckpts, _ = work
    proc = run('demo/top_down_video_demo_full_frame_without_det.py',
               TOP_DOWN_CFG, ckpts['top_down'], '--video-path',
               tmp_path / 'none.mp4', '--out-video-root', tmp_path,
               check=False)
    assert proc.returncode != 0 and 'video file not found' in proc.stderr


@pytest.mark.slow
def test_bottom_up_img_demo(work, tmp_path):
    root, ckpts, _ = work
    proc = run('demo/bottom_up_img_demo.py', BOTTOM_UP_CFG,
               ckpts['bottom_up'], '--img-path', osp.join(DATA, IMG_NAME),
               '--out-img-root', tmp_path, '--device', 'cpu')
    assert 'people' in proc.stdout
    assert_image(str(tmp_path / 'vis_0.jpg'))


@pytest.mark.slow
def test_bottom_up_video_demo(work, tmp_path):
    root, ckpts, video = work
    run('demo/bottom_up_video_demo.py', BOTTOM_UP_CFG, ckpts['bottom_up'],
        '--video-path', video, '--out-video-root', tmp_path, '--device',
        'cpu')
    assert count_frames(str(tmp_path / 'vis_clip.mp4')) == 3


@pytest.mark.slow
def test_face_img_demo(work, tmp_path):
    root, ckpts, _ = work
    run('demo/face_img_demo.py', FACE_CFG, ckpts['face'], '--img-root', DATA,
        '--img', IMG_NAME, '--bbox', 300, 80, 60, 70, '--out-img-root',
        tmp_path, '--device', 'cpu')
    assert_image(str(tmp_path / f'vis_{IMG_NAME}'))


@pytest.mark.slow
def test_process_mmdet_results():
    sys.path.insert(0, osp.join(REPO, 'demo'))
    from demo_utils import process_mmdet_results
    person = np.array([[1, 2, 30, 40, 0.9], [5, 5, 9, 9, 0.2]], np.float32)
    other = np.zeros((1, 5), np.float32)
    results = process_mmdet_results(([person, other], None), cat_id=1)
    assert len(results) == 2
    np.testing.assert_allclose(results[0]['bbox'], person[0])
    with pytest.raises(ValueError, match='det-cat-id 3'):
        process_mmdet_results([person, other], cat_id=3)


# -------------------------------------------------------------------- tools
@pytest.mark.slow
def test_print_config_with_cfg_options():
    proc = run('tools/analysis/print_config.py', TOP_DOWN_CFG,
               '--cfg-options', 'model.backbone.depth=34',
               'data.samples_per_gpu=3')
    assert "type='TopDown'" in proc.stdout
    assert 'depth=34' in proc.stdout
    assert 'samples_per_gpu=3' in proc.stdout


@pytest.mark.slow
def test_get_flops():
    proc = run('tools/analysis/get_flops.py', TOP_DOWN_CFG, '--shape', 128,
               96)
    assert 'Input shape: (3, 128, 96)' in proc.stdout
    assert 'Flops:' in proc.stdout and 'Params:' in proc.stdout


def write_log(path):
    lines = [{'env_info': 'x', 'seed': 0}]
    for epoch in (1, 2):
        for it, loss in ((10, 0.9 / epoch), (20, 0.8 / epoch)):
            lines.append(dict(mode='train', epoch=epoch, iter=it, lr=1e-3,
                              time=0.5 + 0.1 * epoch, loss=loss,
                              acc_pose=0.3 * epoch))
        lines.append(dict(mode='val', epoch=epoch, iter=20, AP=0.4 * epoch))
    with open(path, 'w') as f:
        f.write('\n'.join(json.dumps(line) for line in lines) + '\n')


@pytest.mark.slow
def test_analyze_logs_plot_curve(tmp_path):
    log = tmp_path / 'run.log.json'
    write_log(log)
    out = tmp_path / 'curves.png'
    run('tools/analysis/analyze_logs.py', 'plot_curve', log, '--keys',
        'loss', 'acc_pose', '--out', out)
    assert_image(str(out))
    out_ap = tmp_path / 'ap.png'
    run('tools/analysis/analyze_logs.py', 'plot_curve', log, '--keys', 'AP',
        '--out', out_ap)
    assert_image(str(out_ap))


@pytest.mark.slow
def test_analyze_logs_train_time(tmp_path):
    log = tmp_path / 'run.log.json'
    write_log(log)
    proc = run('tools/analysis/analyze_logs.py', 'cal_train_time', log,
               '--include-outliers')
    # epoch 1: 0.6 s/iter, epoch 2: 0.7 s/iter
    assert 'slowest epoch 2, average time is 0.7000' in proc.stdout
    assert 'average iter time: 0.6500 s/iter' in proc.stdout


@pytest.mark.slow
def test_publish_model(work, tmp_path):
    root, ckpts, _ = work
    ckpt = torch.load(ckpts['top_down'], weights_only=True)
    ckpt['optimizer'] = {'state': {}, 'param_groups': []}
    src = str(tmp_path / 'latest.pth')
    torch.save(ckpt, src)
    proc = run('tools/publish_model.py', src, tmp_path / 'tiny_coco.pth')
    published = [f for f in os.listdir(tmp_path)
                 if f.startswith('tiny_coco-')]
    assert len(published) == 1 and published[0].endswith('.pth')
    assert len(published[0]) == len('tiny_coco-12345678.pth')
    assert published[0] in proc.stdout
    out = torch.load(str(tmp_path / published[0]), weights_only=True)
    assert 'optimizer' not in out and 'state_dict' in out


@pytest.mark.slow
def test_pytorch2onnx_verifies(work, tmp_path):
    pytest.importorskip('onnx')
    pytest.importorskip('onnxruntime')
    root, ckpts, _ = work
    out = tmp_path / 'tiny.onnx'
    proc = run('tools/pytorch2onnx.py', TOP_DOWN_CFG, ckpts['top_down'],
               '--shape', 1, 3, 128, 96, '--output-file', out, '--verify')
    assert osp.isfile(out)
    assert 'same between PyTorch and ONNX' in proc.stdout


@pytest.mark.slow
def test_pytorch2onnx_without_onnx_says_so(work, tmp_path):
    root, ckpts, _ = work
    # Hide onnx from the child interpreter.
    blocker = tmp_path / 'block'
    blocker.mkdir()
    (blocker / 'onnx.py').write_text("raise ImportError('no onnx')\n")
    proc = run('tools/pytorch2onnx.py', TOP_DOWN_CFG, ckpts['top_down'],
               '--shape', 1, 3, 128, 96, '--output-file',
               tmp_path / 'x.onnx', check=False,
               env={'PYTHONPATH': str(blocker)})
    assert proc.returncode != 0
    assert "optional package 'onnx' is not installed" in proc.stderr


@pytest.mark.slow
def test_benchmark_inference_runs():
    proc = run('tools/benchmark_inference.py', '--config', TOP_DOWN_CFG,
               '--num-boxes', 3, '--repeat', 1)
    assert 'batched inference_top_down_pose_model:' in proc.stdout
    assert 'speed-up:' in proc.stdout


@pytest.mark.slow
def test_train_demo_model_writes_loadable_checkpoint(tmp_path):
    out = tmp_path / 'demo.pth'
    proc = run('tools/train_demo_model.py', '--config', TOP_DOWN_CFG,
               '--iters', 2, '--batch-size', 2, '--threads', 1, '--out',
               out)
    assert 'iter 2/2' in proc.stdout
    from mmpose.apis import init_pose_model
    model = init_pose_model(TOP_DOWN_CFG, str(out), device='cpu')
    assert not model.training


@pytest.mark.slow
def test_run_main_job_script(tmp_path):
    """The headline command trains (here: 2 iterations) when the checkpoint
    is missing, then draws the sample photos."""
    env = dict(os.environ, CKPT=str(tmp_path / 'demo.pth'),
               OUT=str(tmp_path / 'vis'), TRAIN_ITERS='2',
               OMP_NUM_THREADS='1', PYTHON=sys.executable)
    proc = subprocess.run(['bash', osp.join(REPO, 'demo/run_main_job.sh')],
                          cwd=REPO, capture_output=True, text=True,
                          timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'tiny model fitted to' in proc.stdout
    for i in range(4):
        assert_image(str(tmp_path / 'vis' / f'vis_{i}.jpg'))
