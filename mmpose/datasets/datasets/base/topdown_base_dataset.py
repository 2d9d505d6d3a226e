"""Base class of the 2D top-down keypoint datasets.

A top-down dataset is a list of person (or hand, face, animal, ...) instances,
each a box plus K keypoints. Everything that does not depend on the dataset
lives here: ``ann_info`` from ``data_cfg``, COCO-format loading, box to
center/scale conversion, detected boxes, the pipeline, collecting the model
outputs, result files and one ``evaluate`` dispatching to PCK / PCKh / AUC /
EPE / NME or to COCO mAP with rescoring and OKS-NMS.

How to write a new 2D top-down dataset
--------------------------------------
Subclass :class:`TopDownBaseDataset`, register it, and name its
``dataset_info`` table (keypoints, flip pairs, sigmas... see
:mod:`mmpose.datasets.metadata`)::

    @DATASETS.register_module()
    class MyHandDataset(TopDownBaseDataset):
        DATASET_INFO = 'onehand10k'
        ALLOWED_METRICS = ('PCK', 'AUC', 'EPE')
        DEFAULT_METRIC = 'PCK'

That is all for a COCO-format annotation file (``images``/``annotations``
with ``bbox`` and ``keypoints``): ``_get_db`` reads it. Otherwise override

* ``_get_db(self) -> list[dict]``: parse ``self.ann_file`` into records made
  with :meth:`_make_record`, or
* smaller hooks of the COCO reader: ``_parse_keypoints(obj)`` (K, 3) array,
  ``_parse_bbox(obj)`` ``[x, y, w, h]``, ``_extra_record_fields(obj,
  img_info)`` (e.g. ``{'box_size': ...}`` for NME or ``{'head_size': ...}``
  for PCKh),
* ``_get_normalize_factor(gts, records)`` or ``NME_NORMALIZE_JOINTS`` for
  NME, ``BBOX_PADDING`` for the box padding (1.25 by default).

For COCO-style mAP the table needs ``sigmas``; add ``'mAP'`` to
``ALLOWED_METRICS``, and set ``COCO_IOU_TYPE``/``COCO_USE_AREA`` if needed.
Datasets with a special metric override :meth:`_report_metric` (called with
the collected predictions) and fall back to ``super()._report_metric``.
"""
import copy
import os.path as osp
import warnings
from collections import OrderedDict, defaultdict
from typing import (Any, Callable, Dict, List, Optional, Sequence, Tuple,
                    Union)

import numpy as np

from mmpose.core.bbox import bbox_xywh2cs
from mmpose.errors import ArgumentError, UnknownNameError

from .coco_eval import (coco_keypoint_eval, has_ground_truth, load_coco,
                        load_json, result_folder, write_json)
from .keypoint_base_dataset import KeypointBaseDataset

#: Pixel standard of the 0.x box scale: scale = box size / 200.
PIXEL_STD = 200.0


def sort_and_unique(kpts: List[dict],
                    key: Union[str, Callable[[dict], Any]] = 'bbox_id'
                    ) -> List[dict]:
    """Sort result dicts by ``key`` and keep the first of each key.

    Test-time data loaders may pad the last batch with repeated samples; the
    duplicates carry the same ``bbox_id``.

    Args:
        kpts (list[dict]): Result dicts.
        key (str | callable): The field to sort by, or a function of a
            result dict giving its (sortable) key.
    """
    get = key if callable(key) else (lambda x: x[key])
    kpts = sorted(kpts, key=get)
    keys = [get(k) for k in kpts]
    return [k for i, k in enumerate(kpts) if i == 0 or keys[i] != keys[i - 1]]


class TopDownBaseDataset(KeypointBaseDataset):
    """Base class of 2D top-down keypoint datasets (see module docstring).

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Directory holding the images.
        data_cfg (dict): ``image_size``, ``heatmap_size``, ``num_joints``,
            ``num_output_channels``, ``inference_channel``,
            ``dataset_channel``; for detected boxes also ``use_gt_bbox``,
            ``bbox_file``, ``det_bbox_thr``; for mAP ``use_nms``,
            ``soft_nms``, ``nms_thr``, ``oks_thr``, ``vis_thr``.
        pipeline (list[dict | callable]): Transforms composed with
            ``Compose``.
        test_mode (bool): Building a validation/test set. Default: False.
        dataset_info (dict | None): 0.29 ``dataset_info`` table replacing
            the class's own (see :class:`KeypointBaseDataset`).

    Records (``self.db``) are dicts with ``image_file``, ``center`` (2,),
    ``scale`` (2,), ``bbox`` ``[x, y, w, h]``, ``rotation``, ``joints_3d``
    (K, 3), ``joints_3d_visible`` (K, 3), ``dataset``, ``bbox_score``,
    ``bbox_id`` (unique, sortable) and optional ``image_id``, ``head_size``,
    ``box_size``.
    """

    # ----- settings, overridden by subclasses (metadata: KeypointBaseDataset)
    ALLOWED_METRICS: Sequence[str] = ('PCK', 'AUC', 'EPE')
    DEFAULT_METRIC: str = 'PCK'
    #: Box padding applied by :meth:`_bbox_center_scale`.
    BBOX_PADDING: float = 1.25
    #: Detection category kept from ``bbox_file``.
    DET_CATEGORY_ID: int = 1
    #: Joint pair (i, j) whose distance normalises NME (e.g. outer eye
    #: corners); None uses the record's ``box_size``.
    NME_NORMALIZE_JOINTS: Optional[Tuple[int, int]] = None
    #: Whether ``ann_file`` is COCO format, read into ``self.coco``.
    COCO_FORMAT: bool = True
    #: Whether the dataset refuses detected boxes (``use_gt_bbox=False``),
    #: as 0.14 asserted.
    GT_BBOX_ONLY: bool = False
    #: Whether ``bbox_id`` counts the instances of each image from 0 (0.29's
    #: AP-10K), an instance then being known by ``(image_id, bbox_id)``;
    #: otherwise it counts all instances of the file.
    BBOX_ID_PER_IMAGE: bool = False

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: Sequence[Union[dict, Any]],
                 test_mode: bool = False,
                 dataset_info: Optional[dict] = None):
        self._setup(ann_file, img_prefix, data_cfg, pipeline, test_mode,
                    dataset_info, self.COCO_FORMAT)
        if self.GT_BBOX_ONLY and not self.use_gt_bbox:
            raise ArgumentError(
                f'{type(self).__name__} reads ground-truth boxes only; '
                f"data_cfg['use_gt_bbox'] is False (allowed: True)")
        self.db = self._get_db()
        if not self.db:
            no_gt = self.coco is not None and not self.coco.dataset.get(
                'annotations')
            raise ArgumentError(
                f'{type(self).__name__}: no valid instance in {ann_file}'
                + (' (the file has no annotations)' if no_gt else '') +
                ('' if self.use_gt_bbox or not self.test_mode else
                 f' / {self.bbox_file}'))
        # a COCO-format file counts all its images, with people or not
        self.num_images = (len(self.img_ids) if self.coco is not None else
                           len({rec['image_file'] for rec in self.db}))
        print(f'=> num_images: {self.num_images}')
        print(f'=> load {len(self.db)} samples')

    def _setup(self, ann_file: str, img_prefix: str, data_cfg: dict,
               pipeline: Sequence[Union[dict, Any]], test_mode: bool,
               dataset_info: Optional[dict], coco_format: bool) -> None:
        """Everything but reading the records: metadata, ``ann_info``, the
        box and NMS settings of ``data_cfg`` and, for a COCO-format file,
        ``self.coco`` with its image ids and names."""
        self.data_cfg = data_cfg
        KeypointBaseDataset.__init__(self, ann_file, img_prefix, data_cfg,
                                     pipeline, test_mode, dataset_info)

        self.use_gt_bbox = data_cfg.get('use_gt_bbox', True)
        self.bbox_file = data_cfg.get('bbox_file', None)
        self.det_bbox_thr = data_cfg.get('det_bbox_thr', 0.0)
        if 'image_thr' in data_cfg:
            warnings.warn('image_thr is deprecated, use det_bbox_thr instead',
                          DeprecationWarning)
            self.det_bbox_thr = data_cfg['image_thr']
        self.use_nms = data_cfg.get('use_nms', True)
        self.soft_nms = data_cfg.get('soft_nms', False)
        self.nms_thr = data_cfg.get('nms_thr', 1.0)
        self.oks_thr = data_cfg.get('oks_thr', 0.9)
        self.vis_thr = data_cfg.get('vis_thr', 0.2)

        self.coco = None
        self.id2name: Dict[Any, str] = {}
        self.name2id: Dict[str, Any] = {}
        self.img_ids: List[Any] = []
        if coco_format:
            self.coco = load_coco(ann_file)
            self.img_ids = self.coco.getImgIds()
            self.id2name = {
                i: img['file_name']
                for i, img in self.coco.imgs.items()
            }
            self.name2id = {v: k for k, v in self.id2name.items()}

    # ------------------------------------------------------------------
    # metadata
    # ------------------------------------------------------------------
    def _build_ann_info(self, data_cfg: dict) -> dict:
        """Build ``ann_info`` from ``data_cfg`` and the class metadata."""
        ann_info = super()._build_ann_info(data_cfg)
        ann_info.update(
            num_output_channels=data_cfg.get('num_output_channels',
                                             ann_info['num_joints']),
            use_different_joint_weights=data_cfg.get(
                'use_different_joint_weights', False),
            flip_pairs=[list(p) for p in self.FLIP_PAIRS],
            flip_index=list(self.FLIP_INDEX),
            upper_body_ids=tuple(self.UPPER_BODY_IDS),
            lower_body_ids=tuple(self.LOWER_BODY_IDS))
        # ViTPose+ multi-dataset training (read by TopDownGenerateTarget)
        ann_info.update((key, data_cfg[key])
                        for key in ('max_num_joints', 'dataset_idx')
                        if key in data_cfg)
        return ann_info

    # ------------------------------------------------------------------
    # records
    # ------------------------------------------------------------------
    def _bbox_center_scale(self,
                           x: float,
                           y: float,
                           w: float,
                           h: float,
                           padding: Optional[float] = None
                           ) -> Tuple[np.ndarray, np.ndarray]:
        """Box ``[x, y, w, h]`` to ``center`` (2,) and ``scale`` (2,).

        The box is grown to the aspect ratio of ``image_size``, padded by
        ``padding`` (None: ``BBOX_PADDING``) and divided by the pixel std
        200. In training the center is jittered (probability 0.3, up to 20%
        of the box size), as 0.14 did when loading.
        """
        image_size = self.ann_info['image_size']
        center, scale = bbox_xywh2cs(
            np.array([x, y, w, h], dtype=np.float64),
            image_size[0] / image_size[1],
            self.BBOX_PADDING if padding is None else padding, PIXEL_STD)
        if (not self.test_mode) and np.random.rand() < 0.3:
            center += 0.4 * (np.random.rand(2) - 0.5) * [w, h]
        return center, scale

    #: The 0.x name of :meth:`_bbox_center_scale`, for subclasses that call
    #: it (the 0.29 bases warn that it is deprecated); records are made
    #: with :meth:`_bbox_center_scale` itself.
    _xywh2cs = _bbox_center_scale

    def _make_record(self, image_file: str, bbox: Sequence[float],
                     keypoints: Optional[np.ndarray], bbox_id: Any,
                     bbox_score: float = 1.0, **extra) -> dict:
        """One database record from a box and (K, 3) keypoints.

        Args:
            image_file (str): Full image path.
            bbox (Sequence[float]): ``[x, y, w, h]``.
            keypoints (np.ndarray[K, 3] | None): ``x, y, visibility``; None
                for detected boxes (all joints zero and visible).
            bbox_id: Unique sortable id of the instance.
            bbox_score (float): Box score (1 for ground truth).
            extra: Further fields (``image_id``, ``head_size``, ...).
        """
        num_joints = self.ann_info['num_joints']
        joints_3d = np.zeros((num_joints, 3), dtype=np.float32)
        if keypoints is None:
            joints_3d_visible = np.ones((num_joints, 3), dtype=np.float32)
        else:
            joints_3d[:, :2] = keypoints[:, :2]
            joints_3d_visible = np.zeros((num_joints, 3), dtype=np.float32)
            joints_3d_visible[:, :2] = np.minimum(1, keypoints[:, 2:3])
        center, scale = self._bbox_center_scale(*bbox[:4])
        rec = {
            'image_file': image_file,
            'center': center,
            'scale': scale,
            'bbox': list(bbox[:4]),
            'rotation': 0,
            'joints_3d': joints_3d,
            'joints_3d_visible': joints_3d_visible,
            'dataset': self.dataset_name,
            'bbox_score': bbox_score,
            'bbox_id': bbox_id,
        }
        rec.update(extra)
        return rec

    def _check_keypoints(self, kpts: Sequence[float], what: str) -> np.ndarray:
        """Reshape a flat ``[x, y, v] * K`` list, checking its length."""
        kpts = np.asarray(kpts, dtype=np.float64).reshape(-1)
        expected = self.ann_info['num_joints'] * 3
        if kpts.size != expected:
            raise ArgumentError(f'{self.ann_file}: {what} has {kpts.size} '
                                f'keypoint values, expected {expected} '
                                f"({self.ann_info['num_joints']} keypoints x "
                                '3)')
        return kpts.reshape(-1, 3)

    def _get_db(self) -> List[dict]:
        """Ground-truth boxes, or detected boxes at test time."""
        if (not self.test_mode) or self.use_gt_bbox:
            return self._load_coco_keypoint_annotations()
        return self._load_detection_results()

    def _parse_keypoints(self, obj: dict) -> np.ndarray:
        """(K, 3) keypoints of a COCO annotation (checked)."""
        return self._check_keypoints(
            obj['keypoints'], f"annotation id {obj.get('id')} "
            f"(image {obj.get('image_id')})")

    def _parse_bbox(self, obj: dict) -> List[float]:
        """``[x, y, w, h]`` of a COCO annotation."""
        return list(obj['bbox'])

    def _extra_record_fields(self, obj: dict, img_info: dict) -> dict:
        """Dataset-specific record fields (``head_size``, ``box_size``...)."""
        return {}

    def _load_coco_keypoint_annotations(self) -> List[dict]:
        """Ground-truth instances of a COCO-format file.

        Boxes are clipped to the image; instances with no box area, no
        keypoints or ``num_keypoints == 0`` are skipped; crowd annotations
        are ignored.
        """
        db = []
        # One pass over the JSON records: parsing is inherently per record.
        for img_id in self.img_ids:
            first = len(db) if self.BBOX_ID_PER_IMAGE else 0
            img_info = self.coco.loadImgs(img_id)[0]
            width, height = img_info['width'], img_info['height']
            image_file = osp.join(self.img_prefix, self.id2name[img_id])
            ann_ids = self.coco.getAnnIds(imgIds=img_id)
            for obj in self.coco.loadAnns(ann_ids):
                if obj.get('iscrowd', 0) or 'bbox' not in obj \
                        or 'keypoints' not in obj:
                    continue
                x, y, w, h = self._parse_bbox(obj)
                x1, y1 = max(0, x), max(0, y)
                x2 = min(width - 1, x1 + max(0, w - 1))
                y2 = min(height - 1, y1 + max(0, h - 1))
                if ('area' in obj and obj['area'] <= 0) or x2 <= x1 \
                        or y2 <= y1:
                    continue
                keypoints = self._parse_keypoints(obj)
                if keypoints.max() == 0 or obj.get('num_keypoints', 1) == 0:
                    continue
                db.append(
                    self._make_record(
                        image_file, [x1, y1, x2 - x1, y2 - y1],
                        keypoints,
                        bbox_id=len(db) - first,
                        image_id=img_id,
                        **self._extra_record_fields(obj, img_info)))
        return db

    def _load_detection_results(self) -> List[dict]:
        """Instances from the detected boxes of ``bbox_file``.

        Boxes of other categories than ``DET_CATEGORY_ID`` or scoring below
        ``det_bbox_thr`` are dropped.
        """
        if not self.bbox_file:
            raise ArgumentError(f'{type(self).__name__}: use_gt_bbox=False in '
                                'test mode needs data_cfg.bbox_file')
        all_boxes = load_json(self.bbox_file, 'detection file')
        if not all_boxes:
            raise ArgumentError(f'detection file {self.bbox_file} has no '
                                'boxes')
        print(f'=> Total boxes: {len(all_boxes)}')
        db = []
        for i, det in enumerate(all_boxes):
            if det.get('category_id', 1) != self.DET_CATEGORY_ID:
                continue
            if det['score'] < self.det_bbox_thr:
                continue
            if det['image_id'] not in self.id2name:
                raise UnknownNameError(f'detection file {self.bbox_file}, '
                                       f'record {i}: image_id '
                                       f"{det['image_id']} is not in "
                                       f'{self.ann_file}')
            image_file = osp.join(self.img_prefix,
                                  self.id2name[det['image_id']])
            db.append(
                self._make_record(
                    image_file,
                    det['bbox'][:4],
                    None,
                    bbox_id=len(db),
                    bbox_score=det['score'],
                    image_id=det['image_id']))
        print(f'=> Total boxes after filter low score@{self.det_bbox_thr}: '
              f'{len(db)}')
        return db

    # ------------------------------------------------------------------
    # data access
    # ------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.db)

    def __getitem__(self, idx: int) -> dict:
        results = copy.deepcopy(self.db[idx])
        return self._run_pipeline(
            results, f"record {idx} (bbox_id {results['bbox_id']})")

    # ------------------------------------------------------------------
    # evaluation
    # ------------------------------------------------------------------
    def _image_id_from_path(self, image_path: str) -> Any:
        """Image id of a predicted image path (``img_prefix`` + file name)."""
        candidates = [image_path]
        if self.img_prefix and image_path.startswith(self.img_prefix):
            rel = image_path[len(self.img_prefix):]
            candidates += [rel, rel.lstrip('/')]
        for name in candidates:
            if name in self.name2id:
                return self.name2id[name]
        if self.name2id:
            raise UnknownNameError(f'predicted image {image_path} is not in '
                                   f'{self.ann_file}')
        return osp.splitext(osp.basename(image_path))[0]

    def _instance_key(self, item: dict) -> Any:
        """What tells instances (records, results) apart: ``bbox_id``, or
        ``(image_id, bbox_id)`` with ``BBOX_ID_PER_IMAGE``."""
        if self.BBOX_ID_PER_IMAGE:
            return item['image_id'], item['bbox_id']
        return item['bbox_id']

    def _collect_results(self, outputs: Sequence[dict]) -> List[dict]:
        """Flatten model outputs into per-instance result dicts.

        Args:
            outputs (list[dict]): Batches with ``preds`` (N, K, 3),
                ``boxes`` (N, 6) ``[cx, cy, sx, sy, area, score]``,
                ``image_paths`` (N,) and ``bbox_ids`` (N,).

        Returns:
            list[dict]: ``keypoints`` (K, 3), ``center``, ``scale``,
            ``area``, ``score``, ``image_id``, ``bbox_id``; sorted by
            instance (:meth:`_instance_key`) without duplicates.
        """
        kpts = []
        for output in outputs:
            preds = np.asarray(output['preds'])
            boxes = np.asarray(output['boxes'])
            image_paths = output['image_paths']
            bbox_ids = output.get('bbox_ids')
            if bbox_ids is None:
                raise UnknownNameError("outputs lack 'bbox_ids'; top-down "
                                       'models return them with the '
                                       'predictions')
            for i, path in enumerate(image_paths):
                kpts.append({
                    'keypoints': preds[i],
                    'center': boxes[i][0:2],
                    'scale': boxes[i][2:4],
                    'area': float(boxes[i][4]),
                    'score': float(boxes[i][5]),
                    'image_id': self._image_id_from_path(path),
                    'bbox_id': bbox_ids[i],
                })
        return sort_and_unique(kpts, self._instance_key)

    def evaluate(self,
                 outputs: Sequence[dict],
                 res_folder: Optional[str] = None,
                 metric: Union[str, Sequence[str], None] = None,
                 **kwargs) -> 'OrderedDict[str, float]':
        """Evaluate predictions and write ``result_keypoints.json``.

        Args:
            outputs (list[dict]): Batches with ``preds`` (N, K, 3),
                ``boxes`` (N, 6), ``image_paths`` and ``bbox_ids``.
            res_folder (str | None): Directory of the result files; None
                writes mAP files to a temporary folder and others nowhere.
            metric (str | list[str] | None): Among ``ALLOWED_METRICS``;
                ``DEFAULT_METRIC`` when None.
            kwargs: ``pck_thr`` (0.2), ``pckh_thr`` (0.7), ``auc_nor`` (30).

        Returns:
            OrderedDict: Metric name -> value.
        """
        metrics = self._check_metrics(metric)
        kpts = self._collect_results(outputs)
        if 'mAP' in metrics:
            with result_folder(res_folder) as folder:
                info = self._evaluate_map(kpts, folder)
            rest = [m for m in metrics if m != 'mAP']
            if rest:
                info += self._report_metric(kpts, rest, **kwargs)
        else:
            if res_folder:
                write_json([{
                    'keypoints': k['keypoints'],
                    'center': k['center'],
                    'scale': k['scale'],
                    'area': k['area'],
                    'score': k['score'],
                    'image_id': k['image_id'],
                    'bbox_id': k['bbox_id'],
                } for k in kpts], osp.join(res_folder,
                                           'result_keypoints.json'))
            info = self._report_metric(kpts, metrics, **kwargs)
        return OrderedDict(info)

    # ----- single-instance metrics -----
    def _match_records(self, kpts: List[dict]) -> List[dict]:
        """Database records of the predictions, in prediction order."""
        index = {self._instance_key(rec): rec for rec in self.db}
        missing = set(index) - {self._instance_key(k) for k in kpts}
        if missing:
            raise ArgumentError(f'{len(missing)} of {len(self.db)} instances '
                                f'of {self.ann_file} have no prediction '
                                '(bbox_ids '
                                f'{sorted(missing, key=str)[:5]}...)')
        try:
            return [index[self._instance_key(k)] for k in kpts]
        except KeyError as err:
            raise UnknownNameError(f'predicted bbox_id {err} is not in '
                                   f'{self.ann_file}') from err

    def _get_normalize_factor(self, gts: np.ndarray,
                              records: List[dict]) -> np.ndarray:
        """NME normaliser (N, 2): joint distance or the record box size."""
        if self.NME_NORMALIZE_JOINTS is not None:
            i, j = self.NME_NORMALIZE_JOINTS
            dist = np.linalg.norm(gts[:, i] - gts[:, j], axis=1)
        else:
            if any('box_size' not in r for r in records):
                raise UnknownNameError(f'{type(self).__name__}: NME needs '
                                       'NME_NORMALIZE_JOINTS or a box_size '
                                       'per record')
            dist = np.array([r['box_size'] for r in records], np.float64)
        return np.tile(dist[:, None], (1, 2))

    def _report_metric(self,
                       kpts: List[dict],
                       metrics: Sequence[str],
                       pck_thr: float = 0.2,
                       pckh_thr: float = 0.7,
                       auc_nor: float = 30,
                       **kwargs) -> List[Tuple[str, float]]:
        """PCK / PCKh / AUC / EPE / NME of one prediction per record.

        PCK is normalised by the longer box side, PCKh by the record's
        ``head_size``, AUC by ``auc_nor`` pixels.
        """
        from mmpose.core.evaluation import (keypoint_auc, keypoint_epe,
                                            keypoint_pck_accuracy)

        records = self._match_records(kpts)
        preds = np.stack([np.asarray(k['keypoints'])[:, :2] for k in kpts])
        gts = np.stack([r['joints_3d'][:, :2] for r in records])
        masks = np.stack([r['joints_3d_visible'][:, 0] > 0 for r in records])
        info = []
        for metric in metrics:
            if metric == 'PCK':
                size = np.array([np.max(r['bbox'][2:4]) for r in records],
                                dtype=np.float64)
                _, pck, _ = keypoint_pck_accuracy(
                    preds, gts, masks, pck_thr, np.tile(size[:, None],
                                                        (1, 2)))
                info.append(('PCK', float(pck)))
            elif metric == 'PCKh':
                head = np.array([r['head_size'] for r in records],
                                dtype=np.float64)
                _, pckh, _ = keypoint_pck_accuracy(
                    preds, gts, masks, pckh_thr, np.tile(head[:, None],
                                                         (1, 2)))
                info.append(('PCKh', float(pckh)))
            elif metric == 'AUC':
                info.append(('AUC',
                             float(keypoint_auc(preds, gts, masks, auc_nor))))
            elif metric == 'EPE':
                info.append(('EPE', float(keypoint_epe(preds, gts, masks))))
            elif metric == 'NME':
                from mmpose.core.evaluation import keypoint_nme
                factor = self._get_normalize_factor(gts, records)
                info.append(('NME',
                             float(keypoint_nme(preds, gts, masks, factor))))
            else:
                raise UnknownNameError(f'metric {metric} has no '
                                       'implementation in '
                                       f'{type(self).__name__}')
        return info

    # ----- COCO-style mAP -----
    def _rescore_and_nms(self, kpts: List[dict]) -> Dict[Any, List[dict]]:
        """Rescore instances and apply OKS-NMS per image.

        The new score is the box score times the mean keypoint score over
        keypoints scoring above ``vis_thr`` (0 when none does).

        Returns:
            dict: image id -> kept instances.
        """
        from mmpose.core.post_processing import oks_nms, soft_oks_nms

        by_image = defaultdict(list)
        for k in kpts:
            by_image[k['image_id']].append(k)
        kept = {}
        for image_id, img_kpts in by_image.items():
            scores = np.stack([np.asarray(k['keypoints'])[:, 2]
                               for k in img_kpts])
            valid = scores > self.vis_thr
            num_valid = valid.sum(axis=1)
            mean_score = np.where(
                num_valid > 0, (scores * valid).sum(axis=1) /
                np.maximum(num_valid, 1), 0.0)
            for k, s in zip(img_kpts, mean_score):
                k['score'] = float(s) * k['score']
            if self.use_nms:
                nms = soft_oks_nms if self.soft_nms else oks_nms
                keep = nms(img_kpts, self.oks_thr, sigmas=self.sigmas)
                img_kpts = [img_kpts[i] for i in keep]
            kept[image_id] = img_kpts
        return kept

    def _coco_result(self, kpt: dict, category_id: int) -> dict:
        """One entry of the COCO result file."""
        return {
            'image_id': kpt['image_id'],
            'category_id': category_id,
            'keypoints': np.asarray(kpt['keypoints']).reshape(-1).tolist(),
            'score': float(kpt['score']),
            'center': np.asarray(kpt['center']).tolist(),
            'scale': np.asarray(kpt['scale']).tolist(),
        }

    def _do_coco_eval(self, res_file: str) -> List[Tuple[str, float]]:
        """``COCOeval`` of ``res_file`` against ``self.coco``."""
        return coco_keypoint_eval(self.coco, res_file, self.sigmas,
                                  self.COCO_IOU_TYPE, self.COCO_USE_AREA)

    def _evaluate_map(self, kpts: List[dict],
                      res_folder: str) -> List[Tuple[str, float]]:
        """Rescoring, OKS-NMS, ``result_keypoints.json`` and COCOeval."""
        if self.sigmas is None or self.coco is None:
            raise UnknownNameError(f'{type(self).__name__} has no OKS sigmas '
                                   '/ COCO annotations for mAP')
        kept = self._rescore_and_nms(kpts)
        category_id = self.coco.getCatIds()[0]
        results = [
            self._coco_result(k, category_id) for img_kpts in kept.values()
            for k in img_kpts
        ]
        res_file = osp.join(res_folder, 'result_keypoints.json')
        write_json(results, res_file)
        if not has_ground_truth(self.coco, res_file):
            return []
        return self._do_coco_eval(res_file)
