"""Dataset facts against an independent source: the ``dataset_info`` tables
that MMPose 0.29 configs carry (packed ``configs-0.29`` manifests).

- the flip pairs and OKS sigmas of every 0.14 dataset class (its instance's
  ``ann_info['flip_pairs']`` and ``sigmas``) equal the table of the dataset
  its 0.29 config names;
- the inference APIs' flip pairs, per dataset name, equal that table;
- OKS-based AP, per dataset, on one person predicted with every visible
  keypoint off by a distance worked out from the table's sigmas so that
  the OKS is known: AP counts the COCO thresholds (0.50, 0.55, ... 0.95)
  that OKS reaches.
"""
import copy
import json
import math

import numpy as np
import pytest

from mmpose.apis.dataset_meta import get_flip_pairs
from .helpers import DATA, build_reference_dataset, outputs_from_db
from .reference import packed_manifests


def _tables() -> dict:
    """0.29 dataset class -> {dataset_name: dataset_info} of its configs."""
    tables = {}
    for manifest in packed_manifests('0.29').values():
        cfg = manifest['cfg']
        test = cfg.get('data', {}).get('test', {})
        info = cfg.get('dataset_info') or test.get('dataset_info')
        if info and 'type' in test:
            tables.setdefault(test['type'], {})[info['dataset_name']] = info
    return tables


TABLES = _tables()


def table_flip_pairs(info: dict) -> set:
    """{(i, j)} with i < j from the table's 'swap' names. A keypoint's
    index is its key in ``keypoint_info``, as 0.29's ``DatasetInfo`` reads
    it (DeepFashion-full's entries repeat the 'id' values 0-3)."""
    index = {k['name']: int(key) for key, k in info['keypoint_info'].items()}
    return {tuple(sorted((int(key), index[k['swap']])))
            for key, k in info['keypoint_info'].items() if k['swap']}


def as_pairs(pairs) -> set:
    return {tuple(sorted(map(int, p))) for p in pairs}


def class_flip_pairs(ann_info: dict) -> set:
    """Top-down classes list pairs; bottom-up ones the mirrored index of
    every keypoint."""
    if 'flip_pairs' in ann_info:
        return as_pairs(ann_info['flip_pairs'])
    return {tuple(sorted((i, j)))
            for i, j in enumerate(ann_info['flip_index']) if i != j}


# 0.14 class -> (0.14 reference config, sample annotation, image folder,
# extra arguments). The class's table is the one its 0.29 configs name.
SAMPLES = {
    'TopDownCocoDataset':
    ('top_down/resnet/coco/res50_coco_256x192.json', 'coco/test_coco.json',
     'coco', {}),
    'TopDownCocoWholeBodyDataset':
    ('wholebody/resnet/coco-wholebody/res50_coco_wholebody_256x192.json',
     'coco/test_coco_wholebody.json', 'coco', {}),
    'TopDownAicDataset': ('top_down/resnet/aic/res101_aic_256x192.json',
                          'aic/test_aic.json', 'aic', {}),
    'TopDownCrowdPoseDataset':
    ('top_down/resnet/crowdpose/res50_crowdpose_256x192.json',
     'crowdpose/test_crowdpose.json', 'crowdpose', {}),
    'TopDownMhpDataset': ('top_down/resnet/mhp/res50_mhp_256x192.json',
                          'mhp/test_mhp.json', 'mhp', {}),
    'TopDownOCHumanDataset':
    ('top_down/resnet/ochuman/res101_ochuman_256x192.json',
     'ochuman/test_ochuman.json', 'ochuman', {}),
    'TopDownMpiiDataset': ('top_down/resnet/mpii/res50_mpii_256x256.json',
                           'mpii/test_mpii.json', 'mpii', {}),
    'TopDownMpiiTrbDataset':
    ('top_down/resnet/mpii_trb/res50_mpii_trb_256x256.json',
     'mpii/test_mpii_trb.json', 'mpii', {}),
    'TopDownPoseTrack18Dataset':
    ('top_down/hrnet/posetrack18/hrnet_w32_posetrack18_256x192.json',
     'posetrack18/test_posetrack18.json', 'posetrack18', {}),
    'TopDownJhmdbDataset':
    ('top_down/resnet/jhmdb/res50_jhmdb_sub1_256x256.json',
     'jhmdb/test_jhmdb_sub1.json', 'jhmdb', {}),
    'BottomUpCocoDataset':
    ('bottom_up/resnet/coco/res50_coco_512x512.json', 'coco/test_coco.json',
     'coco', {}),
    'BottomUpAicDataset': ('bottom_up/higherhrnet/aic/'
                           'higher_hrnet32_aic_512x512.json',
                           'aic/test_aic.json', 'aic', {}),
    'BottomUpCrowdPoseDataset':
    ('bottom_up/higherhrnet/crowdpose/higher_hrnet32_crowdpose_512x512.json',
     'crowdpose/test_crowdpose.json', 'crowdpose', {}),
    'BottomUpMhpDataset': ('bottom_up/hrnet/mhp/hrnet_w48_mhp_512x512.json',
                           'mhp/test_mhp.json', 'mhp', {}),
    'Face300WDataset': ('face/hrnetv2/300w/hrnetv2_w18_300w_256x256.json',
                        '300w/test_300w.json', '300w', {}),
    'FaceAFLWDataset': ('face/hrnetv2/aflw/hrnetv2_w18_aflw_256x256.json',
                        'aflw/test_aflw.json', 'aflw', {}),
    'FaceCOFWDataset': ('face/hrnetv2/cofw/hrnetv2_w18_cofw_256x256.json',
                        'cofw/test_cofw.json', 'cofw', {}),
    'FaceWFLWDataset': ('face/hrnetv2/wflw/hrnetv2_w18_wflw_256x256.json',
                        'wflw/test_wflw.json', 'wflw', {}),
    'OneHand10KDataset':
    ('hand/resnet/onehand10k/res50_onehand10k_256x256.json',
     'onehand10k/test_onehand10k.json', 'onehand10k', {}),
    'FreiHandDataset': ('hand/resnet/freihand/res50_freihand_224x224.json',
                        'freihand/test_freihand.json', 'freihand', {}),
    'PanopticDataset': ('hand/resnet/panoptic/res50_panoptic_256x256.json',
                        'panoptic/test_panoptic.json', 'panoptic', {}),
    'Rhd2DDataset': ('hand/resnet/rhd2d/res50_rhd2d_256x256.json',
                     'rhd/test_rhd.json', 'rhd', {}),
    'AnimalATRWDataset': ('animal/resnet/atrw/res50_atrw_256x256.json',
                          'atrw/test_atrw.json', 'atrw', {}),
    'AnimalFlyDataset': ('animal/resnet/fly/res50_fly_192x192.json',
                         'fly/test_fly.json', 'fly', {}),
    'AnimalHorse10Dataset':
    ('animal/resnet/horse10/res50_horse10_256x256-split1.json',
     'horse10/test_horse10.json', 'horse10', {}),
    'AnimalLocustDataset': ('animal/resnet/locust/res50_locust_160x160.json',
                            'locust/test_locust.json', 'locust', {}),
    'AnimalMacaqueDataset':
    ('animal/resnet/macaque/res50_macaque_256x192.json',
     'macaque/test_macaque.json', 'macaque', {}),
    'AnimalPoseDataset':
    ('animal/resnet/animalpose/res50_animalpose_256x256.json',
     'animalpose/test_animalpose.json', 'animalpose', {}),
    'AnimalZebraDataset': ('animal/resnet/zebra/res50_zebra_160x160.json',
                           'zebra/test_zebra.json', 'zebra', {}),
    'DeepFashionDataset':
    ('fashion/resnet/deepfashion/res50_deepfashion_full_256x192.json',
     'fld/test_fld.json', 'fld', {}),
}


def build_sample(type_: str, ann_file=None):
    config, ann, prefix, extra = SAMPLES[type_]
    data_cfg = dict(use_gt_bbox=True) if type_.startswith('TopDown') else {}
    return build_reference_dataset(type_, config, ann_file or DATA / ann,
                                   DATA / prefix, data_cfg, **extra)


def table_of(type_: str, num_keypoints: int) -> dict:
    """The table a class's 0.29 configs use (by keypoint count for
    DeepFashion's three layouts)."""
    tables = [t for t in TABLES[type_].values()
              if len(t['keypoint_info']) == num_keypoints]
    assert len(tables) == 1, (type_, num_keypoints, list(TABLES[type_]))
    return tables[0]


def test_every_class_has_a_table():
    assert set(SAMPLES) <= set(TABLES)


@pytest.mark.parametrize('type_', sorted(SAMPLES))
def test_class_flip_pairs_and_sigmas_match_the_table(type_):
    dataset = build_sample(type_)
    num_joints = dataset.ann_info['num_joints']
    table = table_of(type_, num_joints)
    expected = table_flip_pairs(table)
    if type_ == 'TopDownPoseTrack18Dataset':
        # the one 0.14 class that differs from 0.29's table: it reused
        # COCO's pairs, so head_bottom (1) and head_top (2) swap
        expected = expected | {(1, 2)}
    assert class_flip_pairs(dataset.ann_info) == expected, \
        table['dataset_name']
    sigmas = getattr(dataset, 'sigmas', None)
    if table.get('sigmas'):
        assert sigmas is not None, f'{type_} has no OKS sigmas'
        np.testing.assert_allclose(sigmas, table['sigmas'], rtol=1e-6)


@pytest.mark.parametrize('type_', sorted(SAMPLES))
def test_inference_flip_pairs_match_the_table(type_):
    for table in TABLES[type_].values():
        num_keypoints = len(table['keypoint_info'])
        assert as_pairs(get_flip_pairs(type_, num_keypoints)) == \
            table_flip_pairs(table), table['dataset_name']


# ------------------------------------------------------------- OKS metrics
OKS_DATASETS = ['TopDownCocoDataset', 'TopDownCocoWholeBodyDataset',
                'TopDownAicDataset', 'TopDownCrowdPoseDataset',
                'TopDownMhpDataset', 'TopDownOCHumanDataset',
                'AnimalATRWDataset', 'AnimalMacaqueDataset',
                'AnimalPoseDataset']
# 0.x evaluates these with use_area=False: the object scale is then
# 0.53 x box width x box height instead of the annotated area.
BOX_SCALED = {'TopDownAicDataset', 'TopDownCrowdPoseDataset',
              'TopDownMhpDataset'}
# COCO-WholeBody keeps its 133 keypoints in five fields, in this order.
WHOLEBODY_PARTS = ('keypoints', 'foot_kpts', 'face_kpts', 'lefthand_kpts',
                   'righthand_kpts')


def one_person_annotation(type_: str, tmp_path) -> tuple:
    """The sample annotation cut down to one image and its most visible
    person; returns (path, that annotation)."""
    _, ann, _, _ = SAMPLES[type_]
    with open(DATA / ann) as f:
        content = json.load(f)
    person = max(content['annotations'],
                 key=lambda a: (a.get('num_keypoints', 0), -a['id']))
    content['annotations'] = [person]
    content['images'] = [i for i in content['images']
                         if i['id'] == person['image_id']]
    path = tmp_path / 'one_person.json'
    path.write_text(json.dumps(content))
    return path, person


def predictions_at_oks(dataset, person: dict, sigmas, oks: float,
                       area: float) -> list:
    """One model output moving every visible keypoint of ``person`` right
    by d = 2 sigma sqrt(2 area E), E = -ln(oks): each keypoint's OKS term
    exp(-d^2 / (2 area (2 sigma)^2)) is then ``oks``, and so is the mean."""
    gt = np.concatenate([
        np.asarray(person[part], dtype=np.float64).reshape(-1, 3)
        for part in WHOLEBODY_PARTS if part in person])
    shift = 2 * np.asarray(sigmas) * math.sqrt(2 * area * -math.log(oks))
    preds = gt[:, :2] + np.stack([np.where(gt[:, 2] > 0, shift, 0.),
                                  np.zeros(len(gt))], 1)
    return outputs_from_db(dataset, preds[None])


@pytest.mark.parametrize('type_', OKS_DATASETS)
@pytest.mark.parametrize('oks, ap', [(0.7505, 0.6), (0.7495, 0.5)])
def test_oks_ap_follows_the_table_sigmas(type_, oks, ap, tmp_path):
    """OKS just above 0.75 passes 6 of the 10 thresholds, just below it 5:
    a sigma off by a few percent on any keypoint moves the OKS across."""
    path, person = one_person_annotation(type_, tmp_path)
    dataset = build_sample(type_, ann_file=path)
    assert len(dataset.db) == 1
    table = table_of(type_, dataset.ann_info['num_joints'])
    width, height = person['bbox'][2:4]
    area = (0.53 * width * height if type_ in BOX_SCALED else person['area'])
    outputs = predictions_at_oks(dataset, person, table['sigmas'], oks, area)
    results = dict(dataset.evaluate(copy.deepcopy(outputs), str(tmp_path),
                                    metric='mAP'))
    assert results['AP'] == pytest.approx(ap), results
