"""Transforms shared by every task: composition, tensor conversion,
normalisation, collection, photometric and albumentations augmentation."""
import importlib
import inspect
import os
import random
from collections.abc import Sequence
from typing import Callable, List, Optional, Sequence as SequenceT, Union

import cv2
import numpy as np
import torch
from mmcv.parallel import DataContainer as DC

from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError

from ..builder import PIPELINES


@PIPELINES.register_module()
class Compose:
    """Run a sequence of transforms; stop and return None as soon as one
    returns None (the sample is then skipped by the dataset).

    Args:
        transforms (list[dict | callable]): transform configs (built from
            ``PIPELINES``) or transform objects.
    """

    def __init__(self, transforms: SequenceT[Union[dict, Callable]]):
        if not isinstance(transforms, Sequence) or isinstance(
                transforms, str):
            raise ArgumentTypeError('transforms must be a list of dicts or '
                                    'callables, got '
                                    f'{type(transforms).__name__}')
        self.transforms = []
        for transform in transforms:
            if isinstance(transform, dict):
                transform = PIPELINES.build(transform)
            elif not callable(transform):
                raise ArgumentTypeError('each transform must be a config dict '
                                        'or a callable, got '
                                        f'{type(transform).__name__}: '
                                        f'{transform!r}')
            self.transforms.append(transform)

    def __call__(self, data: dict) -> Optional[dict]:
        for t in self.transforms:
            data = t(data)
            if data is None:
                return None
        return data

    def __repr__(self) -> str:
        body = ''.join(f'\n    {t}' for t in self.transforms)
        return f'{self.__class__.__name__}({body}\n)'


def _image_to_tensor(img: Union[np.ndarray, torch.Tensor]) -> torch.Tensor:
    """``np.ndarray[H, W, C]`` (or ``[H, W]``) -> ``Tensor[C, H, W]``;
    uint8 images are scaled to [0, 1] float32, float images keep values."""
    if isinstance(img, torch.Tensor):
        return img
    if not isinstance(img, np.ndarray) or img.ndim not in (2, 3):
        raise ArgumentTypeError('ToTensor expects an image np.ndarray [H, W, '
                                f'C] or [H, W], got {type(img).__name__} with '
                                f'shape {getattr(img, "shape", None)}')
    if img.ndim == 2:
        img = img[:, :, None]
    if img.dtype == np.uint8:
        # De-interleave the channels (cv2.split, SIMD) and cast them into
        # the float32 [C, H, W] buffer in one pass; then the same torch
        # division by 255 as a transpose-copy-cast would get.
        planes = np.empty((img.shape[2], ) + img.shape[:2], dtype=np.float32)
        np.stack(cv2.split(img), out=planes)
        return torch.from_numpy(planes).div_(255.0)
    return torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))


@PIPELINES.register_module()
class ToTensor:
    """Convert ``results['img']`` (``np.ndarray[H, W, C]``, or a list of
    them) to ``Tensor[C, H, W]``; uint8 is scaled to [0, 1].

    Required key: 'img'. Modifies key: 'img'.
    """

    def __call__(self, results: dict) -> dict:
        img = results['img']
        if isinstance(img, (list, tuple)):
            results['img'] = [_image_to_tensor(i) for i in img]
        else:
            results['img'] = _image_to_tensor(img)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'


@PIPELINES.register_module()
class NormalizeTensor:
    """Normalise the image ``Tensor[C, H, W]``: ``(img - mean) / std`` per
    channel.

    Required key: 'img'. Modifies key: 'img'.

    Args:
        mean (list[float]): per-channel means.
        std (list[float]): per-channel standard deviations.
    """

    def __init__(self, mean: SequenceT[float], std: SequenceT[float]):
        self.mean = list(mean)
        self.std = list(std)
        if len(self.mean) != len(self.std):
            raise ArgumentError(f'mean has {len(self.mean)} values but std '
                                f'has {len(self.std)}')
        self._mean = torch.tensor(self.mean, dtype=torch.float32)[:, None,
                                                                   None]
        self._std = torch.tensor(self.std, dtype=torch.float32)[:, None, None]

    def normalize(self, img: torch.Tensor) -> torch.Tensor:
        """``(img - mean) / std`` of a Tensor[C, H, W] (or a batch of them,
        Tensor[N, C, H, W])."""
        if not isinstance(img, torch.Tensor) or img.ndim not in (3, 4):
            raise ArgumentTypeError('NormalizeTensor expects a Tensor[C, H, '
                                    'W] (run ToTensor first), got '
                                    f'{type(img).__name__} '
                                    f'{getattr(img, "shape", "")}')
        if img.shape[-3] != len(self.mean):
            raise ArgumentError(f'image has {img.shape[-3]} channels but '
                                f'mean/std have {len(self.mean)}')
        return img.sub(self._mean.to(img.dtype)).div_(self._std.to(img.dtype))

    def __call__(self, results: dict) -> dict:
        img = results['img']
        if isinstance(img, (list, tuple)):
            results['img'] = [self.normalize(i) for i in img]
        else:
            results['img'] = self.normalize(img)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(mean={self.mean}, std={self.std})'


def _split_key(key: Union[str, SequenceT[str]]):
    """``'a'`` -> ``('a', 'a')``; ``('a', 'b')`` -> ``('a', 'b')``."""
    if isinstance(key, str):
        return key, key
    if len(key) < 2:
        raise ArgumentError('a renaming key must be (key, new_key), got '
                            f'{key!r}')
    return key[0], key[1]


@PIPELINES.register_module()
class Collect:
    """Keep ``keys`` of the results and gather ``meta_keys`` into one
    cpu-only ``DataContainer`` named ``meta_name``.

    The contents of ``results['ann_info']`` are merged into the results first
    so that annotation fields can be collected by name. A ``bbox_id`` in the
    results is always added to the meta.

    Args:
        keys (Sequence[str | tuple]): keys to collect; ``(key, key_new)``
            renames.
        meta_keys (Sequence[str | tuple]): keys gathered under ``meta_name``;
            ``(key, key_new)`` renames.
        meta_name (str): name of the meta item. Default: 'img_metas'.
    """

    def __init__(self,
                 keys: SequenceT[Union[str, tuple]],
                 meta_keys: SequenceT[Union[str, tuple]],
                 meta_name: str = 'img_metas'):
        self.keys = keys
        self.meta_keys = meta_keys
        self.meta_name = meta_name

    @staticmethod
    def _gather(results: dict, keys, what: str) -> dict:
        out = {}
        for key in keys:
            src, tgt = _split_key(key)
            if src not in results:
                raise UnknownNameError(f'Collect: {what} "{src}" is not in '
                                       'the results; available keys: '
                                       f'{sorted(results)}')
            out[tgt] = results[src]
        return out

    def __call__(self, results: dict) -> dict:
        if 'ann_info' in results:
            results.update(results['ann_info'])
        data = self._gather(results, self.keys, 'key')
        meta = self._gather(results, self.meta_keys, 'meta key')
        if 'bbox_id' in results:
            meta['bbox_id'] = results['bbox_id']
        data[self.meta_name] = DC(meta, cpu_only=True)
        return data

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'meta_keys={self.meta_keys}, meta_name={self.meta_name!r})')


@PIPELINES.register_module()
class PhotometricDistortion:
    """Random photometric distortion of a uint8 image; each step applies
    with probability 0.5, in this order:

    1. brightness, 2. contrast (mode 0), 3. BGR -> HSV, 4. saturation,
    5. hue, 6. HSV -> BGR, 7. contrast (mode 1), 8. channel swap.

    Required key: 'img'. Modifies key: 'img'.

    Args:
        brightness_delta (int): brightness offset range ``[-d, d]``.
        contrast_range (tuple): contrast factor range.
        saturation_range (tuple): saturation factor range.
        hue_delta (int): hue offset range ``[-d, d]`` (OpenCV hue, 0-179).
    """

    def __init__(self,
                 brightness_delta: int = 32,
                 contrast_range: SequenceT[float] = (0.5, 1.5),
                 saturation_range: SequenceT[float] = (0.5, 1.5),
                 hue_delta: int = 18):
        self.brightness_delta = brightness_delta
        self.contrast_lower, self.contrast_upper = contrast_range
        self.saturation_lower, self.saturation_upper = saturation_range
        self.hue_delta = hue_delta

    @staticmethod
    def convert(img: np.ndarray, alpha: float = 1,
                beta: float = 0) -> np.ndarray:
        """``clip(img * alpha + beta, 0, 255)`` as uint8."""
        img = img.astype(np.float32) * alpha + beta
        return np.clip(img, 0, 255).astype(np.uint8)

    def brightness(self, img: np.ndarray) -> np.ndarray:
        """Brightness distortion."""
        if np.random.randint(2):
            return self.convert(
                img,
                beta=np.random.uniform(-self.brightness_delta,
                                       self.brightness_delta))
        return img

    def contrast(self, img: np.ndarray) -> np.ndarray:
        """Contrast distortion."""
        if np.random.randint(2):
            return self.convert(
                img,
                alpha=np.random.uniform(self.contrast_lower,
                                        self.contrast_upper))
        return img

    def saturation(self, img: np.ndarray) -> np.ndarray:
        """Saturation distortion (HSV input)."""
        if np.random.randint(2):
            img[:, :, 1] = self.convert(
                img[:, :, 1],
                alpha=np.random.uniform(self.saturation_lower,
                                        self.saturation_upper))
        return img

    def hue(self, img: np.ndarray) -> np.ndarray:
        """Hue distortion (HSV input)."""
        if np.random.randint(2):
            shift = np.random.randint(-self.hue_delta, self.hue_delta)
            img[:, :, 0] = (img[:, :, 0].astype(int) + shift) % 180
        return img

    def __call__(self, results: dict) -> dict:
        img = results['img']
        if not isinstance(img, np.ndarray) or img.dtype != np.uint8 or \
                img.ndim != 3 or img.shape[2] != 3:
            raise ArgumentTypeError(
                'PhotometricDistortion expects a uint8 image [H, W, 3], got '
                f'{getattr(img, "dtype", type(img).__name__)} '
                f'{getattr(img, "shape", "")}')
        img = self.brightness(img)
        mode = np.random.randint(2)
        if mode == 1:
            img = self.contrast(img)
        hsv = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)
        hsv = self.hue(self.saturation(hsv))
        img = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)
        if mode == 0:
            img = self.contrast(img)
        if np.random.randint(2):
            img = img[..., np.random.permutation(3)]
        results['img'] = img
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(brightness_delta='
                f'{self.brightness_delta}, contrast_range=('
                f'{self.contrast_lower}, {self.contrast_upper}), '
                f'saturation_range=({self.saturation_lower}, '
                f'{self.saturation_upper}), hue_delta={self.hue_delta})')


@PIPELINES.register_module()
class RenameKeys:
    """Rename result keys.

    Args:
        key_pairs (Sequence[tuple]): ``(key_src, key_tgt)`` pairs.
    """

    def __init__(self, key_pairs: SequenceT[tuple]):
        for pair in key_pairs:
            if len(pair) != 2:
                raise ArgumentError('each key pair must be (key_src, '
                                    f'key_tgt), got {pair!r}')
        self.key_pairs = key_pairs

    def __call__(self, results: dict) -> dict:
        for key_src, key_tgt in self.key_pairs:
            if key_src not in results:
                raise UnknownNameError(f'RenameKeys: "{key_src}" is not in '
                                       'the results; available keys: '
                                       f'{sorted(results)}')
            results[key_tgt] = results.pop(key_src)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(key_pairs={self.key_pairs})'


@PIPELINES.register_module()
class MultitaskGatherTarget:
    """Run one target pipeline per head and gather their outputs (by
    default 'target' and 'target_weight') into lists ordered by head.

    Args:
        pipeline_list (list[list]): target pipelines (lists of transform
            configs).
        pipeline_indices (list[int] | None): index into ``pipeline_list``
            for each head; None: one head per pipeline (0.29).
        keys (Sequence[str]): output keys gathered (0.29). Default:
            ``('target', 'target_weight')``.
    """

    def __init__(self,
                 pipeline_list: List[list],
                 pipeline_indices: Optional[SequenceT[int]] = None,
                 keys: SequenceT[str] = ('target', 'target_weight')):
        self.pipelines = [Compose(p) for p in pipeline_list]
        self.keys = list(keys)
        self.pipeline_indices = list(
            range(len(self.pipelines)
                  ) if pipeline_indices is None else pipeline_indices)
        bad = [i for i in self.pipeline_indices
               if not 0 <= i < len(self.pipelines)]
        if bad:
            raise ArgumentError(f'pipeline_indices {bad} are out of range for '
                                f'{len(self.pipelines)} pipelines')

    def __call__(self, results: dict) -> dict:
        # Each head's pipeline starts from the same inputs.
        outputs = [p(results.copy()) for p in self.pipelines]
        for key in self.keys:
            results[key] = [
                outputs[i].get(key) if outputs[i] is not None else None
                for i in self.pipeline_indices
            ]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(pipelines={self.pipelines}, '
                f'pipeline_indices={self.pipeline_indices}, '
                f'keys={self.keys})')


def _import_albumentations():
    """Import the optional albumentations package, or raise a clear error."""
    # No network update check when the package is imported.
    os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')
    try:
        return importlib.import_module('albumentations')
    except ImportError as e:
        raise RuntimeError(
            'Albumentation needs the albumentations package, which is not '
            'installed: bash tools/setup_env.sh installs it (or pip install '
            '--no-deps albumentations==1.4.24 albucore==0.0.23)') from e


@PIPELINES.register_module()
class Albumentation:
    """Pixel-level augmentation with the albumentations library (1.x API,
    e.g. ``CoarseDropout(max_holes=...)``, ``GridDropout(unit_size_min=...)``
    as the 0.29 configs write them).

    albumentations >= 1.4 draws from its own generators; without ``seed``
    they are reseeded from Python's global ``random`` on every call, so
    ``set_random_seed`` and per-worker seeding govern the draws as they did
    with older albumentations.

    Args:
        transforms (list[dict]): albumentations transform configs, e.g.
            ``dict(type='ChannelShuffle', p=0.1)``; ``OneOf``-style wrappers
            take their own ``transforms`` list.
        keymap (dict): ``{'results key': 'albumentations key'}``.
            Default: ``{'img': 'image'}``.
        seed (int, optional): fixed seed of the albumentations generators.
            Default: None (follow the global ``random`` state).
    """

    def __init__(self, transforms: List[dict],
                 keymap: Optional[dict] = None,
                 seed: Optional[int] = None):
        albumentations = _import_albumentations()
        self.transforms = transforms
        self.seed = seed
        self.aug = albumentations.Compose(
            [self.albu_builder(t) for t in transforms], seed=seed)
        self.keymap_to_albu = dict(keymap) if keymap else {'img': 'image'}
        self.keymap_back = {v: k for k, v in self.keymap_to_albu.items()}

    def albu_builder(self, cfg: dict):
        """Build one albumentations transform from a config dict with a
        'type' (a class name in albumentations or a class)."""
        if not isinstance(cfg, dict) or 'type' not in cfg:
            raise ArgumentTypeError('each albumentations transform must be a '
                                    f'dict with a "type" key, got {cfg!r}')
        args = dict(cfg)
        obj_type = args.pop('type')
        if isinstance(obj_type, str):
            albumentations = _import_albumentations()
            obj_cls = getattr(albumentations, obj_type, None)
            if obj_cls is None:
                raise UnknownNameError(
                    f'"{obj_type}" is not a transform of albumentations '
                    f'{albumentations.__version__}')
        elif inspect.isclass(obj_type):
            obj_cls = obj_type
        else:
            raise ArgumentTypeError('type must be a str or a class, got '
                                    f'{type(obj_type).__name__}')
        if 'transforms' in args:
            args['transforms'] = [
                self.albu_builder(t) for t in args['transforms']
            ]
        return obj_cls(**args)

    @staticmethod
    def mapper(d: dict, keymap: dict) -> dict:
        """Rename the keys of ``d`` by ``keymap`` (``{'old': 'new'}``)."""
        return {keymap.get(k, k): v for k, v in d.items()}

    def __call__(self, results: dict) -> dict:
        # Only the mapped (pixel) items are given to albumentations.
        inputs = {
            albu_key: results[key]
            for key, albu_key in self.keymap_to_albu.items() if key in results
        }
        if self.seed is None:
            self.aug.set_random_seed(random.getrandbits(32))
        outputs = self.aug(**inputs)
        for albu_key, key in self.keymap_back.items():
            if albu_key in outputs:
                results[key] = outputs[albu_key]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(transforms={self.transforms})'
