"""COCO-style helpers shared by the keypoint datasets.

Loading COCO-format annotation files, writing result files and running the
xtcocotools ``COCOeval`` (OKS sigmas, crowd handling, ``use_area`` and the
COCO-WholeBody part-wise iou types) live here once; dataset classes only say
which sigmas and which iou type they need.
"""
import contextlib
import json
import os.path as osp
import tempfile
import warnings
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np

from mmpose.errors import ArgumentError, ArgumentTypeError

#: Names of ``COCOeval.stats`` for the ``'keypoints*'`` iou types.
COCO_STATS_NAMES = ('AP', 'AP .5', 'AP .75', 'AP (M)', 'AP (L)', 'AR',
                    'AR .5', 'AR .75', 'AR (M)', 'AR (L)')
#: Names of ``COCOeval.stats`` for the ``'keypoints_crowd'`` iou type.
CROWDPOSE_STATS_NAMES = ('AP', 'AP .5', 'AP .75', 'AR', 'AR .5', 'AR .75',
                         'AP(E)', 'AP(M)', 'AP(H)')


def _to_builtin(obj: Any) -> Any:
    """``json.dump`` fallback turning NumPy values into Python ones."""
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    raise ArgumentTypeError(f'{type(obj).__name__} is not JSON serialisable')


@contextlib.contextmanager
def result_folder(res_folder: Optional[str]) -> Iterator[str]:
    """``res_folder``, or a temporary folder (removed on exit) when it is
    None (0.29 made ``res_folder`` of ``evaluate`` optional)."""
    if res_folder:
        yield res_folder
        return
    with tempfile.TemporaryDirectory() as tmp_folder:
        yield tmp_folder


def write_json(obj: Any, path: str) -> None:
    """Write ``obj`` (lists/dicts possibly holding NumPy values) as JSON.

    The layout (``sort_keys=True, indent=4``) is the one of the 0.x result
    files.
    """
    with open(path, 'w') as f:
        json.dump(obj, f, sort_keys=True, indent=4, default=_to_builtin)


def load_json(path: str, what: str = 'annotation file') -> Any:
    """Read a JSON file, raising an error naming the file when it is empty.

    Args:
        path (str): Path of the file.
        what (str): What the file is, used in error messages.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{what} {path} does not exist')
    with open(path, 'r') as f:
        text = f.read()
    if not text.strip():
        raise ArgumentError(f'{what} {path} is empty')
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ArgumentError(f'{what} {path} is not valid JSON: {err}') from err


def load_coco(ann_file: str):
    """Build an ``xtcocotools.coco.COCO`` index, checking the file first.

    A file without ``annotations`` (e.g. a test-dev split read with
    detected boxes) loads as in 0.29; its datasets build no ground-truth
    instances and their ``evaluate`` warns and returns ``{}`` (see
    :func:`has_ground_truth`).

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: the file is empty or holds no image list.
    """
    data = load_json(ann_file)
    if not isinstance(data, dict) or 'images' not in data:
        raise ArgumentError(f'annotation file {ann_file} is not in COCO '
                            "format (no 'images' list)")
    from xtcocotools.coco import COCO

    # some formats (AIC) omit 'iscrowd', which COCO indexing and COCOeval
    # read on every annotation
    for ann in data.get('annotations', ()):
        ann.setdefault('iscrowd', 0)
    return COCO(ann_file, ann_data=data)


def has_ground_truth(coco, res_file: str) -> bool:
    """Whether ``coco`` holds ground-truth annotations to evaluate against;
    without them (0.29) the evaluation is skipped with a ``UserWarning``.

    Args:
        coco (COCO): The dataset's ground-truth index.
        res_file (str): The result file just written (kept when the caller
            gave ``res_folder``).
    """
    if coco.dataset.get('annotations'):
        return True
    warnings.warn('the ground-truth file has no annotations, so the '
                  'predictions are not evaluated (they were written to '
                  f'{osp.abspath(res_file)}, a temporary folder unless '
                  'res_folder is given)')
    return False


def coco_keypoint_eval(coco_gt,
                       res_file: str,
                       sigmas: Sequence[float],
                       iou_type: str = 'keypoints',
                       use_area: bool = True,
                       stats_names: Optional[Sequence[str]] = None
                       ) -> List[Tuple[str, float]]:
    """Run ``COCOeval`` on a keypoint result file.

    Args:
        coco_gt (COCO): Ground-truth index.
        res_file (str): Result json written by a dataset (list of dicts with
            ``image_id``, ``category_id``, ``keypoints``, ``score``).
        sigmas (Sequence[float]): Per-keypoint OKS sigmas (K,).
        iou_type (str): ``'keypoints'``, ``'keypoints_crowd'`` (CrowdPose,
            ``crowdIndex``-based easy/medium/hard APs) or one of the
            COCO-WholeBody part types ``'keypoints_{body,foot,face,
            lefthand,righthand,wholebody}'``.
        use_area (bool): Use the annotated area as object scale; datasets
            whose area is unreliable (AIC, CrowdPose, MHP) pass False and the
            box area is used instead.
        stats_names (Sequence[str] | None): Names of ``COCOeval.stats``;
            chosen from ``iou_type`` when None.

    Returns:
        list[tuple[str, float]]: ``(name, value)`` pairs in stats order.
    """
    from xtcocotools.cocoeval import COCOeval

    if stats_names is None:
        stats_names = (
            CROWDPOSE_STATS_NAMES
            if iou_type == 'keypoints_crowd' else COCO_STATS_NAMES)
    with open(res_file, 'r') as f:
        results = json.load(f)
    if not results:
        # Nothing detected (e.g. an untrained model early in training):
        # every precision and recall is zero.
        warnings.warn(f'{res_file} holds no keypoint results; all COCO '
                      'metrics are 0')
        return [(name, 0.0) for name in stats_names]
    coco_det = coco_gt.loadRes(res_file)
    coco_eval = COCOeval(
        coco_gt, coco_det, iou_type, np.asarray(sigmas), use_area=use_area)
    coco_eval.params.useSegm = None
    coco_eval.evaluate()
    coco_eval.accumulate()
    coco_eval.summarize()
    return [(name, float(value))
            for name, value in zip(stats_names, coco_eval.stats)]


def coco_wholebody_eval(coco_gt, res_file: str,
                        part_sigmas: Dict[str, Sequence[float]],
                        use_area: bool = True) -> List[Tuple[str, float]]:
    """COCO-WholeBody evaluation: one ``COCOeval`` per part, then all.

    Args:
        coco_gt (COCO): Ground-truth index (annotations carry
            ``foot_kpts``, ``face_kpts``, ``lefthand_kpts``,
            ``righthand_kpts`` beside ``keypoints``).
        res_file (str): Result json with the same per-part fields.
        part_sigmas (dict[str, Sequence[float]]): Sigmas of ``'body'``,
            ``'foot'``, ``'face'``, ``'lefthand'``, ``'righthand'`` in this
            order; their concatenation is used for ``'wholebody'``.
        use_area (bool): See :func:`coco_keypoint_eval`.

    Returns:
        list[tuple[str, float]]: The whole-body stats (the number reported by
        0.x); the part results are printed by ``COCOeval.summarize``.
    """
    for part, sigmas in part_sigmas.items():
        print(f'=> COCO-WholeBody part: {part}')
        coco_keypoint_eval(coco_gt, res_file, sigmas, f'keypoints_{part}',
                           use_area)
    all_sigmas = np.concatenate(
        [np.asarray(s, dtype=np.float64) for s in part_sigmas.values()])
    print('=> COCO-WholeBody: wholebody')
    return coco_keypoint_eval(coco_gt, res_file, all_sigmas,
                              'keypoints_wholebody', use_area)
