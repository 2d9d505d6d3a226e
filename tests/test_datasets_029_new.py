"""The 2D datasets MMPose 0.29 added: AP-10K, Halpe, Human3.6M 2D,
COCO-WholeBody face / hand / bottom-up. Each reads its own tiny sample
(``tests/data/<name>/``, written for these tests), evaluates perfect
predictions to the best value and a known perturbation to a hand-computed
one."""
import copy
import inspect
import json
import os.path as osp

import numpy as np
import pytest

from mmpose.datasets import DATASETS, build_dataset

from .helpers import outputs_from_db
from .reference import packed_manifests

DATA = osp.join(osp.dirname(__file__), 'data')
COCO_IMAGES = osp.join(DATA, 'coco') + '/'
# COCO AP when, of two ground truths (one per image), only the higher
# scored prediction matches: precision 1 up to recall 0.5, i.e. 51 of the
# 101 recall thresholds.
HALF_MATCHED_AP = 51 / 101


def data_cfg(num_joints, image_size=(256, 256), **kwargs):
    cfg = dict(
        image_size=list(image_size),
        heatmap_size=[s // 4 for s in image_size],
        num_output_channels=num_joints,
        num_joints=num_joints,
        dataset_channel=[list(range(num_joints))],
        inference_channel=list(range(num_joints)),
        use_gt_bbox=True, bbox_file='', det_bbox_thr=0.0, soft_nms=False,
        nms_thr=1.0, oks_thr=0.9, vis_thr=0.2)
    cfg.update(kwargs)
    return cfg


def build(type_, ann_file, img_prefix, num_joints, test_mode=True, **kw):
    return build_dataset(
        dict(type=type_, ann_file=osp.join(DATA, ann_file),
             img_prefix=img_prefix, data_cfg=data_cfg(num_joints, **kw),
             pipeline=[], test_mode=test_mode))


def shifted_outputs(dataset, shifts, scores=None):
    """Outputs of the ground truth moved by ``shifts`` (N, 2) per sample."""
    gts = np.stack([r['joints_3d'][:, :2] for r in dataset.db])
    return outputs_from_db(
        dataset, gts + np.asarray(shifts, dtype=np.float64)[:, None],
        scores)


NEW_DATASETS = ('AnimalAP10KDataset', 'TopDownHalpeDataset',
                'TopDownH36MDataset', 'FaceCocoWholeBodyDataset',
                'HandCocoWholeBodyDataset', 'BottomUpCocoWholeBodyDataset')


@pytest.mark.parametrize('name', NEW_DATASETS)
def test_constructor_has_the_029_order(name):
    params = list(inspect.signature(DATASETS.get(name)).parameters)
    assert params == ['ann_file', 'img_prefix', 'data_cfg', 'pipeline',
                      'dataset_info', 'test_mode']


# ---------------------------------------------------------------- face
@pytest.fixture(scope='module')
def face():
    return build('FaceCocoWholeBodyDataset',
                 'coco_wholebody_face/test_coco_wholebody_face.json',
                 COCO_IMAGES, 68)


def test_face_reads_valid_faces_with_their_face_box(face):
    # annotation 3 has face_valid False
    assert len(face) == 2 and face.dataset_name == 'coco_wholebody_face'
    rec = face.db[0]
    assert rec['bbox'] == [345, 55, 70, 70]
    np.testing.assert_allclose(rec['center'], [380, 90])
    np.testing.assert_allclose(rec['scale'], [70 * 1.25 / 200] * 2)
    np.testing.assert_allclose(rec['joints_3d'][[36, 45], :2],
                               [[350, 80], [390, 80]])


def test_face_nme(face):
    assert face.evaluate(outputs_from_db(face), metric='NME') == {'NME': 0}
    # 5 px everywhere over inter-ocular distances 40 and 30
    result = face.evaluate(shifted_outputs(face, [[3, 4], [3, 4]]), None,
                           'NME')
    assert result['NME'] == pytest.approx((5 / 40 + 5 / 30) / 2)


def test_face_refuses_other_metrics(face):
    with pytest.raises(KeyError, match='PCK'):
        face.evaluate(outputs_from_db(face), metric='PCK')


# ---------------------------------------------------------------- hand
@pytest.fixture(scope='module')
def hand():
    return build('HandCocoWholeBodyDataset',
                 'coco_wholebody_hand/test_coco_wholebody_hand.json',
                 COCO_IMAGES, 21)


def test_hand_reads_each_valid_hand(hand):
    assert [r['bbox'] for r in hand.db] == [[400, 200, 50, 40],
                                           [150, 150, 50, 40]]
    np.testing.assert_allclose(hand.db[0]['center'], [425, 220])
    np.testing.assert_allclose(hand.db[0]['scale'], [50 * 1.25 / 200] * 2)
    np.testing.assert_allclose(hand.db[1]['joints_3d'][0], [152, 152, 0])


def test_hand_metrics(hand):
    perfect = hand.evaluate(outputs_from_db(hand),
                            metric=['PCK', 'AUC', 'EPE'])
    assert perfect == {'PCK': 1.0, 'AUC': pytest.approx(0.95), 'EPE': 0}
    # 15 px (above 0.2 * 50 = 10) and 5 px; AUC over 30 px: 16 of the 20
    # thresholds pass the 5 px hand, 9 the 15 px one
    result = hand.evaluate(shifted_outputs(hand, [[9, 12], [3, 4]]),
                           metric=['PCK', 'AUC', 'EPE'])
    assert result['PCK'] == pytest.approx(0.5)
    assert result['AUC'] == pytest.approx((16 + 9) / 2 / 20)
    assert result['EPE'] == pytest.approx(10)


# ---------------------------------------------------------------- h36m
@pytest.fixture(scope='module')
def h36m():
    return build('TopDownH36MDataset', 'h36m_2d/test_h36m_2d.json',
                 osp.join(DATA, 'h36m') + '/', 17)


def test_h36m_keeps_annotated_boxes_and_labelled_people(h36m):
    # the third person has no labelled keypoint; boxes are not clipped
    assert [r['bbox'] for r in h36m.db] == [[400, 300, 100, 200],
                                           [-10, 500, 150, 100]]
    assert h36m.dataset_name == 'h36m'
    np.testing.assert_allclose(h36m.db[1]['center'], [65, 550])


def test_h36m_pck_epe(h36m):
    assert h36m.evaluate(outputs_from_db(h36m), metric=['PCK', 'EPE']) == {
        'PCK': 1.0, 'EPE': 0}
    # 50 px against 0.2 * 200 = 40 fails, 20 px against 0.2 * 150 passes
    result = h36m.evaluate(shifted_outputs(h36m, [[30, 40], [12, 16]]),
                           metric=['PCK', 'EPE'])
    assert result == {'PCK': pytest.approx(0.5), 'EPE': pytest.approx(35)}


# ---------------------------------------------------------------- ap10k
@pytest.fixture(scope='module')
def ap10k():
    return build('AnimalAP10KDataset', 'ap10k/test_ap10k.json', COCO_IMAGES,
                 17)


def test_ap10k_records_keep_species_and_ap10k_clipping(ap10k):
    assert [r['category_id'] for r in ap10k.db] == [1, 2]
    # x2 = min(width - 1, x1 + w): no one-pixel shrink
    assert ap10k.db[0]['bbox'] == [100, 100, 200, 150]
    assert ap10k.dataset_name == 'ap10k'


def test_ap10k_map_per_species(ap10k, tmp_path):
    perfect = ap10k.evaluate(outputs_from_db(ap10k), str(tmp_path), 'mAP')
    assert perfect['AP'] == pytest.approx(1.0)
    written = json.loads((tmp_path / 'result_keypoints.json').read_text())
    assert sorted(r['category_id'] for r in written) == [1, 2]
    # the dog is predicted 100 px off: AP 1 for antelopes, 0 for dogs
    result = ap10k.evaluate(shifted_outputs(ap10k, [[0, 0], [100, 100]]))
    assert result['AP'] == pytest.approx(0.5)


def test_ap10k_refuses_detected_boxes():
    with pytest.raises(ValueError, match='use_gt_bbox'):
        build('AnimalAP10KDataset', 'ap10k/test_ap10k.json', COCO_IMAGES,
              17, use_gt_bbox=False)


# ---------------------------------------------------------------- halpe
@pytest.fixture(scope='module')
def halpe():
    return build('TopDownHalpeDataset', 'halpe/test_halpe_val.json',
                 COCO_IMAGES, 136, image_size=(192, 256))


def test_halpe_reads_split_and_single_field_files(halpe):
    train = build('TopDownHalpeDataset', 'halpe/test_halpe_train.json',
                  COCO_IMAGES, 136, image_size=(192, 256))
    assert len(halpe) == len(train) == 2
    for a, b in zip(halpe.db, train.db):
        np.testing.assert_array_equal(a['joints_3d'], b['joints_3d'])
    # body point 0 at the box corner + 2, foot 0 (index 20) at the box
    # bottom - 28, face 0 (index 26) at the face box + 2
    np.testing.assert_allclose(halpe.db[0]['joints_3d'][[0, 20, 26], :2],
                               [[252, 52], [252, 322], [262, 57]])


def test_halpe_map_and_result_fields(halpe, tmp_path):
    perfect = halpe.evaluate(outputs_from_db(halpe), str(tmp_path), 'mAP')
    assert perfect['AP'] == pytest.approx(1.0)
    written = json.loads((tmp_path / 'result_keypoints.json').read_text())
    # 0.29: COCO-style, the 136 keypoints flat in 'keypoints'
    assert len(written[0]['keypoints']) == 136 * 3
    assert 'foot_kpts' not in written[0]
    # second person 100 px off and scored lower
    scores = np.stack([np.ones(136), np.full(136, 0.5)])
    result = halpe.evaluate(
        shifted_outputs(halpe, [[0, 0], [100, 100]], scores))
    assert result['AP'] == pytest.approx(HALF_MATCHED_AP)


# ---------------------------------------------------------------- bottom-up
@pytest.fixture(scope='module')
def bottom_up():
    cfg = dict(image_size=512, heatmap_size=[128], num_joints=133,
               dataset_channel=[list(range(133))],
               inference_channel=list(range(133)), num_scales=1,
               scale_aware_sigma=False, base_size=256, base_sigma=2)
    return build_dataset(dict(
        type='BottomUpCocoWholeBodyDataset',
        ann_file=osp.join(DATA, 'coco_wholebody_bottom_up',
                          'test_coco_wholebody_bottom_up.json'),
        img_prefix=COCO_IMAGES, data_cfg=cfg, pipeline=[],
        test_mode=True))


def test_bottom_up_wholebody_joins_the_parts(bottom_up):
    sample = bottom_up._get_single(0)
    joints = sample['joints'][0]
    assert joints.shape == (1, 133, 3)
    # body 0, foot 0 (17), face 0 (23), left hand 0 (91), right hand 0 (112)
    np.testing.assert_allclose(
        joints[0, [0, 17, 23, 91, 112], :2],
        [[252, 52], [252, 322], [262, 57], [257, 112], [407, 112]])
    assert bottom_up.ann_info['flip_index'][17] == 20


def _bottom_up_outputs(dataset, shifts, scores):
    outputs = []
    for idx, (shift, score) in enumerate(zip(shifts, scores)):
        joints = dataset._get_single(idx)['joints'][0][0]
        pred = np.concatenate(
            [joints[:, :2] + shift, np.ones((133, 1)), np.zeros((133, 1))],
            axis=1)
        outputs.append(dict(preds=[pred], scores=[score],
                            image_paths=[dataset._get_single(idx)
                                         ['image_file']]))
    return outputs


def test_bottom_up_wholebody_map(bottom_up, tmp_path):
    perfect = bottom_up.evaluate(
        _bottom_up_outputs(bottom_up, [[0, 0], [0, 0]], [1.0, 0.9]),
        str(tmp_path))
    assert perfect['AP'] == pytest.approx(1.0)
    written = json.loads((tmp_path / 'result_keypoints.json').read_text())
    assert len(written[0]['keypoints']) == 51
    assert len(written[0]['righthand_kpts']) == 63
    result = bottom_up.evaluate(
        _bottom_up_outputs(bottom_up, [[0, 0], [100, 100]], [1.0, 0.5]))
    assert result['AP'] == pytest.approx(HALF_MATCHED_AP)


# ------------------------------------------------- the 0.29 configs' splits
CONFIG_SAMPLES = {
    'animal/2d_kpt_sview_rgb_img/topdown_heatmap/ap10k/'
    'hrnet_w32_ap10k_256x256.json': ('ap10k/test_ap10k.json', COCO_IMAGES),
    'wholebody/2d_kpt_sview_rgb_img/topdown_heatmap/halpe/'
    'hrnet_w32_halpe_256x192.json': ('halpe/test_halpe_val.json',
                                     COCO_IMAGES),
    'body/2d_kpt_sview_rgb_img/topdown_heatmap/h36m/'
    'hrnet_w32_h36m_256x256.json': ('h36m_2d/test_h36m_2d.json',
                                    osp.join(DATA, 'h36m') + '/'),
    'face/2d_kpt_sview_rgb_img/topdown_heatmap/coco_wholebody_face/'
    'res50_coco_wholebody_face_256x256.json':
    ('coco_wholebody_face/test_coco_wholebody_face.json', COCO_IMAGES),
    'hand/2d_kpt_sview_rgb_img/topdown_heatmap/coco_wholebody_hand/'
    'res50_coco_wholebody_hand_256x256.json':
    ('coco_wholebody_hand/test_coco_wholebody_hand.json', COCO_IMAGES),
    'wholebody/2d_kpt_sview_rgb_img/associative_embedding/coco-wholebody/'
    'hrnet_w32_coco_wholebody_512x512.json':
    ('coco_wholebody_bottom_up/test_coco_wholebody_bottom_up.json',
     COCO_IMAGES),
}


@pytest.mark.parametrize('config', sorted(CONFIG_SAMPLES))
def test_029_config_test_split_runs_its_pipeline_on_the_sample(config):
    cfg = copy.deepcopy(packed_manifests('0.29')[config]['cfg'])
    split = cfg['data']['test']
    ann_file, img_prefix = CONFIG_SAMPLES[config]
    split.update(ann_file=osp.join(DATA, ann_file), img_prefix=img_prefix,
                 test_mode=True)
    # Halpe's test split reads COCO person detections; use the boxes
    split['data_cfg']['use_gt_bbox'] = True
    dataset = build_dataset(split)
    sample = dataset[0]
    metas = sample['img_metas'].data
    assert metas['image_file'] == osp.join(
        img_prefix, dataset.id2name[dataset.img_ids[0]])
    if split['type'] == 'BottomUpCocoWholeBodyDataset':
        # one normalised (1, 3, H, W) image per test scale, 133-point flips
        assert metas['aug_data'][0].shape[:2] == (1, 3)
        assert len(metas['flip_index']) == 133
    else:
        width, height = cfg['data_cfg']['image_size']
        assert tuple(sample['img'].shape) == (3, height, width)
