"""Compare a model served by TorchServe with the same model run here
(MMPose 0.29's tools/deployment/test_torchserver.py).

The image is estimated locally (top-down: the whole image as the person
box; bottom-up: every person) and posted to
``http://<inference-addr>/predictions/<model_name>`` (an archive made by
``mmpose2torchserve.py``, served with ``mmpose_handler.py``). Both results
are drawn into ``<out-dir>/pytorch_result.png`` and
``torchserve_result.png``, and the largest keypoint difference between
them is printed.

    python tools/deployment/test_torchserver.py IMG CONFIG CHECKPOINT \
        MODEL_NAME [--inference-addr 127.0.0.1:8080] [--device cpu]
"""
import json
import os
import os.path as osp
import urllib.error
import urllib.request
from argparse import ArgumentParser
from typing import List, Optional

import numpy as np

from mmpose.apis import (inference_bottom_up_pose_model,
                         inference_top_down_pose_model, init_pose_model,
                         vis_pose_result)
from mmpose.errors import ArgumentError, UnsupportedError
from mmpose.models.detectors import BottomUp, TopDown


def parse_args(argv=None):
    parser = ArgumentParser(
        description='Compare TorchServe results with local inference')
    parser.add_argument('img', help='Image file')
    parser.add_argument('config', help='Config file')
    parser.add_argument('checkpoint', help='Checkpoint file')
    parser.add_argument('model_name', help='The model name in the server')
    parser.add_argument('--inference-addr', default='127.0.0.1:8080',
                        help='Address and port of the inference server')
    parser.add_argument('--device', default='cuda:0',
                        help='Device used for inference')
    parser.add_argument('--out-dir', default='vis_results',
                        help='Visualization output path')
    return parser.parse_args(argv)


def local_result(model, img: str) -> List[dict]:
    """The pose results of the model run in this process."""
    if isinstance(model, TopDown):
        return inference_top_down_pose_model(model, img,
                                             person_results=None)[0]
    if isinstance(model, BottomUp):
        return inference_bottom_up_pose_model(model, img)[0]
    raise UnsupportedError(f'{type(model).__name__} models are not '
                           'supported: top-down or bottom-up models only')


def server_result(url: str, img: str, timeout: float = 60) -> List[dict]:
    """The pose results TorchServe answers for the image file ``img``
    posted to ``url``, their lists turned into arrays."""
    with open(img, 'rb') as f:
        request = urllib.request.Request(
            url, data=f.read(), method='POST',
            headers={'Content-Type': 'application/octet-stream'})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as err:
        raise ArgumentError(f'the inference server answered {err.code} '
                            f'{err.reason} to {url}: '
                            f'{err.read()[:200]!r}') from None
    except (urllib.error.URLError, OSError) as err:
        raise ConnectionError(f'cannot reach the inference server at {url} '
                              f'({getattr(err, "reason", err)}); is '
                              'TorchServe running with the model '
                              'registered?') from None
    try:
        poses = json.loads(body)
    except ValueError:
        raise ArgumentError(f'the answer of {url} is not JSON: '
                            f'{body[:200]!r}') from None
    if not isinstance(poses, list):
        raise ArgumentError(f'the answer of {url} is not a list of pose '
                            f'results: {body[:200]!r}')
    return [{key: np.asarray(value) if isinstance(value, list) else value
             for key, value in pose.items()} for pose in poses]


def keypoint_difference(local: List[dict],
                        served: List[dict]) -> Optional[float]:
    """The largest coordinate difference (pixels) between the keypoints
    of the two results, person by person; None when the numbers of people
    or keypoints differ."""
    if len(local) != len(served) or not local:
        return None
    ours = np.stack([np.asarray(p['keypoints'])[:, :2] for p in local])
    theirs = [np.asarray(p['keypoints'])[:, :2] for p in served]
    if any(t.shape != ours.shape[1:] for t in theirs):
        return None
    return float(np.abs(ours - np.stack(theirs)).max())


def main(argv=None) -> Optional[float]:
    args = parse_args(argv)
    if not osp.isfile(args.img):
        raise FileNotFoundError(f'image not found: {args.img}')
    os.makedirs(args.out_dir, exist_ok=True)
    model = init_pose_model(args.config, args.checkpoint, device=args.device)

    pytorch_result = local_result(model, args.img)
    vis_pose_result(model, args.img, pytorch_result,
                    out_file=osp.join(args.out_dir, 'pytorch_result.png'))

    url = f'http://{args.inference_addr}/predictions/{args.model_name}'
    served = server_result(url, args.img)
    vis_pose_result(model, args.img, served,
                    out_file=osp.join(args.out_dir, 'torchserve_result.png'))

    difference = keypoint_difference(pytorch_result, served)
    if difference is None:
        print(f'local: {len(pytorch_result)} people, TorchServe: '
              f'{len(served)} people')
    else:
        print(f'{len(served)} people; largest keypoint difference between '
              f'TorchServe and local inference: {difference:.4f} px')
    print(f'drawings -> {args.out_dir}')
    return difference


if __name__ == '__main__':
    main()
