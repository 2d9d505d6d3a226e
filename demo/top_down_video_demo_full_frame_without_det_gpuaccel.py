"""Top-down pose estimation on a video with the whole frame as the person
box, decoding and resizing the frames with FFmpeg (on an NVIDIA GPU with
``--nvdecode``) and normalising them on the inference device (MMPose
0.29's demo/top_down_video_demo_full_frame_without_det_gpuaccel.py).

Each frame is decoded twice by ``ffmpegcv``: as it is (for drawing) and
resized to the model input keeping its aspect ratio (centred, padded),
which is exactly the crop of the whole-frame box without the 1.25
padding of the usual box crop; so the test pipeline's cropping is skipped
and the keypoints come back in the frame's pixels.

Needs ``pip install ffmpegcv`` and an ``ffmpeg`` executable; ``--nvdecode``
needs CUDA and an FFmpeg built with NVIDIA's decoder.

    python demo/top_down_video_demo_full_frame_without_det_gpuaccel.py \
        POSE_CONFIG POSE_CHECKPOINT --video-path VIDEO \
        --out-video-root vis_results [--nvdecode]
"""
import os
import os.path as osp
import shutil
import warnings
from argparse import ArgumentParser
from typing import Tuple

import cv2
import mmcv
import numpy as np
import torch
from demo_utils import require_output

from mmpose.apis import init_pose_model, vis_pose_result
from mmpose.apis.dataset_meta import resolve_dataset_meta
from mmpose.apis.fast_inference import predict
from mmpose.core.bbox.transforms import bbox_xywh2cs
from mmpose.datasets import DatasetInfo
from mmpose.datasets.builder import PIPELINES
from mmpose.errors import (ArgumentError, MissingDependencyError,
                           UnknownNameError)


def parse_args(argv=None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('pose_config', help='Config file for pose')
    parser.add_argument('pose_checkpoint', help='Checkpoint file for pose')
    parser.add_argument('--video-path', type=str, help='Video path')
    parser.add_argument('--show', action='store_true', default=False,
                        help='whether to show visualizations.')
    parser.add_argument('--out-video-root', default='',
                        help='Root of the output video file. '
                        'Default not saving the visualization video.')
    parser.add_argument('--device', default='cuda:0',
                        help='Device used for inference')
    parser.add_argument('--nvdecode', action='store_true',
                        help='Use NVIDIA decoder')
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='Keypoint score threshold')
    parser.add_argument('--radius', type=int, default=4,
                        help='Keypoint radius for visualization')
    parser.add_argument('--thickness', type=int, default=1,
                        help='Link thickness for visualization')
    return parser.parse_args(argv)


def require_decoder(nvdecode: bool, device: str):
    """The ``ffmpegcv`` module, after checking what decoding on this
    machine needs: the package, an ``ffmpeg`` executable, and CUDA for
    ``--nvdecode`` or a CUDA ``--device``."""
    try:
        import ffmpegcv
    except ImportError:
        raise MissingDependencyError(
            'this demo decodes videos with ffmpegcv, which is not installed: '
            'pip install ffmpegcv (or run demo/top_down_video_demo_full_'
            'frame_without_det.py, which decodes with OpenCV)') from None
    if shutil.which('ffmpeg') is None:
        raise MissingDependencyError(
            'ffmpegcv runs the ffmpeg executable, which is not on the PATH '
            '(e.g. apt-get install ffmpeg)')
    if nvdecode and not torch.cuda.is_available():
        raise ArgumentError('--nvdecode decodes on an NVIDIA GPU: CUDA is '
                            'required but not available; leave it out to '
                            'decode on the CPU')
    if device.lower().startswith('cuda') and not torch.cuda.is_available():
        raise ArgumentError(f'--device {device}: CUDA is required but not '
                            'available; pass --device cpu')
    return ffmpegcv


def normalization(cfg) -> Tuple[np.ndarray, np.ndarray]:
    """Mean and std (0-255 range, RGB) of the config's ``NormalizeTensor``
    test step."""
    for step in cfg.test_pipeline:
        if step['type'] == 'NormalizeTensor':
            return (np.asarray(step['mean'], dtype=np.float32) * 255,
                    np.asarray(step['std'], dtype=np.float32) * 255)
    raise UnknownNameError('the test_pipeline of the pose config has no '
                           'NormalizeTensor step, which this demo applies '
                           'on the device')


def full_frame_metas(cfg, frame_size: Tuple[int, int], meta) -> dict:
    """``img_metas`` of one frame ``(w, h)`` for the model: the centre and
    scale of the whole frame fitted to the input's aspect ratio (no
    padding), gathered by the config's ``Collect`` step."""
    width, height = frame_size
    image_size = np.asarray(cfg.data_cfg['image_size'])
    num_joints = int(cfg.data_cfg['num_joints'])
    center, scale = bbox_xywh2cs(
        np.array([0, 0, width, height], dtype=np.float32),
        image_size[0] / image_size[1], padding=1.0)
    collect = cfg.test_pipeline[-1]
    if collect['type'] != 'Collect':
        raise UnknownNameError('the test_pipeline of the pose config must '
                               f'end with Collect, not {collect["type"]}')
    sample = {
        'img': None,
        'image_file': '',
        'center': center,
        'scale': scale,
        'bbox_score': 1,
        'bbox_id': 0,
        'dataset': meta.dataset_name,
        'joints_3d': np.zeros((num_joints, 3), dtype=np.float32),
        'joints_3d_visible': np.zeros((num_joints, 3), dtype=np.float32),
        'rotation': 0,
        'ann_info': {
            'image_size': image_size,
            'num_joints': num_joints,
            'flip_pairs': meta.flip_pairs,
        },
    }
    return mmcv.build_from_cfg(collect, PIPELINES)(sample)['img_metas'].data


def to_input(frame_rgb: np.ndarray, mean: torch.Tensor, std: torch.Tensor,
             image_size: Tuple[int, int]) -> torch.Tensor:
    """A resized RGB frame [h, w, 3] (uint8) as the normalised network
    input [1, 3, h, w] on the device of ``mean``."""
    if frame_rgb.shape[1::-1] != tuple(image_size):
        raise ArgumentError(f'the decoder gave a {frame_rgb.shape[1]}x'
                            f'{frame_rgb.shape[0]} frame, the model takes '
                            f'{image_size[0]}x{image_size[1]}')
    img = torch.from_numpy(np.ascontiguousarray(frame_rgb)).to(mean.device)
    img = img.permute(2, 0, 1).float()
    return ((img - mean[:, None, None]) / std[:, None, None])[None]


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_video_root])
    if not args.video_path or not osp.isfile(args.video_path):
        raise SystemExit(f'error: video file not found: {args.video_path!r}')
    ffmpegcv = require_decoder(args.nvdecode, args.device)
    device = args.device.lower()
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=device)
    cfg = pose_model.cfg
    dataset = cfg.data['test']['type']
    dataset_info = cfg.data['test'].get('dataset_info', None)
    if dataset_info is None:
        warnings.warn(
            'Please set `dataset_info` in the config. Check '
            'https://github.com/open-mmlab/mmpose/pull/663 for details.',
            DeprecationWarning)
    else:
        dataset_info = DatasetInfo(dataset_info)
    meta = resolve_dataset_meta(cfg, dataset, dataset_info,
                                int(cfg.data_cfg['num_joints']))

    capture = (ffmpegcv.VideoCaptureNV
               if args.nvdecode else ffmpegcv.VideoCapture)
    video_origin = capture(args.video_path)
    image_size = tuple(int(v) for v in cfg.data_cfg['image_size'])
    video_resize = capture(args.video_path, resize=image_size,
                           resize_keepratio=True, pix_fmt='rgb24')
    img_metas = full_frame_metas(
        cfg, (video_origin.width, video_origin.height), meta)
    mean, std = (torch.from_numpy(v).to(device)
                 for v in normalization(cfg))

    writer = None
    if args.out_video_root:
        os.makedirs(args.out_video_root, exist_ok=True)
        writer = ffmpegcv.VideoWriter(
            osp.join(args.out_video_root,
                     f'vis_{osp.basename(args.video_path)}'),
            fps=video_origin.fps)
    fast = getattr(pose_model, 'inference_fast', True)
    precision = getattr(pose_model, 'inference_precision', 'fp32')
    try:
        for frame_resize, frame_origin in zip(
                mmcv.track_iter_progress(video_resize), video_origin):
            result = predict(pose_model, fast, precision,
                             img=to_input(frame_resize, mean, std,
                                          image_size),
                             img_metas=[img_metas], return_heatmap=False)
            pose_results = [{'keypoints': np.asarray(result['preds'])[0]}]
            vis_img = vis_pose_result(
                pose_model, frame_origin, pose_results, radius=args.radius,
                thickness=args.thickness, dataset=dataset,
                dataset_info=dataset_info, kpt_score_thr=args.kpt_thr,
                show=False)
            if writer is not None:
                writer.write(vis_img)
            if args.show:
                cv2.imshow('Image', vis_img)
                if cv2.waitKey(1) & 0xFF == ord('q'):
                    break
    finally:
        video_origin.release()
        video_resize.release()
        if writer is not None:
            writer.release()
        if args.show:
            cv2.destroyAllWindows()


if __name__ == '__main__':
    main()
