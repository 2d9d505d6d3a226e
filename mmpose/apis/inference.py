"""High-level inference: build a pose model from a config, run it on an image
(top-down with person boxes, or bottom-up) and draw the results.

Note:
    number of people / boxes: N
    number of keypoints: K
    heatmap height, width: H, W
"""
import warnings
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import cv2
import mmcv
import numpy as np
import torch
from torch import nn

from mmpose.core.bbox import bbox_xywh2cs
from mmpose.core.post_processing import oks_nms
from mmpose.datasets.pipelines import Compose
from mmpose.datasets.pipelines.loading import read_image
from mmpose.errors import (ArgumentError, ArgumentTypeError,
                           UnknownAttributeError, UnknownNameError)
from mmpose.models import build_posenet
from mmpose.models.utils.memory_format import (channels_last_capable,
                                               is_channels_last)
from mmpose.utils.checkpoint import load_checkpoint
from mmpose.utils.config_paths import load_config
from .dataset_meta import DatasetMeta, resolve_dataset_meta
from .dialect import accepts_014_call
from .crop_batch import run_test_pipeline
from .fast_inference import check_precision, predict

__all__ = [
    'init_pose_model', 'inference_top_down_pose_model',
    'inference_bottom_up_pose_model', 'vis_pose_result',
    'process_mmdet_results', 'collect_multi_frames', 'LoadImage',
    'OutputHook'
]

ImageLike = Union[str, Path, np.ndarray]

#: Model types each inference entry point accepts (``cfg.model.type``).
TOP_DOWN_TYPES = ('TopDown', 'PoseWarper', 'TopDownMoE')
BOTTOM_UP_TYPES = ('BottomUp', 'AssociativeEmbedding',
                   'DisentangledKeypointRegressor', 'CID')


def init_pose_model(config: Union[str, Path, mmcv.Config],
                    checkpoint: Optional[str] = None,
                    device: Union[str, torch.device] = 'cuda:0',
                    fast: bool = True,
                    precision: str = 'fp32') -> nn.Module:
    """Build a pose model from a config and optionally load weights.

    ``cfg.model.pretrained`` is set to None (no backbone download). When a
    CUDA device is asked for but none is available the model stays on the
    CPU and a warning says so.

    ``fast`` and ``precision`` are stored on the model (as
    ``model.inference_fast`` / ``model.inference_precision``) and used by
    the inference functions, which run a cached copy of the network with
    BatchNorm folded into the convolutions and/or under autocast (see
    :mod:`mmpose.apis.fast_inference`); the returned model itself, and its
    state_dict, are the plain ones.

    Args:
        config (str | Path | mmcv.Config): Config file path or object; a
            relative path not found from the working directory is looked up
            in the package's configs (e.g. ``configs/body/...`` of the
            source checkout, see :mod:`mmpose.utils.config_paths`).
        checkpoint (str, optional): Checkpoint path; None keeps the random
            initialisation.
        device (str | torch.device): Device to put the model on.
        fast (bool): Exact fast inference path (BatchNorm folding).
            Default: True.
        precision (str): 'fp32' (default), or 'bf16' / 'fp16' to run the
            network under ``torch.autocast`` (outputs cast back to fp32).

    Returns:
        nn.Module: The model in eval mode, with its config as ``model.cfg``.
    """
    check_precision(precision)
    if isinstance(config, (str, Path)):
        # 'configs/...' paths of 0.x code are found from any directory
        config = load_config(config)
    elif not isinstance(config, mmcv.Config):
        raise ArgumentTypeError('config must be a filename or an '
                                f'mmcv.Config, got {type(config).__name__}')
    if 'model' not in config:
        raise UnknownNameError('the config has no "model" section; keys: '
                               f'{sorted(config.keys())}')
    config.model.pretrained = None
    device = _resolve_device(device)
    model = build_posenet(config.model)
    if checkpoint is not None:
        load_checkpoint(model, checkpoint, map_location='cpu')
    model.cfg = config
    model.inference_fast = fast
    model.inference_precision = precision
    model.to(device)
    if device.type == 'cpu' and channels_last_capable(model):
        # NHWC weights and inputs let oneDNN convolve without reordering
        # them first; the results are the same up to float rounding.
        model.to(memory_format=torch.channels_last)
    model.eval()
    return model


def _resolve_device(device: Union[str, torch.device]) -> torch.device:
    """``device``, or the CPU (with a warning) when CUDA is asked for but
    not available."""
    device = torch.device(device)
    if device.type == 'cuda' and not torch.cuda.is_available():
        warnings.warn(f'CUDA is not available; the model runs on the CPU '
                      f'instead of {device}.')
        device = torch.device('cpu')
    return device


def _unwrap(model: nn.Module) -> nn.Module:
    """The model inside a (Distributed)DataParallel wrapper."""
    return model.module if hasattr(model, 'module') else model


def _run_network(model: nn.Module, use_plain: bool = False, **inputs):
    """``model(return_loss=False, **inputs)`` without gradients, through
    the inference copy that ``model.inference_fast`` /
    ``model.inference_precision`` ask for (fast fp32 by default); the
    plain model when ``use_plain`` (layer outputs are hooked on it)."""
    fast = getattr(model, 'inference_fast', True) and not use_plain
    precision = ('fp32' if use_plain else getattr(
        model, 'inference_precision', 'fp32'))
    return predict(model, fast, precision, **inputs)


def _cfg(model: nn.Module) -> Optional[mmcv.Config]:
    """The config stored on a model (or on the model inside a wrapper)."""
    return getattr(model, 'cfg', None) or getattr(_unwrap(model), 'cfg', None)


def _check_model(model: nn.Module, types: Sequence[str], api: str) -> None:
    """Fail clearly unless ``model`` was built from a config whose
    ``model.type`` is one of ``types`` and carries ``data_cfg``."""
    cfg = _cfg(model)
    if cfg is None:
        raise UnknownAttributeError(f'{api} needs a model with a .cfg '
                                    'attribute (build it with '
                                    'init_pose_model)')
    model_type = cfg.model.get('type') if 'model' in cfg else None
    if model_type not in types:
        others = f' (or {", ".join(types[1:])})' if len(types) > 1 else ''
        raise ArgumentTypeError(
            f'{api} needs a {types[0]} model{others}, but the config '
            f'builds model.type={model_type!r} '
            f'({type(_unwrap(model)).__name__})')
    if 'data_cfg' not in cfg:
        raise UnknownNameError(f'{api}: the model config has no "data_cfg" '
                               '(with image_size and num_joints)')
    for key in ('image_size', 'num_joints'):
        if key not in cfg.data_cfg:
            raise UnknownNameError(f'{api}: cfg.data_cfg has no {key!r}; '
                                   f'keys: {sorted(cfg.data_cfg.keys())}')


class LoadImage:
    """Load ``results['img_or_path']`` (a path, or a BGR array as OpenCV
    gives) into ``results['img']``, setting ``results['image_file']``.

    Args:
        color_type (str): 'color', 'grayscale' or 'unchanged'.
        channel_order (str): 'rgb' or 'bgr' of the loaded image.
    """

    def __init__(self, color_type: str = 'color', channel_order: str = 'rgb'):
        self.color_type = color_type
        self.channel_order = channel_order

    def __call__(self, results: dict) -> dict:
        img_or_path = results['img_or_path']
        if isinstance(img_or_path, (str, Path)):
            results['image_file'] = str(img_or_path)
            results['img'] = read_image(
                str(img_or_path), self.color_type, self.channel_order)
        elif isinstance(img_or_path, np.ndarray):
            results['image_file'] = ''
            results['img'] = self._from_array(img_or_path)
        else:
            raise ArgumentTypeError('an image must be a file path or a '
                                    'numpy array, got '
                                    f'{type(img_or_path).__name__}')
        return results

    def _from_array(self, img: np.ndarray) -> np.ndarray:
        """A BGR (or grey) array in this loader's colour type and order."""
        if img.ndim == 2:
            img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
        elif img.ndim == 3 and img.shape[2] == 4:
            img = cv2.cvtColor(img, cv2.COLOR_BGRA2BGR)
        if img.ndim != 3 or img.shape[2] != 3 or img.size == 0:
            raise ArgumentError('an image array must be [H, W], [H, W, 3] '
                                f'or [H, W, 4], got shape {img.shape}')
        if self.color_type == 'grayscale':
            return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        if self.channel_order == 'rgb':
            return cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        return img


def _to_numpy(output):
    """Detach tensors (also inside lists/tuples/dicts) to numpy arrays."""
    if isinstance(output, torch.Tensor):
        return output.detach().cpu().numpy()
    if isinstance(output, (list, tuple)):
        return type(output)(_to_numpy(o) for o in output)
    if isinstance(output, dict):
        return {k: _to_numpy(v) for k, v in output.items()}
    return output


class OutputHook:
    """Context manager that records the outputs of named sub-modules.

    During the ``with`` block, the first output of each layer in
    ``outputs`` (the unflipped crops when flip testing) is stored in
    ``layer_outputs[name]``.

    Args:
        module (nn.Module): The model.
        outputs (Sequence[str] | None): Names as in ``named_modules()``.
        as_tensor (bool): Keep tensors; otherwise store numpy arrays.
    """

    def __init__(self, module: nn.Module,
                 outputs: Optional[Sequence[str]] = None,
                 as_tensor: bool = False):
        if isinstance(outputs, str):
            outputs = [outputs]
        self.outputs = list(outputs) if outputs is not None else []
        self.as_tensor = as_tensor
        self.layer_outputs: Dict[str, object] = {}
        self.handles = []
        modules = dict(_unwrap(module).named_modules())
        missing = [name for name in self.outputs if name not in modules]
        if missing:
            sample = ', '.join(n for n in list(modules)[1:21])
            raise UnknownAttributeError(
                f'no layer named {missing} in the model; layer names look '
                f'like: {sample}, ...')
        self._modules = [(name, modules[name]) for name in self.outputs]

    def _hook(self, name: str):

        def hook(module, inputs, output):
            if name not in self.layer_outputs:
                self.layer_outputs[name] = (
                    output if self.as_tensor else _to_numpy(output))

        return hook

    def __enter__(self) -> 'OutputHook':
        self.handles = [
            module.register_forward_hook(self._hook(name))
            for name, module in self._modules
        ]
        return self

    def __exit__(self, *exc) -> None:
        for handle in self.handles:
            handle.remove()
        self.handles = []


def _xyxy2xywh(bbox_xyxy: np.ndarray) -> np.ndarray:
    """Boxes ``x1, y1, x2, y2[, score]`` -> ``x, y, w, h[, score]`` with the
    0.x inclusive-pixel convention (``w = x2 - x1 + 1``).

    Args:
        bbox_xyxy (np.ndarray[N, 4 or 5]): Boxes.

    Returns:
        np.ndarray[N, 4 or 5]: Boxes.
    """
    bbox_xywh = bbox_xyxy.copy()
    bbox_xywh[:, 2:4] = bbox_xyxy[:, 2:4] - bbox_xyxy[:, 0:2] + 1
    return bbox_xywh


def _xywh2xyxy(bbox_xywh: np.ndarray) -> np.ndarray:
    """Inverse of :func:`_xyxy2xywh` (``x2 = x + w - 1``)."""
    bbox_xyxy = bbox_xywh.copy()
    bbox_xyxy[:, 2:4] = bbox_xywh[:, 2:4] + bbox_xywh[:, 0:2] - 1
    return bbox_xyxy


def _box2cs(image_size: Sequence[int],
            boxes: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Centres and scales of xywh boxes for the model input size.

    Each box is widened or heightened to the input aspect ratio, padded by
    1.25 and expressed in units of 200 pixels (the 0.x "pixel std").

    Args:
        image_size (Sequence[int]): Model input ``[w, h]``.
        boxes (np.ndarray[N, 4+]): ``x, y, w, h`` boxes.

    Returns:
        tuple: centers (np.ndarray[N, 2]) and scales (np.ndarray[N, 2]),
        float32.
    """
    return bbox_xywh2cs(boxes, image_size[0] / image_size[1], padding=1.25)


def _split_pipeline(cfg: mmcv.Config) -> Tuple[LoadImage, Compose]:
    """The image loader and the remaining test transforms of a config.

    The loading step of ``cfg.test_pipeline`` (``LoadImageFromFile``) is
    replaced by :class:`LoadImage`, which also takes arrays; its colour
    options are kept.
    """
    if 'test_pipeline' not in cfg:
        raise UnknownNameError('the model config has no "test_pipeline"')
    steps = list(cfg.test_pipeline)
    first = dict(steps[0]) if steps else {}
    if first.get('type') == 'LoadImageFromFile':
        loader = LoadImage(
            color_type=first.get('color_type', 'color'),
            channel_order=first.get('channel_order', 'rgb'))
        steps = steps[1:]
    else:
        loader = LoadImage()
    return loader, Compose(steps)


def _model_device(model: nn.Module) -> torch.device:
    param = next(model.parameters(), None)
    return param.device if param is not None else torch.device('cpu')


def _frame_weight(cfg: mmcv.Config) -> Optional[list]:
    """``frame_weight_test`` of a multi-frame model's ``data_cfg`` (top
    level or of the test set), or None for a single-frame model."""
    test = cfg.get('data', {}).get('test', {})
    for data_cfg in (cfg.get('data_cfg', {}), test.get('data_cfg', {})):
        if data_cfg.get('frame_weight_test') is not None:
            return list(data_cfg['frame_weight_test'])
    return None


def _load_frames(loader: LoadImage,
                 imgs_or_paths: Union[ImageLike, Sequence[ImageLike]],
                 frame_weight: Optional[list]) -> List[dict]:
    """Decode the image (single-frame model) or the frames (multi-frame
    model: the current frame first, as :func:`collect_multi_frames` gives
    them) once, as ``{'img', 'image_file'}`` dicts."""
    if isinstance(imgs_or_paths, (list, tuple)):
        if frame_weight is None:
            raise ArgumentError(
                f'a list of {len(imgs_or_paths)} frames needs a multi-frame '
                'model (data_cfg.frame_weight_test in its config); pass one '
                'image to this single-frame model')
        if len(imgs_or_paths) != len(frame_weight):
            raise ArgumentError(
                f'the model takes {len(frame_weight)} frames '
                f'(data_cfg.frame_weight_test={frame_weight}), got '
                f'{len(imgs_or_paths)}')
        return [loader({'img_or_path': img}) for img in imgs_or_paths]
    return [loader({'img_or_path': imgs_or_paths})]


def _inference_single_pose_model(
        model: nn.Module,
        frames: List[dict],
        bboxes: np.ndarray,
        meta: DatasetMeta,
        return_heatmap: bool = False,
        frame_weight: Optional[list] = None,
        use_plain: bool = False
) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """Estimate the poses in all boxes of one image (or one set of frames)
    in a single forward pass.

    Args:
        model (nn.Module): Top-down model with ``cfg``.
        frames (list[dict]): Loaded image(s) from :func:`_load_frames`.
        bboxes (np.ndarray[N, 4 or 5]): ``x, y, w, h[, score]`` boxes.
        meta (DatasetMeta): Dataset metadata (flip pairs, name).
        return_heatmap (bool): Also return the output heatmaps.
        frame_weight (list[float], optional): Weights of the F frames of a
            multi-frame model; the network input is then a list of F
            tensors [N, C, H, W] (one per frame, same boxes).
        use_plain (bool): Run the model as it is (see :func:`_run_network`).

    Returns:
        tuple: poses (np.ndarray[N, K, 3]: x, y, score) and the heatmaps
        (np.ndarray[N, K, H, W]) or None.
    """
    cfg = _cfg(model)
    image_size = np.asarray(cfg.data_cfg['image_size'])
    num_joints = int(cfg.data_cfg['num_joints'])
    _, pipeline = _split_pipeline(cfg)
    centers, scales = _box2cs(image_size, bboxes)
    scores = bboxes[:, 4] if bboxes.shape[1] == 5 else np.ones(len(bboxes))
    # Each box (of each frame) is cropped by the test pipeline; the tensor
    # conversion runs on all crops at once (crop_batch) and the network
    # sees them as one batch.
    device = _model_device(model)
    channels_last = is_channels_last(model)
    imgs, img_metas = [], None
    for frame in frames:
        samples = [{
            'img': frame['img'],
            'image_file': frame['image_file'],
            'bbox': bboxes[i, :4],
            'center': centers[i],
            'scale': scales[i],
            'bbox_score': float(scores[i]),
            'bbox_id': i,
            'dataset': meta.dataset_name,
            'joints_3d': np.zeros((num_joints, 3), dtype=np.float32),
            'joints_3d_visible': np.zeros((num_joints, 3), dtype=np.float32),
            'rotation': 0,
            'ann_info': {
                'image_size': image_size,
                'num_joints': num_joints,
                'flip_pairs': meta.flip_pairs,
                # ViTPose+ test pipelines collect it (TopDownMoE experts)
                'dataset_idx': cfg.data_cfg.get('dataset_idx', 0),
            },
            **({} if frame_weight is None else {'frame_weight': frame_weight})
        } for i in range(len(bboxes))]
        batch, metas = run_test_pipeline(pipeline, samples)
        batch = batch.to(device)
        if channels_last:
            batch = batch.contiguous(memory_format=torch.channels_last)
        imgs.append(batch)
        if img_metas is None:  # the boxes' metas, from the first frame
            img_metas = metas
    result = _run_network(
        model,
        use_plain,
        img=imgs if frame_weight is not None else imgs[0],
        img_metas=img_metas,
        return_heatmap=return_heatmap)
    return np.asarray(result['preds']), result.get('output_heatmap')


def _as_boxes(person_results: Sequence[dict]) -> np.ndarray:
    """Stack the 'bbox' of each person result into np.ndarray[N, 4 or 5]
    (float64, as 0.x builds it from lists)."""
    try:
        boxes = [np.asarray(p['bbox'], dtype=np.float64).reshape(-1)
                 for p in person_results]
    except KeyError:
        raise UnknownNameError('every person result needs a "bbox"') from None
    lengths = {len(b) for b in boxes}
    if len(lengths) != 1 or lengths.pop() not in (4, 5):
        raise ArgumentError('person bboxes must all have 4 values (x1, y1, '
                            'x2, y2 or x, y, w, h) or all 5 (with a score), '
                            f'got lengths {sorted({len(b) for b in boxes})}')
    return np.stack(boxes)


def _whole_image_person(img: np.ndarray, format: str) -> List[dict]:
    """One person result whose box covers the whole ``img`` in ``format``
    (0.x's inclusive pixel convention: ``x2 = w - 1`` for 'xyxy')."""
    height, width = img.shape[:2]
    if format == 'xyxy':
        return [{'bbox': np.array([0., 0., width - 1., height - 1.])}]
    return [{'bbox': np.array([0., 0., float(width), float(height)])}]


@accepts_014_call
def inference_top_down_pose_model(
        model: nn.Module,
        imgs_or_paths: Union[ImageLike, Sequence[ImageLike]],
        person_results: Optional[Sequence[dict]] = None,
        bbox_thr: Optional[float] = None,
        format: str = 'xywh',
        dataset: str = 'TopDownCocoDataset',
        dataset_info=None,
        return_heatmap: bool = False,
        outputs: Optional[Sequence[str]] = None
) -> Tuple[List[dict], List[dict]]:
    """Estimate the pose inside each person box of one image (or of one set
    of video frames for a multi-frame model).

    All boxes go through the network in one batch under ``torch.no_grad``.
    Boxes with zero or negative width/height or non-finite coordinates are
    skipped with a warning (they have no pose result).

    Calls written for 0.14, ``(model, img_or_path, person_results,
    bbox_thr, format, dataset, return_heatmap, outputs)``, mean what they
    meant: the keyword ``img_or_path=`` is accepted, and a bool 7th
    positional argument is taken as 0.14's ``return_heatmap`` (see
    :mod:`mmpose.apis.dialect`).

    Args:
        model (nn.Module): Top-down model from :func:`init_pose_model`.
        imgs_or_paths (str | np.ndarray | list): Image path or BGR image; a
            list of them (the current frame first, see
            :func:`collect_multi_frames`) for a multi-frame model
            (``data_cfg.frame_weight_test`` in its config).
        person_results (list[dict], optional): Per person a 'bbox' ([4] or
            [5] with a score) and optionally other items (e.g. 'track_id'),
            which are copied into the pose result. None: one box covering
            the whole image.
        bbox_thr (float, optional): Keep only boxes whose score is higher.
        format (str): 'xywh' (left, top, width, height) or 'xyxy' (left,
            top, right, bottom).
        dataset (str): Dataset name, e.g. 'TopDownCocoDataset' (selects the
            flip pairs) when there is no ``dataset_info``.
        dataset_info (DatasetInfo | dict, optional): Dataset metadata; by
            default the model config's top-level ``cfg.dataset_info`` when
            it has one (without either, ``dataset`` is used and a
            ``DeprecationWarning`` says so, as in 0.29).
        return_heatmap (bool): Add the output heatmaps ([N, K, H, W]) to
            the returned outputs under 'heatmap'.
        outputs (list[str], optional): Layer names whose outputs are
            returned; the plain fp32 model (not the fast copy) runs then.

    Returns:
        tuple:
        - pose_results (list[dict]): Per kept box the person result with
          'bbox' (np.ndarray[4 or 5], xyxy with score) and 'keypoints'
          (np.ndarray[K, 3]: x, y, score).
        - returned_outputs (list[dict]): One dict of layer outputs (and
          'heatmap'); empty list when there is no box.
    """
    if format not in ('xyxy', 'xywh'):
        raise ArgumentError(
            f"format must be 'xyxy' or 'xywh', got {format!r}")
    _check_model(model, TOP_DOWN_TYPES, 'inference_top_down_pose_model')
    cfg = _cfg(model)
    meta = resolve_dataset_meta(cfg, dataset, dataset_info,
                                int(cfg.data_cfg['num_joints']))
    frame_weight = _frame_weight(cfg)
    loader, _ = _split_pipeline(cfg)
    frames = _load_frames(loader, imgs_or_paths, frame_weight)
    if person_results is None:
        person_results = _whole_image_person(frames[0]['img'], format)
    if len(person_results) == 0:
        return [], []
    bboxes = _as_boxes(person_results)
    person_results = list(person_results)

    if bbox_thr is not None:
        if bboxes.shape[1] != 5:
            raise ArgumentError('bbox_thr needs boxes with a score (5 '
                                f'values), got {bboxes.shape[1]}')
        keep = bboxes[:, 4] > bbox_thr
        bboxes = bboxes[keep]
        person_results = [p for p, k in zip(person_results, keep) if k]

    if format == 'xyxy':
        sizes = bboxes[:, 2:4] - bboxes[:, 0:2]
        bboxes_xyxy, bboxes_xywh = bboxes, _xyxy2xywh(bboxes)
    else:
        sizes = bboxes[:, 2:4]
        bboxes_xywh, bboxes_xyxy = bboxes, _xywh2xyxy(bboxes)
    valid = (sizes > 0).all(axis=1) & np.isfinite(bboxes[:, :4]).all(axis=1)
    if not valid.all():
        warnings.warn('inference_top_down_pose_model: skipped boxes with '
                      'zero or negative size or non-finite coordinates: '
                      f'{bboxes[~valid, :4].tolist()} ({format})')
        bboxes_xywh, bboxes_xyxy = bboxes_xywh[valid], bboxes_xyxy[valid]
        person_results = [p for p, v in zip(person_results, valid) if v]
    if len(bboxes_xywh) == 0:
        return [], []

    with OutputHook(model, outputs=outputs, as_tensor=False) as hook:
        poses, heatmap = _inference_single_pose_model(
            model, frames, bboxes_xywh, meta, return_heatmap, frame_weight,
            use_plain=bool(outputs))
        if return_heatmap:
            hook.layer_outputs['heatmap'] = heatmap

    pose_results = []
    for person, pose, box in zip(person_results, poses, bboxes_xyxy):
        result = dict(person)
        result['keypoints'] = pose
        result['bbox'] = box
        pose_results.append(result)
    return pose_results, [hook.layer_outputs]


def _bottom_up_dataset(cfg: mmcv.Config, dataset: str) -> str:
    """``dataset``, or the config's test set type when the caller left the
    default ('BottomUpCocoDataset') and the model was trained on another
    set (0.14 configs name it only there)."""
    data = cfg.get('data', {})
    test = data.get('test', {}) if isinstance(data, dict) else {}
    if dataset == 'BottomUpCocoDataset':
        return test.get('type', dataset)
    return dataset


@accepts_014_call
def inference_bottom_up_pose_model(
        model: nn.Module,
        img_or_path: ImageLike,
        dataset: str = 'BottomUpCocoDataset',
        dataset_info=None,
        pose_nms_thr: float = 0.9,
        return_heatmap: bool = False,
        outputs: Optional[Sequence[str]] = None
) -> Tuple[List[dict], List[dict]]:
    """Estimate the poses of all people in one image (bottom-up).

    A call written for 0.14, ``(model, img_or_path, pose_nms_thr,
    return_heatmap, outputs)``, means what it meant: a number as 3rd
    positional argument is 0.14's ``pose_nms_thr`` (see
    :mod:`mmpose.apis.dialect`).

    Args:
        model (nn.Module): Bottom-up model from :func:`init_pose_model`.
        img_or_path (str | np.ndarray): Image path or BGR image.
        dataset (str): Dataset name when there is no ``dataset_info``; the
            default stands for the dataset of the model config's test set.
        dataset_info (DatasetInfo | dict, optional): Dataset metadata; by
            default the model config's when it has one.
        pose_nms_thr (float): Poses whose OKS with a higher-scoring pose
            exceeds this are removed. Default: 0.9.
        return_heatmap (bool): Add the aggregated heatmaps under 'heatmap'.
        outputs (list[str], optional): Layer names whose outputs are
            returned; the plain fp32 model (not the fast copy) runs then.

    Returns:
        tuple:
        - pose_results (list[dict]): Per person 'keypoints'
          (np.ndarray[K, 3]), 'score' (float) and 'area' (float), highest
          score first.
        - returned_outputs (list[dict]): One dict of layer outputs (and
          'heatmap').
    """
    _check_model(model, BOTTOM_UP_TYPES, 'inference_bottom_up_pose_model')
    cfg = _cfg(model)
    num_joints = int(cfg.data_cfg['num_joints'])
    meta = resolve_dataset_meta(cfg, _bottom_up_dataset(cfg, dataset),
                                dataset_info, num_joints)
    loader, pipeline = _split_pipeline(cfg)
    data = loader({'img_or_path': img_or_path})
    data.update({
        'dataset': meta.dataset_name,
        'ann_info': {
            'image_size': cfg.data_cfg['image_size'],
            'heatmap_size': cfg.data_cfg.get('heatmap_size'),
            'num_joints': num_joints,
            'flip_index': meta.flip_index,
            'skeleton': meta.skeleton,
        }
    })
    data = pipeline(data)
    device = _model_device(model)
    img_metas = [data['img_metas'].data]
    # as the weights: mixed layouts fall back to slow convolutions
    memory_format = (torch.channels_last if is_channels_last(model) else
                     torch.contiguous_format)
    aug_data = [(a[None] if a.dim() == 3 else a).contiguous(
        memory_format=memory_format) for a in img_metas[0]['aug_data']]
    img_metas[0]['aug_data'] = aug_data
    # The network reads the resized images in aug_data; 'img' only carries
    # the batch size and device (the largest scale stands in when the
    # pipeline left the image as an array).
    img = data['img']
    img = (img[None] if isinstance(img, torch.Tensor) else aug_data[0])
    img = img.to(device)

    with OutputHook(model, outputs=outputs, as_tensor=False) as hook:
        result = _run_network(
            model,
            bool(outputs),
            img=img,
            img_metas=img_metas,
            return_heatmap=return_heatmap)
        if return_heatmap:
            hook.layer_outputs['heatmap'] = result['output_heatmap']

    preds = [np.asarray(p) for p in result['preds']]
    if not preds:
        return [], [hook.layer_outputs]
    kpts = np.stack(preds)[..., :3]  # [N, K, 3]
    extent = kpts[..., :2].max(axis=1) - kpts[..., :2].min(axis=1)
    areas = extent[:, 0] * extent[:, 1]
    pose_results = [
        dict(keypoints=k, score=float(s), area=float(a))
        for k, s, a in zip(kpts, result['scores'], areas)
    ]
    keep = oks_nms(pose_results, pose_nms_thr, sigmas=meta.sigmas)
    return [pose_results[i] for i in keep], [hook.layer_outputs]


def draw_skeleton(model: nn.Module, img: ImageLike, result: Sequence[dict],
                  meta: DatasetMeta, **kwargs) -> np.ndarray:
    """Draw ``result`` with ``model.show_result`` using the skeleton of
    ``meta``; ``kwargs`` go to ``show_result`` (colours, radius, ...)."""
    model = _unwrap(model)
    if isinstance(img, (str, Path)):
        img = read_image(str(img), channel_order='bgr')
    return model.show_result(img, result, meta.skeleton_1based, **kwargs)


@accepts_014_call
def vis_pose_result(model: nn.Module,
                    img: ImageLike,
                    result: Sequence[dict],
                    radius: int = 4,
                    thickness: int = 1,
                    kpt_score_thr: float = 0.3,
                    bbox_color='green',
                    dataset: str = 'TopDownCocoDataset',
                    dataset_info=None,
                    show: bool = False,
                    out_file: Optional[str] = None) -> np.ndarray:
    """Draw pose results (boxes, keypoints and the dataset's skeleton in
    the dataset's colours).

    A call written for 0.14, ``(model, img, result, kpt_score_thr, dataset,
    show, out_file)``, means what it meant: a float 4th or a str 5th
    positional argument makes it a 0.14 call (see
    :mod:`mmpose.apis.dialect`). Face datasets named by ``dataset`` draw
    every landmark (threshold 0), as in 0.x.

    Args:
        model (nn.Module): The pose model (its ``show_result`` draws).
        img (str | np.ndarray): Image path or BGR image.
        result (list[dict]): Per person 'keypoints' (np.ndarray[K, 3]) and
            optionally 'bbox'.
        radius (int): Keypoint circle radius. Default: 4.
        thickness (int): Line thickness. Default: 1.
        kpt_score_thr (float): Minimum score of drawn keypoints.
        bbox_color (str | tuple): Box colour. Default: 'green'.
        dataset (str): Dataset name, e.g. 'TopDownCocoDataset', when there
            is no ``dataset_info``.
        dataset_info (DatasetInfo | dict, optional): Dataset metadata; by
            default the model config's when it has one.
        show (bool): Show the image in a window.
        out_file (str, optional): Write the image there.

    Returns:
        np.ndarray[H, W, 3]: The drawn image.
    """
    num_keypoints = (len(result[0]['keypoints']) if len(result) else None)
    meta = resolve_dataset_meta(_cfg(model), dataset, dataset_info,
                                num_keypoints)
    if meta.kpt_score_thr is not None:
        kpt_score_thr = meta.kpt_score_thr
    return draw_skeleton(
        model,
        img,
        result,
        meta,
        radius=radius,
        thickness=thickness,
        pose_kpt_color=meta.pose_kpt_color,
        pose_limb_color=meta.pose_link_color,
        kpt_score_thr=kpt_score_thr,
        bbox_color=bbox_color,
        show=show,
        out_file=out_file)


def process_mmdet_results(mmdet_results: Union[list, tuple],
                          cat_id: int = 1) -> List[dict]:
    """Person results from an MMDetection result.

    Args:
        mmdet_results (list | tuple): Per class an np.ndarray[N, 5] of
            ``x1, y1, x2, y2, score`` boxes, or a (boxes, masks) tuple of
            a detector with masks.
        cat_id (int): 1-based category of the wanted objects (1: person in
            COCO). Default: 1.

    Returns:
        list[dict]: One ``{'bbox': np.ndarray[5]}`` per box of ``cat_id``.
    """
    det_results = (mmdet_results[0]
                   if isinstance(mmdet_results, tuple) else mmdet_results)
    if not 1 <= cat_id <= len(det_results):
        raise ArgumentError(f'cat_id must be in 1..{len(det_results)} (the '
                            f'classes of the detector), got {cat_id}')
    return [{'bbox': bbox} for bbox in det_results[cat_id - 1]]


def collect_multi_frames(video: Sequence[np.ndarray],
                         frame_id: int,
                         indices: Sequence[int],
                         online: bool = False) -> List[np.ndarray]:
    """The frames a multi-frame model needs for frame ``frame_id``.

    Args:
        video (mmcv.VideoReader | Sequence[np.ndarray]): The video frames.
        frame_id (int): Index of the current frame.
        indices (Sequence[int]): Offsets of the wanted frames from the
            current one (0 is the current frame itself).
        online (bool): Real-time mode: no future frames, offsets past the
            current frame are clipped to it. Default: False.

    Returns:
        list[np.ndarray]: The current frame first, then the frame of each
        non-zero offset in ``indices`` order, clipped to the video (to
        ``frame_id`` when ``online``).
    """
    last = frame_id if online else len(video) - 1
    offsets = np.asarray([i for i in indices if i != 0], dtype=np.int64)
    support = np.clip(frame_id + offsets, 0, last)
    return [video[frame_id]] + [video[int(i)] for i in support]
