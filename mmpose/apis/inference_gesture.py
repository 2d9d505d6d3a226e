"""Gesture recognition on videos: MMPose 0.29's
``inference_gesture_model``."""
from typing import Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmcv.parallel import collate
from torch import nn

from mmpose.datasets.pipelines import Compose
from mmpose.errors import ArgumentTypeError
from .inference import _cfg, _model_device, _unwrap

__all__ = ['inference_gesture_model']

VideoLike = Union[str, np.ndarray]


def _batch_to(data: dict, device: torch.device) -> dict:
    """The collated batch with its tensors (also inside lists) on
    ``device`` and the meta ``DataContainer`` unwrapped."""
    def move(value):
        if isinstance(value, torch.Tensor):
            return value.to(device)
        if isinstance(value, list):
            return [move(v) for v in value]
        return value

    batch = {key: move(value) for key, value in data.items()}
    batch['img_metas'] = data['img_metas'].data[0]
    return batch


def inference_gesture_model(
    model: nn.Module,
    videos_or_paths: Union[VideoLike, Sequence[VideoLike]],
    bboxes: Optional[Sequence] = None,
    dataset_info: Optional[dict] = None,
) -> Tuple[torch.Tensor, torch.Tensor]:
    """Recognise the gesture in one video (one clip per modality).

    The clips go through the config's ``test_pipeline``; the class scores
    are the softmax of each modality's time-averaged logits, averaged over
    the modalities.

    Args:
        model (nn.Module): A ``GestureRecognizer`` from
            :func:`mmpose.apis.init_pose_model`.
        videos_or_paths (str | np.ndarray | list): A video file path, or a
            video array ``[T, H, W, C]`` (BGR, as decoded), or one of them
            per modality.
        bboxes (list | None): Per frame, a list of ``{'bbox': [x1, y1, x2,
            y2]}`` hand boxes, for pipelines that crop by box.
        dataset_info (dict | None): ``modality`` (list of the clips'
            modalities; default: the model's) and ``fps`` (frame rate of
            video arrays, for pipelines that resample to a reference rate;
            video files give their own).

    Returns:
        tuple: ``pred_label`` (torch.Tensor[1]) and ``pred_score``
        (torch.Tensor[1]).
    """
    cfg = _cfg(model)
    if cfg is None or 'test_pipeline' not in cfg:
        raise ArgumentTypeError('inference_gesture_model needs a model built '
                                'by init_pose_model from a config with a '
                                'test_pipeline')
    if not isinstance(videos_or_paths, (list, tuple)):
        videos_or_paths = [videos_or_paths]
    dataset_info = dict(dataset_info or {})

    data = {'label': -1}
    key = 'video_file' if isinstance(videos_or_paths[0], str) else 'video'
    data[key] = list(videos_or_paths)
    data['modality'] = list(
        dataset_info.get('modality', _unwrap(model).modality))
    if key == 'video' and dataset_info.get('fps') is not None:
        fps = dataset_info['fps']
        data['fps'] = list(fps) if isinstance(fps, (list, tuple)) else [fps]
    if bboxes is not None:
        data['bbox'] = bboxes

    data = Compose(cfg.test_pipeline)(data)
    batch = _batch_to(collate([data], samples_per_gpu=1), _model_device(model))
    with torch.no_grad():
        output = model(return_loss=False, **batch)
    scores = [
        torch.softmax(logit.flatten(2).mean(dim=2), dim=1)
        for logit in output['logits'].values()
    ]
    pred_score, pred_label = torch.stack(scores).mean(dim=0).max(dim=1)
    return pred_label, pred_score
