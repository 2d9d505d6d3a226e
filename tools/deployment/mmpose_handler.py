"""TorchServe handler of the archives made by mmpose2torchserve.py (MMPose
0.29's tools/deployment/mmpose_handler.py): each request holds one image
(raw or base64-encoded bytes); the answer lists the poses found in it, per
person ``{'keypoints': [[x, y, score], ...]}``. Top-down models take the
whole image as the person box; bottom-up models find every person.

Runs inside TorchServe (``pip install torchserve``).
"""
import base64
import os.path as osp
from typing import List

import mmcv
import numpy as np
import torch

from mmpose.apis import (inference_bottom_up_pose_model,
                         inference_top_down_pose_model, init_pose_model)
from mmpose.models.detectors import BottomUp, TopDown

try:
    from ts.torch_handler.base_handler import BaseHandler
except ImportError as err:
    raise ImportError('mmpose_handler.py runs inside TorchServe, which is '
                      f'not installed ({err}): pip install torchserve') \
        from None


class MMPoseHandler(BaseHandler):
    """Loads ``config.py`` and the serialized checkpoint of the archive and
    estimates the poses of each request's image."""

    def initialize(self, context):
        properties = context.system_properties
        if torch.cuda.is_available():
            self.device = torch.device(f"cuda:{properties.get('gpu_id')}")
        else:
            self.device = torch.device('cpu')
        model_dir = properties.get('model_dir')
        checkpoint = osp.join(model_dir,
                              context.manifest['model']['serializedFile'])
        self.model = init_pose_model(
            osp.join(model_dir, 'config.py'), checkpoint, self.device)
        self.initialized = True

    def preprocess(self, data: List[dict]) -> List[np.ndarray]:
        images = []
        for row in data:
            image = row.get('data') or row.get('body')
            if isinstance(image, str):
                image = base64.b64decode(image)
            images.append(mmcv.imfrombytes(image))
        return images

    def inference(self, data: List[np.ndarray], *args, **kwargs):
        if isinstance(self.model, TopDown):
            return [
                inference_top_down_pose_model(
                    self.model, img,
                    [{'bbox': np.array([0, 0, img.shape[1], img.shape[0]])}],
                    format='xywh')[0] for img in data
            ]
        if isinstance(self.model, BottomUp):
            return [inference_bottom_up_pose_model(self.model, img)[0]
                    for img in data]
        raise NotImplementedError(
            f'model type {type(self.model).__name__} is not supported: '
            'top-down or bottom-up models only')

    def postprocess(self, data) -> List[List[dict]]:
        return [[{'keypoints': pose['keypoints'].tolist()} for pose in poses]
                for poses in data]
