"""NVGesture: 25 dynamic hand gestures filmed in RGB, depth and stereo IR
(Molchanov et al., CVPR 2016)."""
import copy
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from torch.utils.data import Dataset

from mmpose.errors import UnknownNameError
from ...builder import DATASETS
from ...dataset_info import warn_missing_dataset_info
from ...metadata import load_dataset_info
from ...pipelines import Compose
from ..base import load_json, write_json
from ..base.coco_eval import result_folder

__all__ = ['NVGestureDataset']

# Modalities whose clips an annotation line names (flow is derived).
_LISTED = ('depth', 'color')


def parse_nvgesture_line(line: str) -> dict:
    """One sample of an NVGesture ``.lst`` annotation line, e.g.
    ``path:./Video_data/class_01/subject1_r0 depth:sk_depth:108:172
    color:sk_color:108:172 duo_left:duo_left:157:229 label:1``.

    Returns:
        dict: ``dir`` (the sample folder), ``label`` (0-based) and per
        modality ('depth', 'rgb', 'flow') ``{'path', 'valid_frames'}``; the
        flow clip is the colour clip's path with 'color' -> 'flow'.
    """
    fields = dict(item.split(':', 1) for item in line.split())
    missing = [k for k in ('path', 'label', *_LISTED) if k not in fields]
    if missing:
        raise UnknownNameError(f'NVGesture annotation line lacks {missing}: '
                               f'{line!r}')
    folder = fields['path'][2:] if fields['path'].startswith('./') \
        else fields['path']
    sample = dict(dir=folder, label=int(fields['label']) - 1)
    for key in _LISTED:
        name, start, end = fields[key].split(':')
        sample[key] = dict(
            path=osp.join(folder, name + '.avi'),
            valid_frames=(int(start), int(end)))
    sample['rgb'] = sample.pop('color')
    sample['flow'] = dict(
        path=sample['rgb']['path'].replace('color', 'flow'),
        valid_frames=sample['rgb']['valid_frames'])
    return sample


def _to_numpy(value) -> np.ndarray:
    """A tensor (on any device) or array-like as an array."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


@DATASETS.register_module()
class NVGestureDataset(Dataset):
    """NVGesture dataset for gesture recognition.

    Args:
        ann_file (str): The ``.lst`` annotation file, one sample a line.
        vid_prefix (str): Folder the samples' paths are relative to.
        data_cfg (dict): ``video_size`` ([W, H]), ``modality`` (str or list
            of 'rgb', 'depth', 'flow') and optional ``bbox_file`` (JSON:
            sample folder -> per-frame lists of ``{'bbox': [x1, y1, x2,
            y2]}``).
        pipeline (list[dict]): Processing steps.
        dataset_info (dict | None): The ``nvgesture`` table (class names,
            ``flip_pairs`` of mirrored gestures); the package's table when
            None (after a ``DeprecationWarning``, as 0.29 warned).
        test_mode (bool): Testing (no effect on the samples). Default:
            False.
    """

    def __init__(self,
                 ann_file: str,
                 vid_prefix: str,
                 data_cfg: dict,
                 pipeline: Sequence[dict],
                 dataset_info: Optional[dict] = None,
                 test_mode: bool = False):
        if dataset_info is None:
            warn_missing_dataset_info(type(self).__name__, 'nvgesture')
            dataset_info = load_dataset_info('nvgesture')
        self.ann_file = ann_file
        self.vid_prefix = vid_prefix
        self.test_mode = test_mode
        self.dataset_name = dataset_info['dataset_name']
        modality = data_cfg['modality']
        self.modality = tuple(modality) if isinstance(
            modality, (list, tuple)) else (modality, )
        self.bbox_file = data_cfg.get('bbox_file')
        self.ann_info = dict(
            video_size=np.array(data_cfg['video_size']),
            flip_pairs=[tuple(p) for p in dataset_info['flip_pairs']])
        self.pipeline = Compose(pipeline)
        self.db = self._get_db()
        self.vid_ids = list(range(len(self.db)))

    def _get_db(self) -> List[dict]:
        """The parsed samples, with their boxes when ``bbox_file`` is set."""
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'annotation file does not exist: {self.ann_file}')
        with open(self.ann_file) as f:
            db = [parse_nvgesture_line(line) for line in f if line.strip()]
        if self.bbox_file:
            bboxes = load_json(self.bbox_file, 'bbox file')
            for sample in db:
                if sample['dir'] not in bboxes:
                    raise UnknownNameError(
                        f'{self.bbox_file} has no boxes for sample '
                        f'{sample["dir"]!r}')
                sample['bbox'] = bboxes[sample['dir']]
        return db

    def _get_single(self, idx: int) -> dict:
        """The pipeline input of sample ``idx``."""
        sample = self.db[self.vid_ids[idx]]
        anno = defaultdict(list)
        anno['label'] = sample['label']
        anno['modality'] = list(self.modality)
        if 'bbox' in sample:
            anno['bbox'] = sample['bbox']
        for modal in self.modality:
            anno['video_file'].append(
                osp.join(self.vid_prefix, sample[modal]['path']))
            anno['valid_frames'].append(list(sample[modal]['valid_frames']))
        return anno

    def __len__(self) -> int:
        return len(self.vid_ids)

    def __getitem__(self, idx: int) -> dict:
        results = copy.deepcopy(self._get_single(idx))
        results['ann_info'] = self.ann_info
        return self.pipeline(results)

    def evaluate(self,
                 results: List[dict],
                 res_folder: Optional[str] = None,
                 metric: Union[str, Sequence[str]] = 'AP',
                 **kwargs) -> Dict[str, float]:
        """Top-1 accuracy of each modality's time-averaged logits (0.29
        calls it ``AP``); the predicted classes are written to
        ``${res_folder}/result_gesture.json`` (a temporary folder when
        None).

        Args:
            results (list[dict]): Test outputs, each with ``logits``
                ({modality: Tensor[N, L, T]}) and ``label`` (Tensor[N]).
            res_folder (str | None): Folder of the result file.
            metric (str | list[str]): 'AP'.

        Returns:
            dict: ``AP_<modality>`` for each modality, and their mean
            ``AP_mean``.

        Raises:
            UnknownNameError: an unknown metric (a ``KeyError``, as in 0.29).
        """
        metrics = [metric] if isinstance(metric, str) else list(metric)
        for m in metrics:
            if m != 'AP':
                raise UnknownNameError(f'metric {m!r} is not supported by '
                                       "NVGestureDataset; allowed: ['AP']")
        predictions = defaultdict(list)
        labels = []
        for result in results:
            labels.append(_to_numpy(result['label']).reshape(-1))
            for modal, logit in result['logits'].items():
                predictions[modal].append(
                    _to_numpy(logit).mean(axis=2).argmax(axis=1))
        labels = np.concatenate(labels)
        predictions = {m: np.concatenate(p) for m, p in predictions.items()}
        with result_folder(res_folder) as folder:
            write_json(predictions, osp.join(folder, 'result_gesture.json'))
        accuracy = {
            f'AP_{m}': float((pred == labels).mean())
            for m, pred in predictions.items()
        }
        accuracy['AP_mean'] = sum(accuracy.values()) / len(accuracy)
        return accuracy
