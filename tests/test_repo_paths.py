"""Config paths that MMPose 0.x code writes relative to the repository root
(``configs/...``) are found from any working directory; a path that exists
nowhere still raises ``FileNotFoundError`` naming it."""
import os.path as osp

import pytest

import mmpose
from mmpose.apis import init_pose_model
from mmpose.apis.webcam.utils import get_config_path
from mmpose.core.post_processing import Smoother
from mmpose.utils.config_paths import (config_search_dirs, find_config_file,
                                       load_config)

ONE_EURO = 'configs/_base_/filters/one_euro.py'
RES50_COCO = ('configs/body/2d_kpt_sview_rgb_img/topdown_heatmap/coco/'
              'res50_coco_256x192.py')
PACKAGE_DIR = osp.dirname(osp.abspath(mmpose.__file__))


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """Run from an empty folder outside the repository."""
    monkeypatch.chdir(tmp_path)
    assert not osp.exists('configs')
    return tmp_path


def test_smoother_finds_a_filter_config(elsewhere):
    smoother = Smoother(filter_cfg=ONE_EURO)
    # 0.29's one_euro.py
    assert dict(smoother.filter_cfg) == dict(
        type='OneEuroFilter', min_cutoff=0.004, beta=0.7)


@pytest.mark.slow
def test_init_pose_model_finds_a_model_config(elsewhere):
    model = init_pose_model(RES50_COCO, device='cpu')
    assert model.cfg.filename.endswith(RES50_COCO)
    assert type(model.backbone).__name__ == 'ResNet'
    assert model.backbone.depth == 50


def test_a_dataset_info_base_file_is_found(elsewhere):
    cfg = load_config('configs/_base_/datasets/coco.py')
    assert cfg.dataset_info['dataset_name'] == 'coco'
    assert len(cfg.dataset_info['keypoint_info']) == 17


def test_webcam_nodes_find_configs_of_the_package(elsewhere):
    # the webcam nodes' default smoothing config and their model configs
    assert osp.isfile(get_config_path(ONE_EURO, 'mmpose'))
    assert get_config_path(RES50_COCO, 'mmpose').endswith(RES50_COCO)


def test_filter_configs_ship_inside_the_package():
    # what a non-editable install finds (setup.py's package_data)
    for name in ('gaussian', 'one_euro', 'savizky_golay',
                 'smoothnet_t8_h36m'):
        assert osp.isfile(osp.join(PACKAGE_DIR, 'configs', '_base_',
                                   'filters', f'{name}.py')), name
    assert PACKAGE_DIR in config_search_dirs('mmpose')


def test_a_path_found_from_the_working_directory_wins(elsewhere):
    local = elsewhere / 'configs' / '_base_' / 'filters' / 'one_euro.py'
    local.parent.mkdir(parents=True)
    local.write_text("filter_cfg = dict(type='GaussianFilter')\n")
    assert find_config_file(ONE_EURO) == ONE_EURO
    assert Smoother(ONE_EURO).filter_cfg['type'] == 'GaussianFilter'


@pytest.mark.parametrize('load', [
    lambda path: Smoother(filter_cfg=path),
    lambda path: init_pose_model(path, device='cpu'),
    lambda path: get_config_path(path, 'mmpose'),
    load_config,
])
def test_a_path_that_exists_nowhere_is_named(elsewhere, load):
    with pytest.raises(FileNotFoundError,
                       match='configs/_base_/filters/no_such_filter.py'):
        load('configs/_base_/filters/no_such_filter.py')
