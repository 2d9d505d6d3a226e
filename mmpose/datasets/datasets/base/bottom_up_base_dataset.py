"""Base class of the bottom-up (multi-person, whole image) datasets.

A bottom-up sample is a whole image with the keypoints of all its people and
a mask of the regions to ignore (crowds and people without keypoints).
Subclasses name their ``dataset_info`` table (keypoints, flip index,
sigmas...) and the evaluation settings only::

    @DATASETS.register_module()
    class BottomUpMyDataset(BottomUpBaseDataset):
        DATASET_INFO = 'crowdpose'
        COCO_USE_AREA = False       # box area instead of annotated area
"""
import copy
import os.path as osp
from collections import OrderedDict, defaultdict
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from mmpose.errors import ArgumentError, UnknownNameError

from .coco_eval import (coco_keypoint_eval, has_ground_truth, load_coco,
                        result_folder, write_json)
from .keypoint_base_dataset import KeypointBaseDataset


def _rle_counts(counts: Union[str, bytes, Sequence[int]]) -> List[int]:
    """Run lengths of an RLE, decoding COCO's compressed string form.

    The string stores each run in 5-bit groups (offset by 48, bit 0x20 meaning
    "more groups follow", bit 0x10 of the last group the sign); from the
    third run on, values are deltas to the run two places before.
    """
    if not isinstance(counts, (str, bytes)):
        return [int(c) for c in counts]
    data = counts.encode() if isinstance(counts, str) else counts
    runs: List[int] = []
    pos = 0
    # character-level decoding of a variable-length code; no vector form
    while pos < len(data):
        value, shift, more = 0, 0, True
        while more:
            c = data[pos] - 48
            value |= (c & 0x1f) << shift
            more = bool(c & 0x20)
            pos += 1
            shift += 5
            if not more and (c & 0x10):
                value |= -1 << shift
        if len(runs) > 2:
            value += runs[-2]
        runs.append(value)
    return runs


def decode_rle(rle: dict) -> np.ndarray:
    """Binary mask (H, W) uint8 of a COCO RLE ``{'size': [H, W], 'counts'}``.

    Runs alternate background / foreground over the column-major pixels.
    """
    height, width = rle['size']
    runs = _rle_counts(rle['counts'])
    flat = np.repeat(np.arange(len(runs)) % 2, runs).astype(np.uint8)
    if flat.size != height * width:
        raise ArgumentError(f'RLE covers {flat.size} pixels, expected '
                            f'{height}x{width}')
    return flat.reshape((height, width), order='F')


class BottomUpBaseDataset(KeypointBaseDataset):
    """Base class of bottom-up keypoint datasets on COCO-format files.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Directory holding the images.
        data_cfg (dict): ``image_size``, ``heatmap_size`` (one per scale),
            ``num_joints``, ``num_scales``, ``scale_aware_sigma``,
            ``base_size``, ``base_sigma``, ``inference_channel``,
            ``dataset_channel``; optional ``use_nms``, ``soft_nms``,
            ``oks_thr`` for OKS-NMS at evaluation; optional ``with_bbox``
            (0.29, CID) to add the person boxes and areas to the samples.
        pipeline (list[dict | callable]): Transforms composed with
            ``Compose``.
        test_mode (bool): Building a validation/test set. Default: False.
            In training, images without annotations are skipped.
        dataset_info (dict | None): 0.29 ``dataset_info`` table replacing
            the class's own (see :class:`KeypointBaseDataset`).

    Samples are dicts with ``dataset``, ``image_file``, ``mask`` (list of
    ``num_scales`` bool arrays (H, W), True where the loss is kept),
    ``joints`` (list of ``num_scales`` arrays (M, K, 3) or (M, K, 4) with
    scale-aware sigma) and ``ann_info``; with ``data_cfg.with_bbox`` also
    ``bboxes`` (float64 [M, 4, 2]: the corners top-left, top-right,
    bottom-left, bottom-right of each annotated ``bbox``) and ``areas``
    (float64 [M, 1]: box width times height).
    """

    ALLOWED_METRICS: Sequence[str] = ('mAP', )
    DEFAULT_METRIC: str = 'mAP'

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: Sequence[Union[dict, Any]],
                 test_mode: bool = False,
                 dataset_info: Optional[dict] = None):
        self._setup(ann_file, img_prefix, data_cfg, pipeline, test_mode,
                    dataset_info, coco_style=True)
        self._check_annotations()
        print(f'=> num_images: {self.num_images}')

    def _setup(self, ann_file: str, img_prefix: str, data_cfg: dict,
               pipeline: Sequence[Union[dict, Any]], test_mode: bool,
               dataset_info: Optional[dict], coco_style: bool) -> None:
        """Metadata, ``ann_info``, NMS settings and, for a COCO-format file,
        ``self.coco`` with the image ids (in training only images with
        annotations) and names."""
        KeypointBaseDataset.__init__(self, ann_file, img_prefix, data_cfg,
                                     pipeline, test_mode, dataset_info)
        self.use_nms = data_cfg.get('use_nms', False)
        self.soft_nms = data_cfg.get('soft_nms', False)
        self.oks_thr = data_cfg.get('oks_thr', 0.9)
        self.with_bbox = data_cfg.get('with_bbox', False)

        self.coco = None
        self.img_ids: List[Any] = []
        self.num_images = 0
        self.id2name: Dict[Any, str] = {}
        self.name2id: Dict[str, Any] = {}
        if not coco_style:
            return
        self.coco = load_coco(ann_file)
        img_ids = self.coco.getImgIds()
        if not self.test_mode:
            img_ids = [
                i for i in img_ids
                if len(self.coco.getAnnIds(imgIds=i, iscrowd=None)) > 0
            ]
        if not img_ids:
            raise ArgumentError(f'{type(self).__name__}: no usable image in '
                                f'{ann_file}')
        self.img_ids = img_ids
        self.num_images = len(img_ids)
        self.id2name = {
            i: img['file_name']
            for i, img in self.coco.imgs.items()
        }
        self.name2id = {v: k for k, v in self.id2name.items()}

    def _build_ann_info(self, data_cfg: dict) -> dict:
        """``ann_info`` from ``data_cfg`` and the class metadata."""
        if data_cfg.get('scale_aware_sigma', False) and \
                'base_size' not in data_cfg:
            raise UnknownNameError('scale_aware_sigma needs '
                                   'data_cfg.base_size and '
                                   'data_cfg.base_sigma')
        ann_info = super()._build_ann_info(data_cfg)
        ann_info.update(
            num_scales=data_cfg.get('num_scales', 1),
            scale_aware_sigma=data_cfg.get('scale_aware_sigma', False),
            base_size=data_cfg.get('base_size', 256),
            base_sigma=data_cfg.get('base_sigma', 2),
            flip_index=list(self.FLIP_INDEX),
            use_different_joint_weights=False)
        return ann_info

    def _parse_keypoints(self, obj: dict) -> np.ndarray:
        """(K, 3) keypoints of one annotation (subclasses with another
        layout override this)."""
        kpts = np.asarray(obj['keypoints'], dtype=np.float32)
        if kpts.size % 3:
            raise ArgumentError(f'{self.ann_file}: annotation id '
                                f"{obj.get('id')} has {kpts.size} keypoint "
                                'values, not a multiple of 3')
        return kpts.reshape(-1, 3)

    def _check_annotations(self) -> None:
        """Check every keypoint annotation has ``num_joints`` keypoints."""
        expected = self.ann_info['num_joints']
        for ann in self.coco.anns.values():
            if 'keypoints' not in ann:
                continue
            found = self._parse_keypoints(ann).shape[0]
            if found != expected:
                raise ArgumentError(f'{self.ann_file}: annotation id '
                                    f"{ann.get('id')} (image "
                                    f"{ann.get('image_id')}) has "
                                    f'{found * 3} keypoint values, expected '
                                    f'{expected * 3}')

    def __len__(self) -> int:
        return len(self.img_ids)

    def _get_joints(self, anno: List[dict]) -> np.ndarray:
        """Keypoints of all people (M, K, 3), or (M, K, 4) with sigma.

        With ``scale_aware_sigma`` the 4th channel is
        ``max(w, h) / base_size * base_sigma`` of the person box.
        """
        num_joints = self.ann_info['num_joints']
        channels = 4 if self.ann_info['scale_aware_sigma'] else 3
        joints = np.zeros((len(anno), num_joints, channels), dtype=np.float32)
        if not anno:
            return joints
        joints[:, :, :3] = np.stack(
            [self._parse_keypoints(obj) for obj in anno])
        if channels == 4:
            sizes = np.array([max(obj['bbox'][2:4]) for obj in anno],
                             dtype=np.float32)
            joints[:, :, 3] = (sizes / self.ann_info['base_size'] *
                               self.ann_info['base_sigma'])[:, None]
        return joints

    def _get_boxes(self, anno: List[dict]) -> Dict[str, np.ndarray]:
        """``bboxes`` (M, 4, 2) corners and ``areas`` (M, 1) of the people's
        ``bbox`` (x, y, w, h) annotations."""
        missing = [obj.get('id') for obj in anno if 'bbox' not in obj]
        if missing:
            raise ArgumentError(f'{self.ann_file}: data_cfg.with_bbox needs '
                                f'a bbox in every annotation; ids {missing} '
                                'have none')
        xywh = np.array([obj['bbox'] for obj in anno],
                        dtype=np.float64).reshape(-1, 4)
        corner_of_unit = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])
        bboxes = xywh[:, None, :2] + corner_of_unit * xywh[:, None, 2:]
        return {'bboxes': bboxes, 'areas': xywh[:, 2:3] * xywh[:, 3:4]}

    def _get_mask(self, anno: List[dict], img_id: Any) -> np.ndarray:
        """Loss mask (H, W), False on crowds and on people without keypoints.
        """
        import xtcocotools.mask as mask_utils

        img_info = self.coco.loadImgs(img_id)[0]
        height, width = img_info['height'], img_info['width']
        m = np.zeros((height, width), dtype=np.float32)
        for obj in anno:
            if 'segmentation' not in obj:
                continue
            if obj.get('iscrowd', 0) or (obj.get('num_keypoints', 0) == 0
                                         and obj['segmentation']):
                rles = mask_utils.frPyObjects(obj['segmentation'], height,
                                              width)
                for rle in ([rles] if isinstance(rles, dict) else rles):
                    m += decode_rle(rle)
        return m < 0.5

    def _get_single(self, idx: int) -> dict:
        """Raw sample of image ``idx`` (before the pipeline)."""
        img_id = self.img_ids[idx]
        anno = self.coco.loadAnns(self.coco.getAnnIds(imgIds=img_id))
        mask = self._get_mask(anno, img_id)
        anno = [
            obj for obj in anno
            if obj.get('iscrowd', 0) == 0 or obj.get('num_keypoints', 0) > 0
        ]
        joints = self._get_joints(anno)
        num_scales = self.ann_info['num_scales']
        sample = {
            'dataset': self.dataset_name,
            'image_file': osp.join(self.img_prefix, self.id2name[img_id]),
            'mask': [mask.copy() for _ in range(num_scales)],
            'joints': [joints.copy() for _ in range(num_scales)],
        }
        if self.with_bbox:
            sample.update(self._get_boxes(anno))
        return sample

    def __getitem__(self, idx: int) -> dict:
        return self._run_pipeline(
            copy.deepcopy(self._get_single(idx)),
            f'image id {self.img_ids[idx]}')

    # ------------------------------------------------------------------
    # evaluation
    # ------------------------------------------------------------------
    def _image_id_from_path(self, image_path: str) -> Any:
        """Image id of a predicted image path (matched by file name)."""
        for name in (image_path[len(self.img_prefix):].lstrip('/')
                     if image_path.startswith(self.img_prefix) else
                     image_path, osp.basename(image_path)):
            if name in self.name2id:
                return self.name2id[name]
        raise UnknownNameError(f'predicted image {image_path} is not in '
                               f'{self.ann_file}')

    def evaluate(self,
                 outputs: Sequence[dict],
                 res_folder: Optional[str] = None,
                 metric: Union[str, Sequence[str]] = 'mAP',
                 **kwargs) -> 'OrderedDict[str, float]':
        """COCO keypoint mAP; writes ``${res_folder}/result_keypoints.json``.

        Args:
            outputs (list[dict]): One dict per image with ``preds`` (list of
                (K, 3 + tag_num) arrays, or (P, K, 3 + tag_num)), ``scores``
                (P,) and ``image_paths`` (1,).
            res_folder (str | None): Directory of the result file (None: a
                temporary one).
            metric (str | list[str]): ``'mAP'``.

        Returns:
            OrderedDict: ``AP``, ``AP .5``, ... as ``COCOeval`` reports them;
            empty (after a warning) when the ground-truth file has no
            annotations (0.29).
        """
        self._check_metrics(metric)
        kpts = defaultdict(list)
        for output in outputs:
            image_id = self._image_id_from_path(output['image_paths'][0])
            for pred, score in zip(output['preds'], output['scores']):
                pred = np.asarray(pred)
                area = (np.ptp(pred[:, 0]) * np.ptp(pred[:, 1]))
                kpts[image_id].append({
                    'keypoints': pred[:, 0:3],
                    'score': float(score),
                    'tags': pred[:, 3:],
                    'image_id': image_id,
                    'area': float(area),
                })
        results = self._nms_and_format(kpts)
        with result_folder(res_folder) as folder:
            res_file = osp.join(folder, 'result_keypoints.json')
            write_json(results, res_file)
            info = (self._do_coco_eval(res_file)
                    if has_ground_truth(self.coco, res_file) else [])
        return OrderedDict(info)

    def _do_coco_eval(self, res_file: str) -> List[Tuple[str, float]]:
        """``COCOeval`` of ``res_file`` against ``self.coco``."""
        return coco_keypoint_eval(self.coco, res_file, self.sigmas,
                                  self.COCO_IOU_TYPE, self.COCO_USE_AREA)

    def _nms_and_format(self, kpts: Dict[Any, List[dict]]) -> List[dict]:
        """Optional OKS-NMS per image, then COCO result entries whose
        ``bbox`` is the keypoints' bounding box."""
        category_id = self.coco.getCatIds()[0]
        results = []
        for img_kpts in kpts.values():
            if self.use_nms and img_kpts:
                from mmpose.core.post_processing import oks_nms, soft_oks_nms
                nms = soft_oks_nms if self.soft_nms else oks_nms
                keep = nms(img_kpts, self.oks_thr, sigmas=self.sigmas)
                img_kpts = [img_kpts[i] for i in keep]
            for k in img_kpts:
                kp = k['keypoints']
                left_top = kp.min(axis=0)
                right_bottom = kp.max(axis=0)
                results.append({
                    'image_id': k['image_id'],
                    'category_id': category_id,
                    'keypoints': kp.reshape(-1).tolist(),
                    'score': k['score'],
                    'bbox': [
                        float(left_top[0]),
                        float(left_top[1]),
                        float(right_bottom[0] - left_top[0]),
                        float(right_bottom[1] - left_top[1])
                    ],
                })
        return results
