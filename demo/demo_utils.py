"""Helpers shared by the demo scripts: their command-line options, person
boxes from COCO annotations, mmdet detections, mmtrack tracks or face
detection, pose tracking across frames, video reading/writing and the
optional mmdet/mmtrack imports."""
import itertools
import os
import os.path as osp
import sys
from argparse import ArgumentParser
from typing import Any, Callable, Iterator, List, Optional, Sequence, Tuple

import cv2
import numpy as np

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)


# Help texts of the options that differ between image and video demos.
_OUTPUT_HELP = {
    'img': ('whether to show img',
            'Root of the output img file. Default not saving the '
            'visualization images.'),
    'video': ('whether to show visualizations.',
              'Root of the output video file. Default not saving the '
              'visualization video.'),
}


def pose_arg_parser(description: str,
                    with_detector: bool = False) -> ArgumentParser:
    """A parser with the positional config and checkpoint arguments: the
    detector's (``with_detector``) and the pose model's."""
    parser = ArgumentParser(description=description)
    if with_detector:
        parser.add_argument('det_config', help='Config file for detection')
        parser.add_argument('det_checkpoint',
                            help='Checkpoint file for detection')
    parser.add_argument('pose_config', help='Config file for pose')
    parser.add_argument('pose_checkpoint', help='Checkpoint file for pose')
    return parser


def add_common_args(parser: ArgumentParser, media: str = 'img',
                    out_help: Optional[str] = None) -> None:
    """``--show``, ``--out-<media>-root``, ``--device``, ``--radius`` and
    ``--thickness``.

    Args:
        parser (ArgumentParser): The demo's parser.
        media (str): ``'img'`` or ``'video'``.
        out_help (str, optional): Help of the output folder option, when it
            differs from the usual one.
    """
    show_help, default_out_help = _OUTPUT_HELP[media]
    parser.add_argument('--show', action='store_true', default=False,
                        help=show_help)
    parser.add_argument(f'--out-{media}-root', type=str, default='',
                        help=out_help or default_out_help)
    parser.add_argument('--device', default='cuda:0',
                        help='Device used for inference')
    parser.add_argument('--precision', default='fp32',
                        choices=['bf16', 'fp16', 'fp32'],
                        help='bf16 (CPU) or fp16 (CUDA) runs the pose '
                        'network under torch.autocast (default: fp32)')
    # 0.29's drawing options; by default each dataset's own style
    parser.add_argument('--radius', type=int, default=None,
                        help='Keypoint radius for visualization')
    parser.add_argument('--thickness', type=int, default=None,
                        help='Link thickness for visualization')


def drawing_kwargs(args) -> dict:
    """``radius`` and ``thickness`` for the visualisation functions, when
    given on the command line."""
    return {
        key: getattr(args, key)
        for key in ('radius', 'thickness')
        if getattr(args, key, None) is not None
    }


def add_threshold_args(parser: ArgumentParser, with_detector: bool = False,
                       pose_nms: bool = False) -> None:
    """``--kpt-thr``, after ``--det-cat-id`` and ``--bbox-thr`` for demos
    with a detector and before ``--pose-nms-thr`` for bottom-up ones."""
    if with_detector:
        parser.add_argument('--det-cat-id', type=int, default=1,
                            help='Category id for bounding box detection '
                            'model')
        parser.add_argument('--bbox-thr', type=float, default=0.3,
                            help='Bounding box score threshold')
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='Keypoint score threshold')
    if pose_nms:
        parser.add_argument('--pose-nms-thr', type=float, default=0.9,
                            help='OKS threshold for pose NMS')


def add_tracking_args(parser: ArgumentParser) -> None:
    """The pose tracking options of the 0.x tracking demos:
    ``--use-oks-tracking`` (also spelled ``--oks``), ``--tracking-thr`` and
    ``--euro``."""
    parser.add_argument('--use-oks-tracking', '--oks',
                        dest='use_oks_tracking', action='store_true',
                        help='Using OKS tracking')
    parser.add_argument('--tracking-thr', type=float, default=0.3,
                        help='Tracking threshold')
    parser.add_argument('--euro', action='store_true',
                        help='Using One_Euro_Filter for smoothing')


def video_arg_parser(description: str, with_detector: bool = False,
                     pose_nms: bool = False) -> ArgumentParser:
    """The whole parser of a video demo: configs and checkpoints,
    ``--video-path``, the common options and the thresholds."""
    parser = pose_arg_parser(description, with_detector)
    parser.add_argument('--video-path', type=str, help='Video path')
    add_common_args(parser, 'video')
    add_threshold_args(parser, with_detector, pose_nms)
    add_smoothing_args(parser)
    return parser


def add_smoothing_args(parser: ArgumentParser) -> None:
    """0.29's ``--smooth`` and ``--smooth-filter-cfg`` (temporal smoothing
    of the keypoints with :class:`mmpose.core.Smoother`)."""
    parser.add_argument('--smooth', action='store_true',
                        help='Apply a temporal filter to smooth the pose '
                        'estimation results.')
    parser.add_argument('--smooth-filter-cfg', type=str,
                        default=osp.join(REPO_ROOT, 'configs', '_base_',
                                         'filters', 'one_euro.py'),
                        help='Config file of the filter to smooth the pose '
                        'estimation results.')


def add_multi_frame_args(parser: ArgumentParser) -> None:
    """0.29's ``--use-multi-frames`` and ``--online`` (for multi-frame pose
    models such as PoseWarper, see :func:`pose_input`)."""
    parser.add_argument('--use-multi-frames', action='store_true',
                        default=False,
                        help='Give the pose model the neighbouring frames '
                        'that its config lists (data.test.data_cfg.'
                        'frame_indices_test), for multi-frame models such '
                        'as PoseWarper. Default: False.')
    parser.add_argument('--online', action='store_true', default=False,
                        help='With --use-multi-frames, use past frames '
                        'only (no future frames). Default: False.')


def pose_input(args, pose_model) -> Callable[[np.ndarray], Any]:
    """A function giving, for each successive frame of ``args.video_path``,
    what the pose model takes: the frame itself, or with
    ``args.use_multi_frames`` the list of frames at the offsets of the
    model's ``data.test.data_cfg.frame_indices_test`` (current frame first;
    past frames only with ``args.online``)."""
    if not getattr(args, 'use_multi_frames', False):
        return lambda frame: frame
    import mmcv

    # see init_det_and_pose_models
    from mmpose.apis import collect_multi_frames
    from mmpose.errors import ArgumentError
    data_cfg = pose_model.cfg.get('data', {}).get('test', {}).get(
        'data_cfg', {})
    if 'frame_indices_test' not in data_cfg:
        raise ArgumentError(
            '--use-multi-frames needs a multi-frame pose model, whose config '
            'sets data.test.data_cfg.frame_indices_test; this one has data_'
            f'cfg keys {sorted(data_cfg)}')
    indices = data_cfg['frame_indices_test']
    video = mmcv.VideoReader(args.video_path)
    frame_ids = itertools.count()
    return lambda frame: collect_multi_frames(video, next(frame_ids),
                                              indices, args.online)


def smoothed(estimate: Callable[[np.ndarray], List[dict]],
             args) -> Callable[[np.ndarray], List[dict]]:
    """``estimate`` followed by online temporal smoothing when
    ``args.smooth`` (targets matched by ``track_id``, else by index)."""
    if not getattr(args, 'smooth', False):
        return estimate
    from mmpose.core import Smoother  # see init_det_and_pose_models
    smoother = Smoother(args.smooth_filter_cfg, keypoint_dim=2)

    def estimate_and_smooth(frame: np.ndarray) -> List[dict]:
        return smoother.smooth(estimate(frame))

    return estimate_and_smooth


def init_det_and_pose_models(args, init_detector: Callable) -> tuple:
    """``(det_model, pose_model)`` from the configs and checkpoints of
    ``args``, on ``args.device``; ``init_detector`` is mmdet's."""
    # Imported here, not at the top: this module puts the repository on
    # sys.path first, and tests import it without the models.
    from mmpose.apis import init_pose_model
    device = args.device.lower()
    det_model = init_detector(args.det_config, args.det_checkpoint,
                              device=device)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=device, precision=args.precision)
    return det_model, pose_model


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


def _import_or_exit(module: str, names: Sequence[str], explanation: str):
    """``names`` from ``module``; exits with ``explanation`` (formatted with
    the import error as ``err``) when the module cannot be imported."""
    try:
        imported = __import__(module, fromlist=list(names))
    except ImportError as err:
        raise SystemExit('error: ' + explanation.format(err=err)) from None
    return tuple(getattr(imported, name) for name in names)


def require_mmdet():
    """mmdet's ``(init_detector, inference_detector)``; exits with an
    explanation when mmdet 2.x is not installed."""
    return _import_or_exit(
        'mmdet.apis', ('init_detector', 'inference_detector'),
        'this demo needs MMDetection 2.x for person detection, which is not '
        'installed ({err}). Install it with `pip install mmdet==2.28.2`, or '
        'run a demo that takes boxes from annotations '
        '(demo/top_down_img_demo.py) or the full frame '
        '(demo/top_down_video_demo_full_frame_without_det.py).')


def require_mmtrack():
    """mmtrack's ``(init_model, inference_mot)``; exits with an explanation
    when MMTracking is not installed."""
    return _import_or_exit(
        'mmtrack.apis', ('init_model', 'inference_mot'),
        'this demo needs MMTracking (mmtrack 0.x) for person tracking, which '
        'is not installed ({err}). Its stale pins (pandas<=1.3.5, '
        'scipy<=1.7.3) have no builds for Python 3.11 / NumPy 2, so install '
        'it without them: `pip install --no-deps -r requirements/mmtrack.txt`'
        ' after `pip install -r requirements/tests.txt` (what it imports; '
        'tools/setup_env.sh does both), or track people with '
        'demo/top_down_pose_tracking_demo_with_mmdet.py (mmdet boxes and '
        'get_track_id) instead.')


def process_mmtracking_results(mmtracking_results) -> List[dict]:
    """Person results ``{'track_id': int, 'bbox': [x1, y1, x2, y2, score]}``
    from mmtrack's ``inference_mot`` output of one frame: rows
    ``[id, x1, y1, x2, y2, score]`` of the first class under
    'track_bboxes' (mmtrack >= 0.8) or 'track_results' (older)."""
    for key in ('track_bboxes', 'track_results'):
        if key in mmtracking_results:
            tracks = np.asarray(mmtracking_results[key][0]).reshape(-1, 6)
            return [{'track_id': int(track[0]), 'bbox': track[1:]}
                    for track in tracks]
    raise KeyError('mmtrack results have neither "track_bboxes" nor '
                   f'"track_results": {sorted(mmtracking_results)}')


def process_mmdet_results(mmdet_results, cat_id: int = 1) -> List[dict]:
    """:func:`mmpose.apis.process_mmdet_results` (person results
    ``{'bbox': [x1, y1, x2, y2, score]}`` of category ``cat_id``), its error
    naming the demos' ``--det-cat-id`` option."""
    from mmpose.apis import process_mmdet_results as person_results
    from mmpose.errors import ArgumentError
    try:
        return person_results(mmdet_results, cat_id)
    except ValueError as err:
        raise ArgumentError(f'--det-cat-id {cat_id}: {err}') from None


def detect_and_estimate(inference_detector: Callable, det_model, pose_model,
                        img, args, dataset: str,
                        pose_img: Any = None) -> List[dict]:
    """Pose results of the people the detector finds in ``img`` (a path or
    a BGR array), using ``args.det_cat_id`` and ``args.bbox_thr``; the pose
    model gets ``pose_img`` instead of ``img`` when given (the frame list of
    :func:`pose_input`)."""
    from mmpose.apis import inference_top_down_pose_model  # see above
    mmdet_results = inference_detector(det_model, img)
    person_results = process_mmdet_results(mmdet_results, args.det_cat_id)
    pose_results, _ = inference_top_down_pose_model(
        pose_model, img if pose_img is None else pose_img, person_results,
        bbox_thr=args.bbox_thr, format='xyxy', dataset=dataset)
    return pose_results


class PoseTracker:
    """Gives the pose results of consecutive frames track ids with
    :func:`mmpose.apis.get_track_id`, using the options of
    :func:`add_tracking_args` and the video's frame rate (for the one-euro
    filter)."""

    def __init__(self, args, fps: Optional[float] = None):
        self.use_oks = args.use_oks_tracking
        self.tracking_thr = args.tracking_thr
        self.use_one_euro = args.euro
        self.fps = fps
        self.next_id = 0
        self.last_results: List[dict] = []

    def __call__(self, pose_results: List[dict]) -> List[dict]:
        """The results of the next frame, each with a 'track_id'."""
        from mmpose.apis import get_track_id  # see init_det_and_pose_models
        pose_results, self.next_id = get_track_id(
            pose_results, self.last_results, self.next_id,
            use_oks=self.use_oks, tracking_thr=self.tracking_thr,
            use_one_euro=self.use_one_euro, fps=self.fps)
        self.last_results = pose_results
        return pose_results


def face_detector(bbox: Optional[Sequence[float]] = None
                  ) -> Callable[[np.ndarray], List[dict]]:
    """A function giving the face boxes ``{'bbox': [x, y, w, h]}`` of a BGR
    image: always ``bbox`` when given, else the detections of the
    ``face_recognition`` package, else (with a notice, printed once) the
    whole image."""
    if bbox is not None:
        box = np.asarray(bbox, dtype=np.float32)
        return lambda img: [{'bbox': box}]
    try:
        import face_recognition
    except ImportError:
        print('face_recognition is not installed (pip install '
              'face_recognition): using the whole image as the face box; '
              'pass --bbox X Y W H for another box.')
        return lambda img: [{
            'bbox': np.array([0, 0, img.shape[1], img.shape[0]],
                             dtype=np.float32)
        }]

    def detect(img: np.ndarray) -> List[dict]:
        # face_recognition gives (top, right, bottom, left) on RGB images.
        locations = np.asarray(
            face_recognition.face_locations(img[..., ::-1].copy()),
            dtype=np.float32).reshape(-1, 4)
        top, right, bottom, left = locations.T
        boxes = np.stack([left, top, right - left, bottom - top], axis=1)
        return [{'bbox': box} for box in boxes]

    return detect


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


def visualize_video(video: Tuple[cv2.VideoCapture, float, Tuple[int, int]],
                    args, pose_model, dataset: str,
                    estimate: Callable[[np.ndarray], List[dict]],
                    draw: Optional[Callable] = None) -> None:
    """Draw the pose results ``estimate`` gives for every frame of ``video``
    (from :func:`read_video`), then show the frame (``q`` stops) and/or
    write it to ``<args.out_video_root>/vis_<video name>``. ``draw`` is
    ``vis_pose_result`` (default) or ``vis_pose_tracking_result``."""
    from mmpose.apis import vis_pose_result  # see init_det_and_pose_models
    draw = draw or vis_pose_result
    estimate = smoothed(estimate, args)
    cap, fps, size = video
    out_root, show = args.out_video_root, args.show
    writer = video_writer(args.video_path, out_root, fps, size)
    count = 0
    for frame in frames(cap):
        vis_img = draw(pose_model, frame, estimate(frame),
                       kpt_score_thr=args.kpt_thr, dataset=dataset,
                       show=False, **drawing_kwargs(args))
        if show:
            cv2.imshow('Image', vis_img)
            if cv2.waitKey(1) & 0xFF == ord('q'):
                break
        if writer is not None:
            writer.write(vis_img)
        count += 1
    cap.release()
    if writer is not None:
        writer.release()
        print(f'{count} frames written to {out_root}')
    if show:
        cv2.destroyAllWindows()


def out_path(out_root: str, name: str) -> Optional[str]:
    """``<out_root>/<name>`` (the folder is created), or None."""
    if not out_root:
        return None
    os.makedirs(out_root, exist_ok=True)
    return osp.join(out_root, name)


def visualize_image(pose_model, img, pose_results: List[dict], args,
                    dataset: str, out_name: str, image_name: str = '',
                    noun: str = 'people') -> None:
    """Draw ``pose_results`` on ``img`` (a path or a BGR array), show it
    with ``args.show`` and save it as ``<args.out_img_root>/<out_name>``,
    saying so for ``image_name`` (default: ``img``)."""
    from mmpose.apis import vis_pose_result  # see init_det_and_pose_models
    out_file = out_path(args.out_img_root, out_name)
    vis_pose_result(pose_model, img, pose_results,
                    kpt_score_thr=args.kpt_thr, dataset=dataset,
                    show=args.show, out_file=out_file,
                    **drawing_kwargs(args))
    if out_file:
        print(f'{image_name or img}: {len(pose_results)} {noun} -> '
              f'{out_file}')


def require_output(show: bool, outputs: Sequence[str]) -> None:
    """Exit when a demo would neither show nor save anything."""
    if not show and not any(outputs):
        raise SystemExit('error: nothing to do: pass --show or an output '
                         'folder')
