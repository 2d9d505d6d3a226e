"""0.29's ``score_per_joint`` of the OKS NMS functions: a pose ranks by the
mean of its keypoint scores."""
import numpy as np
import pytest

from mmpose.core.post_processing import oks_nms, soft_oks_nms


def two_identical_poses():
    kpts = np.array([[10.0, 10.0, 1.0], [20.0, 30.0, 1.0], [40.0, 15.0, 1.0]])
    # pose 0: max 0.9 but mean 0.4; pose 1: mean 0.5
    return [
        dict(keypoints=kpts, score=np.array([0.9, 0.2, 0.1]), area=400.0),
        dict(keypoints=kpts.copy(), score=np.array([0.5, 0.5, 0.5]),
             area=400.0),
    ]


@pytest.mark.parametrize('nms', [
    lambda db, **kw: oks_nms(db, 0.9, **kw),
    lambda db, **kw: soft_oks_nms(db, 0.3, **kw),
])
def test_mean_keypoint_score_ranks_the_poses(nms):
    sigmas = np.full(3, 0.05)
    keep = nms(two_identical_poses(), sigmas=sigmas, score_per_joint=True)
    assert keep[0] == 1


def test_identical_poses_keep_the_higher_score_only():
    db = two_identical_poses()
    for pose, score in zip(db, (0.3, 0.6)):
        pose['score'] = score
    assert list(oks_nms(db, 0.9, sigmas=np.full(3, 0.05))) == [1]
