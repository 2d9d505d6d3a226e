"""The rest of MMPose 0.29's file tree: the InterHand 3D image demo, the
FFmpeg-decoding full-frame video demo, two mmdet configs, the
tools/analysis benchmarks, the dataset conversion and preprocessing
scripts and the TorchServe comparison tool. Each keeps 0.29's command-line
arguments and runs on tiny inputs the tests make."""
import http.server
import importlib.util
import json
import os.path as osp
import pickle
import re
import subprocess
import sys
import tarfile
import threading
import types
import xml.etree.ElementTree as ET

import cv2
import mmcv
import numpy as np
import pytest
import torch

from .helpers import TINY_CONFIGS, _module_from, free_port
from .test_demos_tracking import (DATA, FRAME_SIZE, NUM_FRAMES, REPO,
                                  TOP_DOWN_CFG, count_frames, load_demo,
                                  save_random_pose_checkpoint, write_video)

INTERHAND = osp.join(DATA, 'interhand2.6m')


def load_script(relative: str):
    """The module of ``<repo>/<relative>`` (imported afresh)."""
    if relative.startswith('demo/'):
        return load_demo(osp.splitext(osp.basename(relative))[0])
    name = 'script_' + re.sub(r'\W', '_', relative)
    spec = importlib.util.spec_from_file_location(name,
                                                  osp.join(REPO, relative))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------ arguments
# The defaults of 0.29's scripts (read from its sources); the three
# dataset parsers of 0.29 take no argument (their folders are fixed in
# the code): here they are options with 0.29's folders as defaults.
ARGUMENTS_029 = {
    'demo/interhand3d_img_demo.py': (
        ['cfg.py', 'ckpt.pth'],
        dict(pose_config='cfg.py', pose_checkpoint='ckpt.pth', img_root='',
             json_file='', camera_param_file=None, gt_joints_file=None,
             rebase_keypoint_height=False, show_ground_truth=False,
             show=False, out_img_root=None, device='cuda:0', kpt_thr=0.3,
             radius=4, thickness=1)),
    'demo/top_down_video_demo_full_frame_without_det_gpuaccel.py': (
        ['cfg.py', 'ckpt.pth'],
        dict(pose_config='cfg.py', pose_checkpoint='ckpt.pth',
             video_path=None, show=False, out_video_root='',
             device='cuda:0', nvdecode=False, kpt_thr=0.3, radius=4,
             thickness=1)),
    'tools/analysis/benchmark_inference.py': (
        ['cfg.py'], dict(config='cfg.py', log_interval=10,
                         fuse_conv_bn=False)),
    'tools/analysis/benchmark_processing.py': (['cfg.py'],
                                               dict(config='cfg.py')),
    'tools/dataset/preprocess_h36m.py': (
        ['--metadata', 'm.xml', '--original', 'orig'],
        dict(metadata='m.xml', original='orig', extracted=None,
             processed=None, sample_rate=5)),
    'tools/dataset/preprocess_mpi_inf_3dhp.py': (
        ['root', 'out'], dict(data_root='root', out_dir='out')),
    'tools/deployment/test_torchserver.py': (
        ['a.jpg', 'cfg.py', 'ckpt.pth', 'res50'],
        dict(img='a.jpg', config='cfg.py', checkpoint='ckpt.pth',
             model_name='res50', inference_addr='127.0.0.1:8080',
             device='cuda:0', out_dir='vis_results')),
    'tools/dataset/parse_animalpose_dataset.py': (
        [], dict(dataset_dir='data/animalpose', val_ann_num=1117)),
    'tools/dataset/parse_cofw_dataset.py': ([],
                                            dict(dataset_dir='data/cofw')),
    'tools/dataset/parse_deepposekit_dataset.py': (
        [], dict(data_root='data', datasets=['fly', 'locust', 'zebra'])),
}


@pytest.mark.parametrize('script', sorted(ARGUMENTS_029))
def test_arguments_and_defaults_are_those_of_0_29(script):
    argv, expected = ARGUMENTS_029[script]
    assert vars(load_script(script).parse_args(argv)) == expected


@pytest.mark.parametrize('script', sorted(ARGUMENTS_029))
def test_help_works(script, capsys):
    with pytest.raises(SystemExit) as exit_info:
        load_script(script).parse_args(['--help'])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith('usage:')


@pytest.mark.slow
@pytest.mark.parametrize('script', [
    'tools/dataset/preprocess_h36m.py',
    'demo/top_down_video_demo_full_frame_without_det_gpuaccel.py'
])
def test_help_as_a_script(script):
    # run as 0.29's users do: the script's folder first on sys.path
    proc = subprocess.run([sys.executable, script, '--help'], cwd=REPO,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout
    assert f'usage: {osp.basename(script)}' in proc.stdout


def test_log_interval_is_a_number():
    # 0.29 left its type out: any value given on the command line broke
    tool = load_script('tools/analysis/benchmark_inference.py')
    assert tool.parse_args(['c.py', '--log-interval', '3']).log_interval == 3


# ------------------------------------------------------ the mmdet configs
DET_CFGS = osp.join(REPO, 'demo', 'mmdetection_cfg')


def test_mmdet_configs_load_as_0_29_ships_them():
    mask = mmcv.Config.fromfile(osp.join(DET_CFGS,
                                         'mask_rcnn_r50_fpn_2x_coco.py'))
    assert mask.model.type == 'MaskRCNN'
    assert mask.model.backbone.init_cfg.checkpoint == \
        'torchvision://resnet50'
    assert mask.model.roi_head.mask_head.num_classes == 80
    assert mask.model.test_cfg.rcnn.mask_thr_binary == 0.5
    assert mask.runner.max_epochs == 24 and mask.lr_config.step == [16, 22]
    assert mask.evaluation.metric == ['bbox', 'segm']

    yolo = mmcv.Config.fromfile(osp.join(DET_CFGS,
                                         'yolov3_d53_320_273e_coco.py'))
    assert yolo.model.type == 'YOLOV3'
    assert yolo.model.pretrained == 'open-mmlab://darknet53'
    assert yolo.data.test.pipeline[1].img_scale == (320, 320)
    assert yolo.img_norm_cfg.std == [255., 255., 255.]
    assert yolo.runner.max_epochs == 273


@pytest.fixture(scope='module')
def yolov3():
    """The YOLOv3 of the shipped config, random weights (seed 0)."""
    pytest.importorskip('mmdet', reason='mmdet 2.x is not installed')
    from .helpers import build_detector
    torch.manual_seed(0)
    config = osp.join(DET_CFGS, 'yolov3_d53_320_273e_coco.py')
    detector = build_detector(config)
    detector.cfg = mmcv.Config.fromfile(config)
    return detector.eval()


def test_mask_rcnn_config_builds_with_mmdet():
    pytest.importorskip('mmdet', reason='mmdet 2.x is not installed')
    from .helpers import build_detector
    mask = build_detector(osp.join(DET_CFGS, 'mask_rcnn_r50_fpn_2x_coco.py'))
    state = mask.state_dict()
    # one 28 x 28 mask per class (80), from 256 channels
    assert state['roi_head.mask_head.conv_logits.weight'].shape == (80, 256,
                                                                    1, 1)
    assert state['roi_head.bbox_head.fc_cls.weight'].shape == (81, 1024)


def test_yolov3_config_builds_with_mmdet(yolov3):
    state = yolov3.state_dict()
    # per scale 3 anchors x (4 box + 1 objectness + 80 classes) = 255
    for i, channels in enumerate((1024, 512, 256)):
        assert state[f'bbox_head.convs_pred.{i}.weight'].shape == (
            255, channels, 1, 1)
    assert type(yolov3.backbone).__name__ == 'Darknet'


@pytest.mark.slow
def test_yolov3_detects_people_for_the_pose_demos(yolov3):
    from mmdet.apis import inference_detector

    from mmpose.apis import process_mmdet_results
    # random weights pass most boxes on to NMS: keep few of them
    yolov3.bbox_head.test_cfg.update(nms_pre=50, max_per_img=5)
    result = inference_detector(
        yolov3, mmcv.imread(osp.join(DATA, 'demo', '000000196141.jpg')))
    assert len(result) == 80  # one box array per COCO class
    people = process_mmdet_results(result, cat_id=1)
    assert all(p['bbox'].shape == (5, ) for p in people)


# ------------------------------------------------------------ Animal-Pose
VOC_NAMES = [
    'L_Eye', 'R_Eye', 'L_EarBase', 'R_EarBase', 'Nose', 'Throat',
    'TailBase', 'Withers', 'L_F_Elbow', 'R_F_Elbow', 'L_B_Elbow',
    'R_B_Elbow', 'L_F_Knee', 'R_F_Knee', 'L_B_Knee', 'R_B_Knee', 'L_F_Paw',
    'R_F_Paw', 'L_B_Paw', 'R_B_Paw'
]
# the category 0.29 writes (1-based skeleton)
SKELETON_029 = [[1, 2], [1, 3], [2, 4], [1, 5], [2, 5], [5, 6], [6, 8],
                [7, 8], [6, 9], [9, 13], [13, 17], [6, 10], [10, 14],
                [14, 18], [7, 11], [11, 15], [15, 19], [7, 12], [12, 16],
                [16, 20]]


def write_animal_xml(path, image, names, bounds, labelled, category='dog'):
    """An Animal-Pose xml: keypoint i of ``labelled`` at (10 + i, 20 + i),
    the others with visible="0"."""
    root = ET.Element('annotation')
    ET.SubElement(root, 'image').text = image
    ET.SubElement(root, 'category').text = category
    ET.SubElement(root, 'visible_bounds',
                  {k: str(v) for k, v in bounds.items()})
    points = ET.SubElement(root, 'keypoints')
    for i, name in enumerate(names):
        ET.SubElement(points, 'keypoint', dict(
            name=name, visible='1' if i in labelled else '0',
            x=str(10.0 + i), y=str(20.0 + i), z='0'))
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path)


def write_image(path, width, height):
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), np.zeros((height, width, 3), np.uint8))


@pytest.fixture
def animalpose_tree(tmp_path):
    tool = load_script('tools/dataset/parse_animalpose_dataset.py')
    voc = tmp_path / 'PASCAL2011_animal_annotation'
    box = dict(xmin=5, ymin=6, width=30, height=40)
    write_animal_xml(voc / 'cat' / '2008_000112_1.xml', '2008_000112',
                     VOC_NAMES, box, labelled={0, 4})
    write_animal_xml(voc / 'dog' / '2007_000063_1.xml', '2007_000063',
                     VOC_NAMES, box, labelled=set(range(20)))
    write_animal_xml(voc / 'dog' / '2007_000063_2.xml', '2007_000063',
                     VOC_NAMES, box, labelled={19})
    jpegs = tmp_path / 'VOC2012' / 'JPEGImages'
    write_image(jpegs / '2008_000112.jpg', 50, 40)
    write_image(jpegs / '2007_000063.jpg', 64, 48)
    write_animal_xml(tmp_path / 'animalpose_anno2' / 'cat' / 'ca12.xml',
                     'ca12.jpeg', tool.PART2_NAMES,
                     dict(xmin=3, xmax=4, ymin=99, width=7, height=8),
                     labelled={6}, category='cat')
    write_image(tmp_path / 'animalpose_image_part2' / 'cat' / 'ca12.jpeg',
                20, 30)
    return tool, tmp_path


def load_json(path):
    with open(path) as f:
        return json.load(f)


def test_animalpose_converts_both_parts(animalpose_tree):
    tool, root = animalpose_tree
    tool.main(['--dataset-dir', str(root), '--val-ann-num', '2'])
    out = root / 'annotations'
    trainval = load_json(out / 'animalpose_trainval.json')
    (category, ) = trainval['categories']
    assert category['keypoints'] == VOC_NAMES
    assert category['skeleton'] == SKELETON_029
    assert trainval['info']['description'] == \
        'AnimalPose dataset Generated by MMPose Team'
    # one image per VOC image, 2007_000063 -> 2007000063
    assert [(i['id'], i['file_name'], i['width'], i['height'])
            for i in trainval['images']] == [
                (2008000112, 'VOC2012/JPEGImages/2008_000112.jpg', 50, 40),
                (2007000063, 'VOC2012/JPEGImages/2007_000063.jpg', 64, 48)]
    anns = trainval['annotations']
    assert [a['id'] for a in anns] == [1000000, 1000001, 1000002]
    assert [a['image_id'] for a in anns] == [2008000112] + [2007000063] * 2
    cat = np.array(anns[0]['keypoints']).reshape(20, 3)
    np.testing.assert_array_equal(cat[[0, 4]], [[10, 20, 2], [14, 24, 2]])
    assert not cat[[1, 2, 3, 5]].any() and anns[0]['num_keypoints'] == 2
    assert anns[1]['num_keypoints'] == 20
    assert anns[0]['bbox'] == [5, 6, 30, 40] and anns[0]['area'] == 1200

    # 0.29's split: images shuffled with seed 0 (the dog comes first),
    # kept for validation while their animals fit in 2
    train = load_json(out / 'animalpose_train.json')
    val = load_json(out / 'animalpose_val.json')
    assert [i['id'] for i in val['images']] == [2007000063]
    assert [a['id'] for a in val['annotations']] == [1000001, 1000002]
    assert [i['id'] for i in train['images']] == [2008000112]
    assert train['categories'] == trainval['categories']

    test = load_json(out / 'animalpose_test.json')
    (image, ) = test['images']
    # category id 1 (cat) * 1000 + the number in the image name
    assert image == dict(id=1012, file_name='animalpose_image_part2/cat/'
                         'ca12.jpeg', height=30, width=20)
    (ann, ) = test['annotations']
    assert ann['id'] == 0
    # the box's top is the value stored under "xmax"
    assert ann['bbox'] == [3, 4, 7, 8] and ann['area'] == 56
    tail = np.array(ann['keypoints']).reshape(20, 3)[6]
    np.testing.assert_array_equal(tail, [16, 26, 2])


def test_animalpose_warns_when_validation_is_short(animalpose_tree):
    tool, root = animalpose_tree
    with pytest.warns(UserWarning, match='only 3 annotations.*instead of 5'):
        tool.main(['--dataset-dir', str(root), '--val-ann-num', '5'])


def test_animalpose_names_bad_input(animalpose_tree, tmp_path):
    tool, root = animalpose_tree
    write_animal_xml(root / 'animalpose_anno2' / 'cat' / 'ca13.xml',
                     'ca13.jpeg', ['L_eye', 'Snout'], dict(
                         xmin=0, xmax=0, width=1, height=1), labelled={0},
                     category='cat')
    with pytest.raises(KeyError, match=r"ca13\.xml.*\['Snout'\]"):
        tool.main(['--dataset-dir', str(root), '--val-ann-num', '3'])
    with pytest.raises(FileNotFoundError, match='annotation folder'):
        tool.main(['--dataset-dir', str(tmp_path / 'missing')])


# ------------------------------------------------------------------- COFW
def cofw_sample(seed):
    """An RGB image and its landmark row [87] (29 x, 29 y, 29 flags) and
    box [4]."""
    img = np.empty((12 + seed, 10, 3), np.uint8)
    img[...] = (200, 100, 20 + seed)  # R, G, B
    xs, ys = np.arange(29) + 1.0, np.arange(29) + 2.0
    xs[0] = 0.5  # 0-based: -0.5, clipped to 0
    flags = np.zeros(29)
    flags[3] = 1  # occluded
    return img, np.concatenate([xs, ys, flags]), np.array([1., -2, 5, 6])


def write_cofw_v5(path, suffix, seeds):
    from scipy.io import savemat
    samples = [cofw_sample(s) for s in seeds]
    images = np.empty((len(samples), 1), dtype=object)
    for i, (img, _, _) in enumerate(samples):
        images[i, 0] = img
    savemat(str(path), {
        f'Is{suffix}': images,
        f'phis{suffix}': np.stack([s[1] for s in samples]),
        f'bboxes{suffix}': np.stack([s[2] for s in samples])
    })


def write_cofw_v73(path, suffix, seeds):
    """A MATLAB v7.3 file: HDF5 behind a 512-byte header, arrays stored
    transposed, the images as object references."""
    h5py = pytest.importorskip('h5py')
    samples = [cofw_sample(s) for s in seeds]
    with h5py.File(path, 'w', userblock_size=512) as f:
        refs = []
        for i, (img, _, _) in enumerate(samples):
            refs.append(f.create_dataset(f'#refs#/{i}', data=img.T).ref)
        f.create_dataset(f'Is{suffix}', data=np.array([refs]),
                         dtype=h5py.ref_dtype)
        f[f'phis{suffix}'] = np.stack([s[1] for s in samples]).T
        f[f'bboxes{suffix}'] = np.stack([s[2] for s in samples]).T
    with open(path, 'r+b') as f:
        f.write(b'MATLAB 7.3 MAT-file'.ljust(128))


@pytest.mark.parametrize('writer', [write_cofw_v5, write_cofw_v73])
def test_cofw_converts_both_mat_files(writer, tmp_path):
    tool = load_script('tools/dataset/parse_cofw_dataset.py')
    writer(tmp_path / 'COFW_train_color.mat', 'Tr', [0, 1])
    writer(tmp_path / 'COFW_test_color.mat', 'T', [2])
    tool.main(['--dataset-dir', str(tmp_path)])
    train = load_json(tmp_path / 'annotations' / 'cofw_train.json')
    test = load_json(tmp_path / 'annotations' / 'cofw_test.json')
    # ids run on across the two files
    assert [i['id'] for i in train['images']] == [1, 2]
    assert [(i['id'], i['file_name'], i['height'], i['width'])
            for i in test['images']] == [(3, '000003.jpg', 14, 10)]
    ann = train['annotations'][1]
    assert (ann['id'], ann['image_id'], ann['num_keypoints']) == (2, 2, 29)
    kpts = np.array(ann['keypoints']).reshape(29, 3)
    # 1-based -> 0-based, clipped at 0; visible 2, occluded 1
    np.testing.assert_allclose(kpts[:5], [[0, 1, 2], [1, 2, 2], [2, 3, 2],
                                          [3, 4, 1], [4, 5, 2]])
    assert ann['bbox'] == [1, 0, 5, 6] and ann['area'] == 30
    assert train['categories'] == [dict(supercategory='person', id=1,
                                        name='face', keypoints=[],
                                        skeleton=[])]
    # the image is written in BGR: it reads back as the RGB sample
    img, _, _ = cofw_sample(1)
    saved = cv2.imread(str(tmp_path / 'images' / '000002.jpg'))
    assert saved.shape == img.shape
    np.testing.assert_allclose(saved[..., ::-1], img, atol=3)


def test_cofw_errors(tmp_path, monkeypatch):
    tool = load_script('tools/dataset/parse_cofw_dataset.py')
    with pytest.raises(FileNotFoundError, match='COFW_train_color.mat'):
        tool.main(['--dataset-dir', str(tmp_path)])
    write_cofw_v5(tmp_path / 'COFW_train_color.mat', 'T', [0])
    with pytest.raises(ValueError, match=r"no variable.*'IsTr'"):
        tool.main(['--dataset-dir', str(tmp_path)])
    (tmp_path / 'COFW_train_color.mat').write_bytes(b'MATLAB 7.3 x' * 20)
    monkeypatch.setitem(sys.modules, 'h5py', None)
    with pytest.raises(ImportError, match='pip install h5py'):
        tool.main(['--dataset-dir', str(tmp_path)])


# ------------------------------------------------------------ DeepPoseKit
ZEBRA_NAMES = ['snout', 'head', 'neck', 'forelegL1', 'forelegR1',
               'hindlegL1', 'hindlegR1', 'tailbase', 'tailtip']


def write_zebra_release(folder, num=10):
    """``num`` zebras: keypoint k of sample i at (i + k, 2k + 1), all
    annotated but keypoints 0 and 8 of sample 2; image i grey 20 * i."""
    h5py = pytest.importorskip('h5py')
    k = np.arange(9)
    points = np.stack([np.stack([i + k, 2 * k + 1], axis=1)
                       for i in range(num)]).astype(np.float64)
    annotated = np.ones((num, 9), dtype=bool)
    annotated[2, [0, 8]] = False
    images = np.repeat((20 * np.arange(num, dtype=np.uint8)), 8 * 12 * 3)
    skeleton = np.array([[-1, -1], [0, -1], [1, -1], [2, 4], [2, 3],
                         [2, 6], [2, 5], [2, -1], [7, -1]])
    folder.mkdir(parents=True)
    with h5py.File(folder / 'annotation_data_release.h5', 'w') as f:
        f['annotations'] = points
        f['annotated'] = annotated
        f['images'] = images.reshape(num, 8, 12, 3)
        f['skeleton'] = skeleton


def test_deepposekit_splits_and_converts(tmp_path):
    tool = load_script('tools/dataset/parse_deepposekit_dataset.py')
    write_zebra_release(tmp_path / 'zebra')
    tool.main(['--data-root', str(tmp_path), '--datasets', 'zebra'])
    out = tmp_path / 'zebra' / 'annotations'
    train = load_json(out / 'zebra_train.json')
    test = load_json(out / 'zebra_test.json')
    # 0.29's split: np.random.seed(0); shuffle(arange(10)) gives
    # [2 8 4 9 1 6 7 3 0 5]; the last 10 % for testing, ids follow
    assert [a['id'] for a in train['annotations']] == list(range(9))
    assert [(a['id'], a['image_id']) for a in test['annotations']] == [
        (9, 9)]
    first = train['annotations'][0]  # sample 2
    kpts = np.array(first['keypoints']).reshape(9, 3)
    np.testing.assert_array_equal(kpts[0], [2, 1, 0])  # not annotated
    np.testing.assert_array_equal(kpts[1], [3, 3, 2])
    assert first['num_keypoints'] == 7
    # the box of keypoints 1..7: x 3..9, y 3..15, inclusive pixels
    assert first['bbox'] == [3, 3, 7, 13] and first['area'] == 91
    assert test['annotations'][0]['bbox'] == [5, 1, 9, 17]  # sample 5
    assert train['images'][0] == dict(id=0, file_name='0.jpg', height=8,
                                      width=12)
    for name, grey in (('0.jpg', 40), ('9.jpg', 100)):
        img = cv2.imread(str(tmp_path / 'zebra' / 'images' / name))
        np.testing.assert_allclose(img, grey, atol=2)
    (category, ) = train['categories']
    assert category['name'] == 'zebra'
    assert category['keypoints'] == ZEBRA_NAMES
    # keypoint -> parent, numbered from 1
    assert category['skeleton'] == [[2, 1], [3, 2], [4, 3], [5, 3], [6, 3],
                                    [7, 3], [8, 3], [9, 8]]


def test_deepposekit_errors(tmp_path, monkeypatch):
    tool = load_script('tools/dataset/parse_deepposekit_dataset.py')
    with pytest.raises(SystemExit):
        tool.parse_args(['--datasets', 'horse'])
    monkeypatch.setitem(sys.modules, 'h5py', None)
    with pytest.raises(ImportError, match='pip install h5py'):
        tool.main(['--data-root', str(tmp_path), '--datasets', 'fly'])


# --------------------------------------------------------------- Human3.6M
H36M_CAMERAS = ['54138969', '55011271', '58860488', '60457274']
H36M_FRAMES = 6


def h36m_metadata(path):
    """metadata.xml with one sequence per subject ('Directions 1', action
    2; action 1 is "_ALL") and the raw camera values of subject 1: camera
    0 unrotated at (1, 2, 3) m with known intrinsics, camera 1 turned by
    90 degrees."""
    w0 = np.zeros(300)
    w0[0:6] = [0, 0, 0, 1000, 2000, 3000]
    w0[66:72] = [0, np.pi / 2, 0, 0, 0, 0]  # 6 * (1 * 11 + 0)
    w0[264:273] = [1145, 1144, 512, 515, 0.1, 0.2, 0.3, 0.01, 0.02]
    subjects = [f'S{i}' for i in range(1, 12)]

    def cells(values):
        return ''.join(f'<td>{v}</td>' for v in values)

    path.write_text(
        '<metadata><mapping>'
        f'<tr>{cells(["", ""] + subjects)}</tr>'
        f'<tr>{cells(["1", "1"] + ["_ALL 1"] * 11)}</tr>'
        f'<tr>{cells(["2", "1"] + ["Directions 1"] * 11)}</tr>'
        '</mapping><actionnames><a>_ALL</a><a>Directions</a></actionnames>'
        '<dbcameras><index2id>'
        + ''.join(f'<i>{c}</i>' for c in H36M_CAMERAS) +
        '</index2id></dbcameras>'
        f'<w0>[{" ".join(repr(float(v)) for v in w0)}]</w0></metadata>')


def raw_h36m_poses():
    """2D [F, 32, 2]: joint j of frame f at (100 + j + f, 200 + 2j);
    3D [F, 32, 3] in mm: (j, f, 1000 + j)."""
    f, j = np.meshgrid(np.arange(H36M_FRAMES), np.arange(32), indexing='ij')
    pose_2d = np.stack([100 + j + f, 200 + 2 * j], axis=-1).astype(float)
    pose_3d = np.stack([j, f, 1000 + j], axis=-1).astype(float)
    return pose_2d, pose_3d


def write_pose_cdf(path, pose):
    """A CDF file whose variable 'Pose' holds one record [F, 32 * C]."""
    from cdflib.cdfwrite import CDF
    cdf = CDF(str(path))
    data = pose.reshape(1, len(pose), -1)
    cdf.write_var(dict(Variable='Pose', Data_Type=CDF.CDF_DOUBLE,
                       Num_Elements=1, Rec_Vary=True,
                       Dim_Sizes=list(data.shape[1:])),
                  var_attrs={}, var_data=data)
    cdf.close()


def h36m_tree(root, write_cdf=True):
    """``root/original/s<n>/*.tgz`` of the 7 annotated subjects (a
    6-frame 16 x 16 video and the pose files per camera) and metadata."""
    h36m_metadata(root / 'metadata.xml')
    pose_2d, pose_3d = raw_h36m_poses()
    staging = root / 'staging'
    for subject in ('S1', 'S5', 'S6', 'S7', 'S8', 'S9', 'S11'):
        files = {'Videos': [], 'D2_Positions': [], 'D3_Positions_mono': []}
        for camera in H36M_CAMERAS:
            base = f'Directions 1.{camera}'
            video = staging / subject / 'Videos' / f'{base}.mp4'
            video.parent.mkdir(parents=True, exist_ok=True)
            writer = cv2.VideoWriter(str(video),
                                     cv2.VideoWriter_fourcc(*'mp4v'), 50,
                                     (16, 16))
            for i in range(H36M_FRAMES):
                writer.write(np.full((16, 16, 3), 40 * i, np.uint8))
            writer.release()
            files['Videos'].append(video)
            for kind, pose in (('D2_Positions', pose_2d),
                               ('D3_Positions_mono', pose_3d)):
                cdf = (staging / subject / 'MyPoseFeatures' / kind /
                       f'{base}.cdf')
                cdf.parent.mkdir(parents=True, exist_ok=True)
                if write_cdf:
                    write_pose_cdf(cdf, pose)
                else:
                    cdf.write_bytes(b'not read')
                files[kind].append(cdf)
        archive_dir = root / 'original' / subject.lower()
        archive_dir.mkdir(parents=True)
        for name, paths in files.items():
            with tarfile.open(archive_dir / f'{name}.tgz', 'w:gz') as tar:
                for path in paths:
                    tar.add(path, arcname=str(path.relative_to(staging)))


@pytest.mark.slow
def test_preprocess_h36m_end_to_end(tmp_path):
    pytest.importorskip('cdflib', reason='cdflib writes the test CDFs')
    tool = load_script('tools/dataset/preprocess_h36m.py')
    h36m_tree(tmp_path)
    tool.main(['--metadata', str(tmp_path / 'metadata.xml'), '--original',
               str(tmp_path / 'original'), '--sample-rate', '2'])
    processed = tmp_path / 'processed' / 'annotation_body3d'
    with open(processed / 'cameras.pkl', 'rb') as f:
        cameras = pickle.load(f)
    assert len(cameras) == 11 * 4
    cam = cameras[('S1', '54138969')]
    np.testing.assert_allclose(cam['R'], np.eye(3), atol=1e-12)
    np.testing.assert_allclose(cam['T'], [[1], [2], [3]])  # metres
    np.testing.assert_allclose(cam['f'], [[1145], [1144]])
    np.testing.assert_allclose(cam['c'], [[512], [515]])
    np.testing.assert_allclose(cam['k'], [[.1], [.2], [.3]])
    np.testing.assert_allclose(cam['p'], [[.01], [.02]])
    assert (cam['w'], cam['h'], cam['name']) == (1000, 1002, 'camera1')
    # 90 degrees about y: R = Ry(pi / 2).T
    np.testing.assert_allclose(cameras[('S1', '55011271')]['R'],
                               [[0, 0, -1], [0, 1, 0], [1, 0, 0]],
                               atol=1e-12)

    out = processed / 'fps25'  # 50 fps / 2
    train = np.load(out / 'h36m_train.npz')
    # 5 subjects x 4 cameras x frames 0, 2, 4
    assert len(train['imgname']) == 60
    assert train['imgname'][1] == ('S1/S1_Directions_1.54138969/'
                                   'S1_Directions_1.54138969_000003.jpg')
    assert (tmp_path / 'processed' / 'images' /
            train['imgname'][1]).is_file()
    # frame 2: movable joints j = 0..27 at x = 102 + j, y = 200 + 2j
    np.testing.assert_allclose(train['center'][1], [115.5, 227])
    np.testing.assert_allclose(train['scale'][1], 1.2 * 54 / 200)
    assert train['part'].shape == (60, 17, 3)
    np.testing.assert_allclose(train['part'][1, 16], [129, 254, 1])
    np.testing.assert_allclose(train['S'][1, 16], [.027, .002, 1.027, 1])
    assert len(np.load(out / 'h36m_test.npz')['imgname']) == 24

    with open(out / 'joint2d_stats.pkl', 'rb') as f:
        stats_2d = pickle.load(f)
    np.testing.assert_allclose(stats_2d['mean'][0], [102, 200])
    np.testing.assert_allclose(stats_2d['std'][0], [np.sqrt(8 / 3), 0])
    with open(out / 'joint3d_rel_stats.pkl', 'rb') as f:
        rel_3d = pickle.load(f)
    assert rel_3d['mean'].shape == (16, 3)  # the root left out
    np.testing.assert_allclose(rel_3d['mean'][-1], [.027, 0, .027])
    np.testing.assert_allclose(rel_3d['std'], 0, atol=1e-12)


def test_preprocess_h36m_names_the_cdf_readers(tmp_path, monkeypatch):
    tool = load_script('tools/dataset/preprocess_h36m.py')
    h36m_tree(tmp_path, write_cdf=False)
    monkeypatch.setitem(sys.modules, 'spacepy', None)
    monkeypatch.setitem(sys.modules, 'cdflib', None)
    with pytest.raises(ImportError, match='spacepy.*cdflib'):
        tool.main(['--metadata', str(tmp_path / 'metadata.xml'),
                   '--original', str(tmp_path / 'original'),
                   '--processed', str(tmp_path / 'out')])
    # everything before the pose files is done
    assert (tmp_path / 'extracted' / 'S11' / 'Videos' /
            'Directions 1.60457274.mp4').is_file()
    assert (tmp_path / 'out' / 'annotation_body3d' / 'cameras.pkl').is_file()


def test_preprocess_h36m_refuses_escaping_archives(tmp_path):
    tool = load_script('tools/dataset/preprocess_h36m.py')
    (tmp_path / 'evil.txt').write_text('x')
    with tarfile.open(tmp_path / 'evil.tgz', 'w:gz') as tar:
        tar.add(tmp_path / 'evil.txt', arcname='../evil.txt')
    with tarfile.open(tmp_path / 'evil.tgz') as tar:
        with pytest.raises(ValueError, match='outside'):
            tool.safe_extract(tar, str(tmp_path / 'extracted'))


def test_preprocess_h36m_checks_its_inputs(tmp_path):
    tool = load_script('tools/dataset/preprocess_h36m.py')
    with pytest.raises(FileNotFoundError, match='metadata'):
        tool.PreprocessH36m(str(tmp_path / 'm.xml'), str(tmp_path))
    h36m_metadata(tmp_path / 'metadata.xml')
    with pytest.raises(ValueError, match='sample_rate'):
        tool.PreprocessH36m(str(tmp_path / 'metadata.xml'), str(tmp_path),
                            sample_rate=0)


# ---------------------------------------------------------- MPI-INF-3DHP
JOINTS_17 = [7, 5, 14, 15, 16, 9, 10, 11, 23, 24, 25, 18, 19, 20, 4, 3, 6]


def calibration_text():
    """A Skeletool calibration of 14 cameras: camera c with focal lengths
    1500 + c, 1501 + c, centre (1024, 1025), no rotation, at x = c m."""
    lines = ['Skeletool Camera Calibration File V1.0']
    for c in range(14):
        intrinsic = [1500 + c, 0, 1024, 0, 0, 1501 + c, 1025, 0, 0, 0, 1, 0,
                     0, 0, 0, 1]
        extrinsic = [1, 0, 0, 1000 * c, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
        lines += [f'name          {c}', '  sensor      10 10',
                  '  size        2048 2048', '  animated    0',
                  '  intrinsic   ' + ' '.join(map(str, intrinsic)) + ' ',
                  '  extrinsic   ' + ' '.join(map(str, extrinsic)) + ' ',
                  '  radial      0']
    return '\n'.join(lines) + '\n'


def write_3dhp_train(root, num_annotated=3, num_video=2):
    """16 sequences: joint j of frame f at (10 j + f, 20 j) px, joint 7
    above the frame (y = -5), and (j, 2 j, 3000 + f) mm; videos of
    ``num_video`` frames."""
    from scipy.io import savemat
    f, j = np.meshgrid(np.arange(num_annotated), np.arange(28),
                       indexing='ij')
    pose_2d = np.stack([10 * j + f, 20 * j], axis=-1).astype(float)
    pose_2d[:, 7, 1] = -5
    pose_3d = np.stack([j, 2 * j, 3000 + f], axis=-1).astype(float)
    annot2 = np.empty((14, 1), dtype=object)
    annot3 = np.empty((14, 1), dtype=object)
    for cam in range(14):
        annot2[cam, 0] = pose_2d.reshape(num_annotated, -1)
        annot3[cam, 0] = pose_3d.reshape(num_annotated, -1)
    for subj in range(1, 9):
        for seq in (1, 2):
            seq_path = root / 'train' / f'S{subj}' / f'Seq{seq}'
            (seq_path / 'imageSequence').mkdir(parents=True)
            (seq_path / 'camera.calibration').write_text(calibration_text())
            savemat(str(seq_path / 'annot.mat'),
                    dict(annot2=annot2, annot3=annot3))
            for cam in (0, 1, 2, 4, 5, 6, 7, 8):
                writer = cv2.VideoWriter(
                    str(seq_path / 'imageSequence' / f'video_{cam}.avi'),
                    cv2.VideoWriter_fourcc(*'MJPG'), 25, (16, 16))
                for i in range(num_video):
                    writer.write(np.full((16, 16, 3), 50 * i, np.uint8))
                writer.release()


def test_3dhp_intrinsics_fit_known_cameras():
    tool = load_script('tools/dataset/preprocess_mpi_inf_3dhp.py')
    rng = np.random.RandomState(0)
    xyz = np.concatenate([rng.uniform(-500, 500, (5, 17, 2)),
                          rng.uniform(2000, 4000, (5, 17, 1))], axis=-1)
    uv = xyz[..., :2] / xyz[..., 2:] * [1402, 1412] + [1000, 990]
    fitted = tool.fit_intrinsics(uv, xyz)
    np.testing.assert_allclose(fitted['f'], [[1402], [1412]])
    np.testing.assert_allclose(fitted['c'], [[1000], [990]])


def test_3dhp_reads_skeletool_calibration(tmp_path):
    tool = load_script('tools/dataset/preprocess_mpi_inf_3dhp.py')
    path = tmp_path / 'camera.calibration'
    path.write_text(calibration_text())
    cams = tool.read_calibration(str(path), [0, 4])
    np.testing.assert_allclose(cams[4]['f'], [[1504], [1505]])
    np.testing.assert_allclose(cams[4]['c'], [[1024], [1025]])
    np.testing.assert_allclose(cams[4]['R'], np.eye(3))
    np.testing.assert_allclose(cams[4]['T'], [[4], [0], [0]])  # metres
    assert (cams[0]['w'], cams[0]['h']) == (2048, 2048)
    path.write_text('header\nname 0\n  size 2048\n')
    with pytest.raises(ValueError, match='camera 0 is malformed'):
        tool.read_calibration(str(path), [0])


@pytest.mark.slow
def test_preprocess_3dhp_trainset(tmp_path):
    tool = load_script('tools/dataset/preprocess_mpi_inf_3dhp.py')
    write_3dhp_train(tmp_path / 'data')
    out = tmp_path / 'out'
    with pytest.warns(UserWarning, match=r'128 of 128 training videos .*'
                      r'S1_Seq1_Cam0 \(2 of 6416\), S1_Seq1_Cam1'):
        tool.load_trainset(str(tmp_path / 'data'), str(out))
    train = np.load(out / 'annotations' / 'mpi_inf_3dhp_train.npz')
    # 16 sequences x 8 cameras x the 2 frames of the videos
    assert len(train['imgname']) == 256
    assert list(train['imgname'][:3]) == [
        'S1_Seq1_Cam0_000001.jpg', 'S1_Seq1_Cam0_000002.jpg',
        'S1_Seq1_Cam1_000001.jpg']
    assert (out / 'images' / 'S8_Seq2_Cam8_000002.jpg').is_file()
    part, S = train['part'], train['S']
    np.testing.assert_allclose(part[1, :, 0], 10 * np.array(JOINTS_17) + 1)
    # keypoint 0 (joint 7) is above the frame: not visible
    np.testing.assert_array_equal(part[0, :, 2], [0] + [1] * 16)
    np.testing.assert_array_equal(S[0, :, 3], part[0, :, 2])
    np.testing.assert_allclose(S[1, 3, :3], [.015, .030, 3.001])
    # x 30..250, y -5..500
    np.testing.assert_allclose(train['center'][0], [140, 247.5])
    np.testing.assert_allclose(train['scale'][0], 1.2 * 505 / 200)

    with open(out / 'annotations' / 'cameras_train.pkl', 'rb') as f:
        cameras = pickle.load(f)
    assert len(cameras) == 128
    cam = cameras['S2_Seq2_Cam4']
    np.testing.assert_allclose(cam['T'], [[4], [0], [0]])
    np.testing.assert_allclose(cam['f'], [[1504], [1505]])
    assert cam['name'] == 'train_cam_4'

    stats = {}
    for name in ('joint3d_stats', 'joint3d_rel_stats', 'joint2d_stats',
                 'joint2d_rel_stats'):
        with open(out / 'annotations' / f'{name}.pkl', 'rb') as f:
            stats[name] = pickle.load(f)
    rel, absolute = stats['joint3d_rel_stats'], stats['joint3d_stats']
    assert rel['mean'].shape == (17, 3)
    # the root row (pelvis, 14) keeps the absolute statistics
    np.testing.assert_allclose(rel['mean'][14], absolute['mean'][14])
    # joint 7 relative to the pelvis (joint 4): (3, 6, 0) mm
    np.testing.assert_allclose(rel['mean'][0], [.003, .006, 0], atol=1e-12)
    np.testing.assert_allclose(stats['joint2d_stats']['mean'][1],
                               [50.5, 100])


@pytest.mark.slow
def test_preprocess_3dhp_testset(tmp_path):
    h5py = pytest.importorskip('h5py')
    tool = load_script('tools/dataset/preprocess_mpi_inf_3dhp.py')
    rng = np.random.RandomState(1)
    for subj in range(1, 7):
        subj_path = tmp_path / 'test' / f'TS{subj}'
        (subj_path / 'imageSequence').mkdir(parents=True)
        xyz = np.concatenate([rng.uniform(-500, 500, (3, 1, 17, 2)),
                              rng.uniform(2000, 4000, (3, 1, 17, 1))], -1)
        uv = xyz[..., :2] / xyz[..., 2:] * [1400 + subj, 1410] + [1000, 990]
        with h5py.File(subj_path / 'annot_data.mat', 'w') as f:
            f['annot2'] = uv
            f['annot3'] = xyz
            f['valid_frame'] = np.array([[1], [0], [1]])
        for i in range(1, 4):
            write_image(subj_path / 'imageSequence' / f'img_{i:06d}.jpg',
                        8, 8)
    tool.load_testset(str(tmp_path), str(tmp_path / 'out'))
    annots = tmp_path / 'out' / 'annotations'
    test = np.load(annots / 'mpi_inf_3dhp_test_valid.npz')
    assert list(test['imgname'][:2]) == ['TS1_000001.jpg', 'TS1_000003.jpg']
    assert len(test['imgname']) == 12  # frames 1 and 3 of 6 subjects
    assert (tmp_path / 'out' / 'images' / 'TS6_000003.jpg').is_file()
    assert test['S'].shape == (12, 17, 4)
    with open(annots / 'cameras_test.pkl', 'rb') as f:
        cameras = pickle.load(f)
    np.testing.assert_allclose(cameras['TS2']['f'], [[1402], [1410]])
    np.testing.assert_allclose(cameras['TS2']['c'], [[1000], [990]])
    assert (cameras['TS2']['w'], cameras['TS2']['h']) == (2048, 2048)
    assert (cameras['TS5']['w'], cameras['TS5']['h']) == (1920, 1080)
    assert cameras['TS5']['name'] == 'test_cam_5'


# ---------------------------------------------- tools/analysis benchmarks
BENCHMARK_CFG = '''
_base_ = [{base!r}]
data = dict(
    train=dict(ann_file={ann!r}, img_prefix={img!r}),
    val=dict(ann_file={ann!r}, img_prefix={img!r}))
'''


@pytest.fixture(scope='module')
def benchmark_cfg(tmp_path_factory):
    """The tiny top-down config on a synthetic set of 8 people."""
    root = tmp_path_factory.mktemp('benchmark')
    synthetic = _module_from(TINY_CONFIGS / 'synthetic_coco.py',
                             'synthetic_coco_029_rest')
    ann = synthetic.write_tiny_coco(str(root / 'coco'), num_images=4)
    cfg = root / 'cfg.py'
    cfg.write_text(BENCHMARK_CFG.format(base=TOP_DOWN_CFG, ann=ann,
                                        img=str(root / 'coco' / 'images')))
    return str(cfg)


@pytest.mark.slow
def test_benchmark_inference_times_the_validation_set(
        benchmark_cfg, capsys):
    tool = load_script('tools/analysis/benchmark_inference.py')
    tool.main([benchmark_cfg, '--log-interval', '2', '--fuse-conv-bn'])
    out = capsys.readouterr().out
    # 8 items, 5 warm-up: logged after items 6 and 8
    assert re.findall(r'Done item \[(\d+)', out) == ['6', '8']
    assert re.search(r'Overall average: [\d.]+ items / s', out)
    assert 'Total time:' in out


def test_benchmark_inference_needs_more_than_the_warm_up():
    tool = load_script('tools/analysis/benchmark_inference.py')
    with pytest.raises(ValueError, match='3 samples.*5 warm-up'):
        tool.benchmark(None, [{}] * 3, 10)
    with pytest.raises(ValueError, match='log-interval'):
        tool.benchmark(None, [{}] * 8, 0)
    with pytest.raises(FileNotFoundError, match='nope.py'):
        tool.main(['nope.py'])


@pytest.mark.slow
def test_benchmark_processing_loads_the_training_set(benchmark_cfg, capsys):
    tool = load_script('tools/analysis/benchmark_processing.py')
    tool.main([benchmark_cfg])
    assert re.search(r'8 samples loaded, [\d.]+ samples / s after the '
                     r'first 5', capsys.readouterr().out)


# --------------------------------------------- tools/deployment TorchServe
class _AnswerServer(http.server.HTTPServer):
    """Answers every POST with ``answer`` (JSON), recording the requests;
    serves in a daemon thread, at most ``limit`` requests."""

    def __init__(self, answer, status=200, limit=3):
        self.answer, self.status, self.limit = answer, status, limit
        self.requests = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):

            def do_POST(self):
                size = int(self.headers['Content-Length'])
                server.requests.append((self.path, self.rfile.read(size)))
                body = json.dumps(server.answer).encode()
                self.send_response(server.status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(('127.0.0.1', 0), Handler)
        self.timeout = 5

    def __enter__(self):
        def serve():
            while len(self.requests) < self.limit and not self.stopped:
                self.handle_request()

        self.stopped = False
        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped = True
        self.thread.join(timeout=10)  # at most one more handle_request
        self.server_close()

    @property
    def address(self):
        return f'127.0.0.1:{self.server_address[1]}'


@pytest.fixture(scope='module')
def pose_checkpoint(tmp_path_factory):
    return save_random_pose_checkpoint(
        TOP_DOWN_CFG, tmp_path_factory.mktemp('pose') / 'pose.pth')


PHOTO = osp.join(DATA, 'coco', '000000000785.jpg')


@pytest.mark.slow
def test_torchserver_compares_served_and_local_poses(
        pose_checkpoint, tmp_path, capsys):
    from mmpose.apis import init_pose_model
    tool = load_script('tools/deployment/test_torchserver.py')
    local = tool.local_result(init_pose_model(TOP_DOWN_CFG, pose_checkpoint,
                                              device='cpu'), PHOTO)
    assert len(local) == 1  # top-down: the whole image is the box
    # what mmpose_handler.py answers, moved 2 px to the right
    served = [{'keypoints': (local[0]['keypoints'] + [2, 0, 0]).tolist()}]
    with _AnswerServer(served, limit=1) as server:
        difference = tool.main([
            PHOTO, TOP_DOWN_CFG, pose_checkpoint, 'tiny',
            '--inference-addr', server.address, '--device', 'cpu',
            '--out-dir', str(tmp_path)
        ])
    assert difference == pytest.approx(2.0)
    ((path, body), ) = server.requests
    assert path == '/predictions/tiny'
    with open(PHOTO, 'rb') as f:
        assert body == f.read()  # the image file itself
    for name in ('pytorch_result.png', 'torchserve_result.png'):
        assert cv2.imread(str(tmp_path / name)).shape[:2] == cv2.imread(
            PHOTO).shape[:2]
    assert 'largest keypoint difference' in capsys.readouterr().out


def test_torchserver_explains_server_problems(tmp_path):
    tool = load_script('tools/deployment/test_torchserver.py')
    url = f'http://127.0.0.1:{free_port()}/predictions/tiny'
    with pytest.raises(ConnectionError, match='cannot reach.*is TorchServe '
                       'running'):
        tool.server_result(url, PHOTO, timeout=5)
    with _AnswerServer({'code': 404}, status=404, limit=1) as server:
        with pytest.raises(ValueError, match='answered 404'):
            tool.server_result(
                f'http://{server.address}/predictions/tiny', PHOTO)
    with _AnswerServer({'not': 'a list'}, limit=1) as server:
        with pytest.raises(ValueError, match='not a list of pose results'):
            tool.server_result(
                f'http://{server.address}/predictions/tiny', PHOTO)


def test_keypoint_difference_person_by_person():
    tool = load_script('tools/deployment/test_torchserver.py')
    a = [{'keypoints': np.array([[1., 2, .9], [3, 4, .8]])}]
    b = [{'keypoints': np.array([[1.5, 2, .1], [3, 1, .2]])}]
    assert tool.keypoint_difference(a, b) == 3.0
    assert tool.keypoint_difference(a, b + b) is None
    assert tool.keypoint_difference([], []) is None


# ----------------------------------------------- demo/interhand3d_img_demo
def test_interhand_camera_parameters_become_simple_camera_ones():
    demo = load_script('demo/interhand3d_img_demo.py')
    param = demo.simple_camera_param(dict(
        camrot=[[0, 1, 0], [-1, 0, 0], [0, 0, 1]], campos=[1, 2, 3],
        focal=[100, 101], princpt=[50, 51]))
    # world-to-camera rotation -> camera-to-world: the transpose
    np.testing.assert_array_equal(param['R'],
                                  [[0, -1, 0], [1, 0, 0], [0, 0, 1]])
    np.testing.assert_array_equal(param['T'], [[1], [2], [3]])
    np.testing.assert_array_equal(param['f'], [[100], [101]])
    np.testing.assert_array_equal(param['c'], [[50], [51]])


def interhand_result():
    """Every keypoint at pixel (150, 50) with depth 10 mm from its hand's
    root and score 200 (a heatmap maximum); keypoint 0 at y = 60. The
    camera sits at the world origin, unrotated, f = 100, c = (50, 50); the
    ground-truth roots are 1 m (right, 20) and 2 m (left, 41) away."""
    demo = load_script('demo/interhand3d_img_demo.py')
    keypoints_3d = np.tile([150., 50., 10., 200.], (42, 1))
    keypoints_3d[0, 1] = 60
    gt = np.zeros((42, 4))
    gt[20, 2], gt[41, 2], gt[:, 3] = 1000, 2000, 1
    camera = demo.simple_camera_param(dict(
        camrot=np.eye(3), campos=[0, 0, 0], focal=[100, 100],
        princpt=[50, 50]))
    return demo, dict(keypoints_3d=keypoints_3d, camera_param=camera,
                      keypoints_3d_gt=gt, bbox=np.array([0, 0, 9, 9.]))


def test_interhand_results_move_to_camera_space_for_drawing():
    demo, result = interhand_result()
    drawn = demo.to_drawing(result, rebase=False)
    # 2D: the pixel position and the score scaled to [0, 1]
    np.testing.assert_allclose(drawn['keypoints'][1], [150, 50, 200 / 255])
    # camera space (x, y, z) = ((u - c) / f * d, (v - c) / f * d, d), with
    # depth d = 10 + the root's; drawn as (x, z, -y): z is the height
    kpts = drawn['keypoints_3d']
    np.testing.assert_allclose(kpts[1, :3], [1010, 1010, 0])
    np.testing.assert_allclose(kpts[0, :3], [1010, 1010, -101])
    np.testing.assert_allclose(kpts[30, :3], [2010, 2010, 0])
    np.testing.assert_allclose(drawn['keypoints_3d_gt'][41, :3],
                               [0, 2000, 0])


def test_interhand_rebase_and_ground_truth_panels():
    demo, result = interhand_result()
    args = demo.parse_args(['c.py', 'k.pth', '--rebase-keypoint-height',
                            '--show-ground-truth'])
    prediction, truth = demo.drawn_results([result], args)
    assert (prediction['title'], truth['title']) == ('Prediction (0)',
                                                     'Ground truth (0)')
    # the lowest keypoint (0, at height -101) lands on 0
    np.testing.assert_allclose(prediction['keypoints_3d'][[0, 1], 2],
                               [0, 101])
    assert truth['keypoints_3d'][:, 2].min() == 0

    no_gt = dict(result, keypoints_3d_gt=None)
    assert len(demo.drawn_results([no_gt], args)) == 1  # and says why


INTERHAND_CFG = dict(
    data_cfg=dict(image_size=[64, 64], heatmap_size=[4, 4, 4],
                  num_joints=42, heatmap3d_depth_bound=400.0,
                  heatmap_size_root=64, root_depth_bound=400.0),
    test_pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='TopDownGetBboxCenterScale', padding=1.25),
        dict(type='TopDownAffine'),
        dict(type='ToTensor'),
        dict(type='NormalizeTensor', mean=[0.485, 0.456, 0.406],
             std=[0.229, 0.224, 0.225]),
        dict(type='Collect', keys=['img'],
             meta_keys=['image_file', 'center', 'scale', 'rotation',
                        'flip_pairs', 'heatmap3d_depth_bound',
                        'root_depth_bound'])
    ],
    data=dict(test=dict(type='InterHand3DDataset')))


@pytest.mark.slow
def test_interhand3d_img_demo_runs_on_the_sample(tmp_path):
    from mmcv.runner import save_checkpoint

    from mmpose.apis import init_pose_model
    from .test_interhand3d import _tiny_model_cfg
    cfg_file = tmp_path / 'interhand_tiny.py'
    mmcv.Config(dict(INTERHAND_CFG, model=_tiny_model_cfg())).dump(
        str(cfg_file))
    torch.manual_seed(0)
    checkpoint = tmp_path / 'interhand.pth'
    save_checkpoint(init_pose_model(str(cfg_file), device='cpu'),
                    str(checkpoint))
    demo = load_script('demo/interhand3d_img_demo.py')
    out = tmp_path / 'vis'
    demo.main([
        str(cfg_file), str(checkpoint), '--img-root', INTERHAND,
        '--json-file', osp.join(INTERHAND, 'test_interhand2.6m_data.json'),
        '--camera-param-file',
        osp.join(INTERHAND, 'test_interhand2.6m_camera.json'),
        '--gt-joints-file',
        osp.join(INTERHAND, 'test_interhand2.6m_joint_3d.json'),
        '--rebase-keypoint-height', '--show-ground-truth', '--device', 'cpu',
        '--out-img-root', str(out)
    ])
    drawings = sorted(p.name for p in out.iterdir())
    assert drawings == [f'vis_{i}.jpg' for i in range(4)]  # 4 images
    assert cv2.imread(str(out / 'vis_0.jpg')).shape[0] == 400  # vis_height


def test_interhand3d_img_demo_needs_an_output(tmp_path):
    demo = load_script('demo/interhand3d_img_demo.py')
    with pytest.raises(SystemExit, match='nothing to do'):
        demo.main(['c.py', 'k.pth'])


# ----------------------------- demo/..._full_frame_without_det_gpuaccel
def letterbox(frame, size):
    """``frame`` resized into ``size`` (w, h) keeping its aspect ratio,
    centred on black (what ffmpegcv's resize_keepratio does)."""
    width, height = size
    ratio = min(width / frame.shape[1], height / frame.shape[0])
    w, h = round(frame.shape[1] * ratio), round(frame.shape[0] * ratio)
    canvas = np.zeros((height, width, 3), np.uint8)
    top, left = (height - h) // 2, (width - w) // 2
    canvas[top:top + h, left:left + w] = cv2.resize(frame, (w, h))
    return canvas


def stand_in_ffmpegcv():
    """An ``ffmpegcv`` that decodes with OpenCV (the real one runs the
    ffmpeg executable, which this machine lacks)."""

    class VideoCapture:

        def __init__(self, path, resize=None, resize_keepratio=True,
                     pix_fmt='bgr24'):
            cap = cv2.VideoCapture(path)
            self.fps = cap.get(cv2.CAP_PROP_FPS)
            self.frames = []
            while True:
                ok, frame = cap.read()
                if not ok:
                    break
                self.frames.append(frame)
            cap.release()
            self.height, self.width = self.frames[0].shape[:2]
            if resize is not None:
                assert resize_keepratio
                self.frames = [letterbox(f, resize) for f in self.frames]
            if pix_fmt == 'rgb24':
                self.frames = [f[..., ::-1].copy() for f in self.frames]
            self.released = False

        def __len__(self):
            return len(self.frames)

        def __iter__(self):
            return iter(self.frames)

        def release(self):
            self.released = True

    class VideoWriter:

        def __init__(self, path, fps=30):
            self.path, self.fps, self.writer = path, fps, None

        def write(self, frame):
            if self.writer is None:
                self.writer = cv2.VideoWriter(
                    self.path, cv2.VideoWriter_fourcc(*'mp4v'), self.fps,
                    frame.shape[1::-1])
            self.writer.write(frame)

        def release(self):
            self.writer.release()

    module = types.ModuleType('ffmpegcv')
    module.VideoCapture = module.VideoCaptureNV = VideoCapture
    module.VideoWriter = VideoWriter
    return module


GPUACCEL = 'demo/top_down_video_demo_full_frame_without_det_gpuaccel.py'


@pytest.fixture
def gpuaccel(monkeypatch, tmp_path):
    """The demo with the stand-in decoder and an ffmpeg 'on the PATH';
    ``(demo, clip, calls)``, ``calls`` logging each network input."""
    monkeypatch.setitem(sys.modules, 'ffmpegcv', stand_in_ffmpegcv())
    demo = load_script(GPUACCEL)
    monkeypatch.setattr(demo.shutil, 'which', lambda name: f'/bin/{name}')
    calls = []
    predict = demo.predict

    def logged(model, fast, precision, **inputs):
        calls.append(inputs)
        return predict(model, fast, precision, **inputs)

    monkeypatch.setattr(demo, 'predict', logged)
    return demo, write_video(tmp_path / 'clip.mp4'), calls


@pytest.mark.slow
def test_gpuaccel_demo_runs_the_model_on_resized_frames(
        gpuaccel, pose_checkpoint, tmp_path):
    demo, clip, calls = gpuaccel
    with pytest.deprecated_call(match='dataset_info'):
        demo.main([TOP_DOWN_CFG, pose_checkpoint, '--video-path', clip,
                   '--device', 'cpu', '--out-video-root', str(tmp_path)])
    assert count_frames(tmp_path / 'vis_clip.mp4') == NUM_FRAMES
    assert len(calls) == NUM_FRAMES
    (meta, ) = calls[0]['img_metas']
    # the whole 160 x 112 frame fitted to the 48 x 64 input, no padding:
    # height 160 / (48 / 64) = 213.3 px; in units of 200 px
    np.testing.assert_allclose(meta['center'], [80, 56])
    np.testing.assert_allclose(meta['scale'], [0.8, 160 / 0.75 / 200],
                               rtol=1e-6)
    assert meta['bbox_score'] == 1 and meta['image_file'] == ''
    # the input: the RGB letterboxed frame, normalised as ToTensor +
    # NormalizeTensor would
    first = stand_in_ffmpegcv().VideoCapture(
        clip, resize=(48, 64), pix_fmt='rgb24').frames[0]
    mean = np.array([0.485, 0.456, 0.406]) * 255
    std = np.array([0.229, 0.224, 0.225]) * 255
    np.testing.assert_allclose(
        calls[0]['img'][0].permute(1, 2, 0).numpy(), (first - mean) / std,
        rtol=1e-5, atol=1e-5)
    assert FRAME_SIZE == (160, 112)


def test_gpuaccel_demo_names_what_is_missing(monkeypatch, tmp_path,
                                             gpuaccel):
    demo, clip, _ = gpuaccel
    argv = [TOP_DOWN_CFG, 'pose.pth', '--video-path', clip,
            '--out-video-root', str(tmp_path)]
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match='--nvdecode.*CUDA is required'):
            demo.main(argv + ['--nvdecode', '--device', 'cpu'])
        with pytest.raises(ValueError, match='--device cuda:0: CUDA is '
                           'required.*--device cpu'):
            demo.main(argv)
    monkeypatch.setattr(demo.shutil, 'which', lambda name: None)
    with pytest.raises(ImportError, match='ffmpeg executable'):
        demo.main(argv + ['--device', 'cpu'])
    monkeypatch.setitem(sys.modules, 'ffmpegcv', None)
    with pytest.raises(ImportError, match='pip install ffmpegcv'):
        demo.main(argv + ['--device', 'cpu'])
    with pytest.raises(SystemExit, match='nothing to do'):
        demo.main([TOP_DOWN_CFG, 'pose.pth', '--video-path', clip])


def test_gpuaccel_demo_needs_normalize_tensor():
    demo = load_script(GPUACCEL)
    cfg = mmcv.Config(dict(test_pipeline=[dict(type='LoadImageFromFile'),
                                          dict(type='ToTensor')]))
    with pytest.raises(KeyError, match='NormalizeTensor'):
        demo.normalization(cfg)
    cfg.test_pipeline.append(dict(type='NormalizeTensor', mean=[0, .5, 1],
                                  std=[1, 1, .5]))
    mean, std = demo.normalization(cfg)
    np.testing.assert_allclose(mean, [0, 127.5, 255])
    np.testing.assert_allclose(std, [255, 255, 127.5])
