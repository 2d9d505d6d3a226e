"""Tools as MMPose 0.29 has them: the options 0.29 added to tools/train.py
and tools/test.py (next to all of 0.14's), and the 0.29 tool paths
(tools/deployment, tools/misc, tools/dataset)."""
import importlib.util
import json
import os
import os.path as osp
import pickle
import re
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DATA = osp.join(REPO, 'tests', 'data')
TINY = osp.join(DATA, 'tiny_configs')
TOP_DOWN_CFG = osp.join(TINY, 'tiny_topdown_coco.py')


def load_tool(relative: str):
    """The module of ``tools/<relative>`` (imported afresh)."""
    name = 'tool_' + re.sub(r'\W', '_', relative)
    spec = importlib.util.spec_from_file_location(
        name, osp.join(REPO, 'tools', relative))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*args, timeout=300):
    """Run a command from the repository root; (returncode, output)."""
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=os.pathsep.join(
        [REPO, TINY, os.environ.get('PYTHONPATH', '')]))
    proc = subprocess.run([str(a) for a in args], cwd=REPO, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout)
    return proc.returncode, proc.stdout


@pytest.fixture(autouse=True)
def local_rank_env(monkeypatch):
    # the tools export LOCAL_RANK when it is unset; keep this process clean
    monkeypatch.setenv('LOCAL_RANK', '0')


# ---------------------------------------------------------- tools/train.py
def test_train_takes_014_and_029_options():
    train = load_tool('train.py')
    args = train.parse_args([
        'cfg.py', '--work-dir', 'w', '--resume-from', 'r.pth',
        '--no-validate', '--gpus', '2', '--seed', '3', '--deterministic',
        '--cfg-options', 'total_epochs=1', '--launcher', 'pytorch',
        '--local_rank', '1', '--autoscale-lr', '--diff_seed'
    ])
    assert (args.work_dir, args.resume_from, args.gpus, args.seed) == (
        'w', 'r.pth', 2, 3)
    assert args.no_validate and args.deterministic and args.autoscale_lr
    assert args.cfg_options == {'total_epochs': 1}
    assert (args.launcher, args.local_rank) == ('pytorch', 1)
    assert args.diff_seed
    assert train.parse_args(['c.py', '--local-rank', '2']).local_rank == 2
    assert train.parse_args(['c.py', '--diff-seed']).diff_seed
    assert not train.parse_args(['c.py']).diff_seed


@pytest.mark.parametrize('argv, gpu_ids', [
    ([], [0]),
    (['--gpu-id', '1'], [1]),
    (['--gpus', '2'], [0, 1]),
    (['--gpu-ids', '0', '3'], [0, 3]),
])
def test_train_gpu_options(argv, gpu_ids):
    train = load_tool('train.py')
    assert list(train.gpu_ids_of(train.parse_args(['c.py'] + argv))) == \
        gpu_ids


def test_train_gpu_options_exclude_each_other(capsys):
    with pytest.raises(SystemExit):
        load_tool('train.py').parse_args(['c.py', '--gpu-id', '1',
                                          '--gpus', '2'])
    assert 'not allowed with argument' in capsys.readouterr().err


def test_train_seed_per_rank():
    train = load_tool('train.py')
    seed_of = train.seed_of
    assert seed_of(train.parse_args(['c.py', '--seed', '5']), rank=2) == 5
    assert seed_of(train.parse_args(['c.py']), rank=2) is None  # as 0.14
    diff = train.parse_args(['c.py', '--seed', '5', '--diff_seed'])
    assert [seed_of(diff, rank=r) for r in range(3)] == [5, 6, 7]
    drawn = seed_of(train.parse_args(['c.py', '--diff_seed']), rank=0)
    assert isinstance(drawn, int) and 0 <= drawn < 2**31


# ----------------------------------------------------------- tools/test.py
def test_test_takes_014_and_029_options():
    test = load_tool('test.py')
    args = test.parse_args([
        'cfg.py', 'ckpt.pth', '--out', 'r.pkl', '--fuse-conv-bn', '--eval',
        'mAP', '--gpu_collect', '--tmpdir', 't', '--cfg-options',
        'data.test.test_mode=True', '--launcher', 'slurm', '--local_rank',
        '1'
    ])
    assert (args.config, args.checkpoint, args.out, args.eval) == (
        'cfg.py', 'ckpt.pth', 'r.pkl', ['mAP'])
    assert args.fuse_conv_bn and args.gpu_collect
    assert (args.tmpdir, args.launcher, args.local_rank) == ('t', 'slurm', 1)
    assert args.gpu_id == 0 and args.work_dir is None
    args = test.parse_args(['c.py', 'k.pth', '--work-dir', 'w', '--gpu-id',
                            '2', '--gpu-collect', '--local-rank', '3'])
    assert (args.work_dir, args.gpu_id, args.local_rank) == ('w', 2, 3)
    assert args.gpu_collect


@pytest.mark.slow
def test_train_and_test_with_029_options(tmp_path):
    sys.path.insert(0, TINY)
    from synthetic_coco import write_tiny_coco
    data_root = tmp_path / 'data'
    write_tiny_coco(str(data_root))
    paths = (f"dict(ann_file='{data_root}/annotations.json', "
             f"img_prefix='{data_root}/images/')")
    config = tmp_path / 'tiny.py'
    config.write_text(f"_base_ = ['{TOP_DOWN_CFG}']\ntotal_epochs = 1\n"
                      f'data = dict(train={paths}, val={paths}, '
                      f'test={paths})\n')
    work_dir = tmp_path / 'work'
    rc, out = run(sys.executable, 'tools/train.py', config, '--work-dir',
                  work_dir, '--gpu-id', '0', '--seed', '7', '--diff_seed',
                  '--local-rank', '0', '--no-validate')
    assert rc == 0, out
    (log, ) = [f for f in os.listdir(work_dir) if f.endswith('.log.json')]
    with open(work_dir / log) as f:
        assert json.loads(f.readline())['seed'] == 7  # rank 0: seed + 0

    eval_dir = tmp_path / 'eval'
    rc, out = run(sys.executable, 'tools/test.py', config,
                  work_dir / 'latest.pth', '--work-dir', eval_dir,
                  '--gpu-id', '0', '--gpu-collect', '--local-rank', '0',
                  '--eval', 'mAP')
    assert rc == 0, out
    assert re.search(r'^AP: [0-9.]+$', out, re.M), out
    with open(eval_dir / 'result_keypoints.json') as f:
        assert len(json.load(f)) == 4  # the 4 people of the data set


# ------------------------------------------------------ 0.29 tool paths
def save_random_pose_checkpoint(path) -> str:
    from mmcv.runner import save_checkpoint

    from mmpose.apis import init_pose_model
    torch.manual_seed(0)
    save_checkpoint(init_pose_model(TOP_DOWN_CFG, device='cpu'), str(path))
    return str(path)


@pytest.mark.slow
def test_misc_publish_model(tmp_path):
    ckpt = torch.load(save_random_pose_checkpoint(tmp_path / 'latest.pth'),
                      weights_only=True)
    ckpt['optimizer'] = {'state': {}, 'param_groups': []}
    torch.save(ckpt, tmp_path / 'latest.pth')
    rc, out = run(sys.executable, 'tools/misc/publish_model.py',
                  tmp_path / 'latest.pth', tmp_path / 'tiny.pth')
    assert rc == 0, out
    (published, ) = [f for f in os.listdir(tmp_path)
                     if re.fullmatch(r'tiny-[0-9a-f]{8}\.pth', f)]
    assert 'optimizer' not in torch.load(tmp_path / published,
                                         weights_only=True)


@pytest.mark.slow
def test_deployment_pytorch2onnx(tmp_path):
    pytest.importorskip('onnx')
    pytest.importorskip('onnxruntime')
    ckpt = save_random_pose_checkpoint(tmp_path / 'tiny.pth')
    rc, out = run(sys.executable, 'tools/deployment/pytorch2onnx.py',
                  TOP_DOWN_CFG, ckpt, '--shape', 1, 3, 64, 48,
                  '--output-file', tmp_path / 'tiny.onnx', '--verify')
    assert rc == 0, out
    assert osp.isfile(tmp_path / 'tiny.onnx')
    assert 'same between PyTorch and ONNX' in out


def test_deployment_pytorch2onnx_has_the_014_options():
    rc, out = run(sys.executable, 'tools/deployment/pytorch2onnx.py', '-h')
    assert rc == 0, out
    for option in ('--output-file', '--opset-version', '--verify',
                   '--shape', '--show'):
        assert option in out


@pytest.mark.slow
def test_misc_keypoints2coco_without_mmdet(tmp_path):
    tool = load_tool('misc/keypoints2coco_without_mmdet.py')
    ckpt = save_random_pose_checkpoint(tmp_path / 'tiny.pth')
    boxes = osp.join(DATA, 'coco', 'test_coco.json')
    with open(boxes) as f:
        source = json.load(f)

    def pseudo_label(kpt_thr):
        out = tmp_path / f'labels_{kpt_thr}.json'
        tool.main([TOP_DOWN_CFG, ckpt, '--img-root',
                   osp.join(DATA, 'coco'), '--json-file', boxes,
                   '--out-json-file', str(out), '--device', 'cpu',
                   '--kpt-thr', str(kpt_thr)])
        with open(out) as f:
            return json.load(f)

    every = pseudo_label(0.0)
    assert [img['id'] for img in every['images']] == sorted(
        img['id'] for img in source['images'])
    assert len(every['annotations']) == len(source['annotations'])
    by_image = sorted(source['annotations'],
                      key=lambda a: (a['image_id'], a['id']))
    for ann, src in zip(every['annotations'], by_image):
        assert ann['image_id'] == src['image_id']
        np.testing.assert_allclose(ann['bbox'], src['bbox'], atol=1e-3)
        assert ann['num_keypoints'] == 17
        assert ann['keypoints'][2::3] == [2] * 17
    assert [a['id'] for a in every['annotations']] == list(
        range(1, len(source['annotations']) + 1))
    img = every['images'][0]
    height, width = cv2.imread(osp.join(DATA, 'coco',
                                        img['file_name'])).shape[:2]
    assert (img['height'], img['width']) == (height, width)

    none = pseudo_label(1.5)  # scores are at most 1
    assert all(a['num_keypoints'] == 0 and not any(a['keypoints'])
               for a in none['annotations'])


def test_dataset_h36m_to_coco(tmp_path):
    tool = load_tool('dataset/h36m_to_coco.py')
    h36m = osp.join(DATA, 'h36m')
    out = tmp_path / 'h36m_coco.json'
    tool.main(['--ann-file', osp.join(h36m, 'test_h36m_body3d.npz'),
               '--camera-param-file', osp.join(h36m, 'cameras.pkl'),
               '--img-root', h36m, '--out-file', str(out)])
    with open(out) as f:
        coco = json.load(f)
    ann = np.load(osp.join(h36m, 'test_h36m_body3d.npz'))
    with open(osp.join(h36m, 'cameras.pkl'), 'rb') as f:
        cameras = pickle.load(f)

    (category, ) = coco['categories']
    assert category['keypoints'][:2] == ['root', 'right_hip']
    assert len(category['keypoints']) == 17
    assert [0, 1] in category['skeleton']
    assert len(coco['images']) == len(coco['annotations']) == 4

    first_img, first = coco['images'][0], coco['annotations'][0]
    assert first_img['file_name'] == 'S1_Directions_1.54138969_000001.jpg'
    height, width = cv2.imread(osp.join(
        h36m, first_img['file_name'])).shape[:2]
    assert (first_img['height'], first_img['width']) == (height, width)
    # the box: 200 px per unit of scale, around the center
    side = 200 * ann['scale'][0]
    np.testing.assert_allclose(
        first['bbox'], [*(ann['center'][0] - side / 2), side, side])
    np.testing.assert_allclose(first['area'], side * side)
    np.testing.assert_allclose(first['keypoints'],
                               ann['part'][0].reshape(-1))
    # camera -> world of 0.x cameras: x_world = R @ x_cam + T
    cam = cameras[('S1', '54138969')]
    world = np.asarray(first['keypoints_3d']).reshape(17, 4)
    np.testing.assert_allclose(
        world[:, :3], ann['S'][0, :, :3] @ np.asarray(cam['R']).T +
        np.asarray(cam['T']).reshape(1, 3), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(world[:, 3], ann['S'][0, :, 3])


def test_dataset_h36m_to_coco_skips_missing_images(tmp_path):
    tool = load_tool('dataset/h36m_to_coco.py')
    h36m = osp.join(DATA, 'h36m')
    out = tmp_path / 'h36m_coco.json'
    tool.main(['--ann-file', osp.join(h36m, 'test_h36m_body3d.npz'),
               '--camera-param-file', osp.join(h36m, 'cameras.pkl'),
               '--img-root', str(tmp_path), '--out-file', str(out)])
    with open(out) as f:
        coco = json.load(f)
    assert coco['images'] == [] and coco['annotations'] == []


def test_dataset_mat2json(tmp_path):
    from scipy.io import savemat
    tool = load_tool('dataset/mat2json.py')
    gt_file = osp.join(DATA, 'mpii', 'test_mpii.json')
    with open(gt_file) as f:
        gt = json.load(f)
    preds = np.arange(len(gt) * 16 * 2, dtype=np.float64).reshape(-1, 16, 2)
    savemat(tmp_path / 'pred.mat', mdict={'preds': preds})
    out = tmp_path / 'pred.json'
    tool.main([str(tmp_path / 'pred.mat'), gt_file, str(out)])
    with open(out) as f:
        converted = json.load(f)
    assert converted['info']['description'] == 'Converted MPII prediction.'
    assert len(converted['annotations']) == len(gt)
    for ann, src, pred in zip(converted['annotations'], gt, preds):
        assert 'joints_vis' not in ann
        assert ann['joints'] == pred.tolist()
        assert (ann['image'], ann['center'], ann['scale']) == (
            src['image'], src['center'], src['scale'])

    savemat(tmp_path / 'short.mat', mdict={'preds': preds[:2]})
    with pytest.raises(AssertionError, match='has 2 predictions'):
        tool.main([str(tmp_path / 'short.mat'), gt_file, str(out)])


def test_dataset_parse_macaquepose(tmp_path):
    import csv
    import shutil
    tool = load_tool('dataset/parse_macaquepose_dataset.py')
    (tmp_path / 'images').mkdir()
    names = ['PRI_1473.jpg', 'd47f1b1ee9d3217e.jpg']
    for name in names:
        shutil.copy(osp.join(DATA, 'macaque', name), tmp_path / 'images')
    nose_only = [{'name': 'nose', 'position': [12.5, 30.0]}] + [
        {'name': f'k{i}', 'position': None} for i in range(16)]
    every = [{'name': f'k{i}', 'position': [i, 2 * i]} for i in range(17)]
    square = [{'segment': [[10, 20], [50, 20], [50, 80], [10, 80]]}]
    triangle = [{'segment': [[0, 0], [4, 0], [0, 3]]}]
    with open(tmp_path / 'annotations.csv', 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(['image file name', 'key points', 'segmentation'])
        writer.writerow([names[0], json.dumps([nose_only, every]),
                         json.dumps([square, triangle])])
        writer.writerow([names[1], json.dumps([every]),
                         json.dumps([square])])
    tool.main(['--root-dir', str(tmp_path), '--num-train', '1'])

    def load(split):
        with open(tmp_path / 'annotations' / f'macaque_{split}.json') as f:
            return json.load(f)

    train, test = load('train'), load('test')
    assert [img['id'] for img in train['images']] == [0]
    assert [img['id'] for img in test['images']] == [1]  # after train's
    assert sorted(img['file_name'] for img in train['images'] +
                  test['images']) == sorted(names)
    anns = train['annotations'] + test['annotations']
    assert [a['id'] for a in anns] == [0, 1, 2]
    by_image = {img['id']: img['file_name']
                for img in train['images'] + test['images']}
    first = [a for a in anns if by_image[a['image_id']] == names[0]]
    nose, full = first
    assert nose['keypoints'][:3] == [12.5, 30.0, 2]
    assert not any(nose['keypoints'][3:]) and nose['num_keypoints'] == 1
    assert full['keypoints'][3 * 16:] == [16, 32, 2]
    assert full['num_keypoints'] == 17
    assert nose['bbox'] == [10, 20, 41, 61]  # inclusive pixels
    assert nose['area'] == 40 * 60
    assert full['bbox'] == [0, 0, 5, 4] and full['area'] == 6
    assert full['segmentation'] == [[0, 0, 4, 0, 0, 3]]
    height, width = cv2.imread(osp.join(DATA, 'macaque',
                                        names[0])).shape[:2]
    img = [i for i in train['images'] + test['images']
           if i['file_name'] == names[0]][0]
    assert (img['height'], img['width']) == (height, width)
    (category, ) = train['categories']
    assert category['name'] == 'macaque' and len(category['keypoints']) == 17
    assert [16, 14] in category['skeleton']  # left ankle - left knee


def test_deployment_mmpose2torchserve_names_its_package(monkeypatch,
                                                         tmp_path):
    monkeypatch.setitem(sys.modules, 'model_archiver', None)
    tool = load_tool('deployment/mmpose2torchserve.py')
    with pytest.raises(SystemExit, match='torch-model-archiver'):
        tool.main([TOP_DOWN_CFG, 'x.pth', '--output-folder',
                   str(tmp_path)])


@pytest.fixture
def stand_in_torchserve(monkeypatch):
    """A ``ts`` package whose BaseHandler does nothing (TorchServe itself
    is not installed here)."""
    import types
    modules = {name: types.ModuleType(name) for name in (
        'ts', 'ts.torch_handler', 'ts.torch_handler.base_handler')}
    modules['ts.torch_handler.base_handler'].BaseHandler = type(
        'BaseHandler', (), {})
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)


@pytest.mark.slow
def test_deployment_mmpose_handler(stand_in_torchserve, tmp_path):
    import base64
    import types

    import mmcv
    mmcv.Config.fromfile(TOP_DOWN_CFG).dump(str(tmp_path / 'config.py'))
    save_random_pose_checkpoint(tmp_path / 'tiny.pth')
    handler = load_tool('deployment/mmpose_handler.py').MMPoseHandler()
    handler.initialize(types.SimpleNamespace(
        system_properties={'model_dir': str(tmp_path), 'gpu_id': 0},
        manifest={'model': {'serializedFile': 'tiny.pth'}}))
    assert handler.initialized

    with open(osp.join(DATA, 'coco', '000000000785.jpg'), 'rb') as f:
        jpeg = f.read()
    images = handler.preprocess([{'data': base64.b64encode(jpeg).decode()},
                                 {'body': jpeg}])
    height, width = cv2.imread(osp.join(DATA, 'coco',
                                        '000000000785.jpg')).shape[:2]
    assert [img.shape for img in images] == [(height, width, 3)] * 2
    poses = handler.inference(images)
    assert [len(p) for p in poses] == [1, 1]  # the whole image, one person
    # x, y, w, h = 0, 0, W, H -> x1, y1, x2, y2 with inclusive pixels
    np.testing.assert_allclose(poses[0][0]['bbox'][:4],
                               [0, 0, width - 1, height - 1])
    answer = handler.postprocess(poses)
    assert np.asarray(answer[0][0]['keypoints']).shape == (17, 3)
    assert answer[0] == answer[1]
