"""Helpers shared by the demo scripts: person boxes from COCO annotations or
mmdet detections, video reading/writing, and the optional mmdet import."""
import os
import os.path as osp
import sys
from typing import Iterator, List, Optional, Sequence, Tuple

import cv2
import numpy as np

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)


def dataset_of(model, default: str = 'TopDownCocoDataset') -> str:
    """The dataset name of a model's test set (selects flip pairs and the
    drawing style)."""
    data = model.cfg.get('data', {})
    return data.get('test', {}).get('type', default)


def load_coco(json_file: str):
    """An xtcocotools COCO index of ``json_file``, with a clear error when
    the file is missing."""
    if not json_file or not osp.isfile(json_file):
        raise SystemExit(f'error: annotation file not found: {json_file!r}')
    from xtcocotools.coco import COCO
    return COCO(json_file)


def coco_person_results(coco, image_id: int,
                        min_keypoints: int = 0) -> List[dict]:
    """Person boxes ``{'bbox': [x, y, w, h]}`` annotated for one image
    (all of them, as in 0.x, unless ``min_keypoints`` asks for people with
    at least that many labelled keypoints)."""
    anns = coco.loadAnns(coco.getAnnIds(imgIds=[image_id]))
    return [{'bbox': np.asarray(ann['bbox'], dtype=np.float32)}
            for ann in anns if ann.get('num_keypoints', 0) >= min_keypoints]


def require_mmdet():
    """mmdet's ``(init_detector, inference_detector)``; exits with an
    explanation when mmdet 2.x is not installed."""
    try:
        from mmdet.apis import inference_detector, init_detector
    except ImportError as err:
        raise SystemExit(
            'error: this demo needs MMDetection 2.x for person detection, '
            f'which is not installed ({err}). Install it with '
            '`pip install "mmdet>=2.14,<3"`, or run a demo that takes boxes '
            'from annotations (demo/top_down_img_demo.py) or the full frame '
            '(demo/top_down_video_demo_full_frame_without_det.py).') from None
    return init_detector, inference_detector


def process_mmdet_results(mmdet_results, cat_id: int = 1) -> List[dict]:
    """Person results ``{'bbox': [x1, y1, x2, y2, score]}`` of one category
    from mmdet's output (a list per class, or ``(bboxes, masks)``).

    Args:
        mmdet_results (list | tuple): Detections of one image.
        cat_id (int): 1-based category id (1 is person in COCO).

    Returns:
        list[dict]: One dict per detection of that category.
    """
    if isinstance(mmdet_results, tuple):
        mmdet_results = mmdet_results[0]  # drop the masks
    if not 1 <= cat_id <= len(mmdet_results):
        raise ValueError(f'det-cat-id {cat_id} is outside the detector\'s '
                         f'{len(mmdet_results)} classes')
    bboxes = np.asarray(mmdet_results[cat_id - 1]).reshape(-1, 5)
    return [{'bbox': bbox} for bbox in bboxes]


def list_images(path: str) -> List[str]:
    """Image files of a folder (sorted), or ``[path]`` for a file."""
    if osp.isdir(path):
        exts = ('.jpg', '.jpeg', '.png', '.bmp')
        return sorted(
            osp.join(path, name) for name in os.listdir(path)
            if name.lower().endswith(exts))
    if not osp.isfile(path):
        raise SystemExit(f'error: image not found: {path!r}')
    return [path]


def read_video(path: str) -> Tuple[cv2.VideoCapture, float, Tuple[int, int]]:
    """An opened capture, its frame rate and frame size ``(w, h)``."""
    if not path or not osp.isfile(path):
        raise SystemExit(f'error: video file not found: {path!r}')
    cap = cv2.VideoCapture(path)
    if not cap.isOpened():
        raise SystemExit(f'error: cannot decode video file {path!r}')
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    return cap, fps, size


def frames(cap: cv2.VideoCapture) -> Iterator[np.ndarray]:
    """The BGR frames of a capture, until it ends."""
    while True:
        ok, frame = cap.read()
        if not ok:
            return
        yield frame


def video_writer(video_path: str, out_root: str, fps: float,
                 size: Tuple[int, int]) -> Optional[cv2.VideoWriter]:
    """A writer for ``<out_root>/vis_<video name>`` (mp4v), or None when
    ``out_root`` is empty."""
    if not out_root:
        return None
    os.makedirs(out_root, exist_ok=True)
    out_file = osp.join(out_root, f'vis_{osp.basename(video_path)}')
    writer = cv2.VideoWriter(out_file, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                             size)
    if not writer.isOpened():
        raise SystemExit(f'error: cannot write video {out_file!r}')
    return writer


def out_path(out_root: str, name: str) -> Optional[str]:
    """``<out_root>/<name>`` (the folder is created), or None."""
    if not out_root:
        return None
    os.makedirs(out_root, exist_ok=True)
    return osp.join(out_root, name)


def require_output(show: bool, outputs: Sequence[str]) -> None:
    """Exit when a demo would neither show nor save anything."""
    if not show and not any(outputs):
        raise SystemExit('error: nothing to do: pass --show or an output '
                         'folder')
