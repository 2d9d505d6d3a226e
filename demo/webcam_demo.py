"""Run a webcam application (MMPose 0.29's Webcam API) from its config.

    python demo/webcam_demo.py [--config demo/webcam_cfg/pose_estimation.py]
        [--camera-id ID_OR_VIDEO_OR_IMAGE] [--cpu | --cuda] [--no-display]
        [--cfg-options executor_cfg.camera_max_fps=15 ...] [--debug]

The config holds an ``executor_cfg`` dict: the arguments of
``mmpose.apis.webcam.WebcamExecutor`` with its ``nodes``. Hot-keys: 'q' or
Esc quits, and each node's ``enable_key`` toggles it. ``--no-display`` runs
without a window (no keyboard) until the video ends, for servers and CI:
record the output with a ``RecorderNode``.
"""
import logging
from argparse import ArgumentParser
from typing import Optional, Sequence, Union

from mmcv import Config, DictAction

from mmpose.apis.webcam import WebcamExecutor
from mmpose.apis.webcam.nodes import model_nodes


def parse_args(argv: Optional[Sequence[str]] = None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--config',
        default='demo/webcam_cfg/pose_estimation.py',
        help='config file with an executor_cfg (default: %(default)s)')
    parser.add_argument(
        '--camera-id',
        default=None,
        help='overrides executor_cfg.camera_id: a camera index, or a video '
        'or image file')
    device = parser.add_mutually_exclusive_group()
    device.add_argument(
        '--cpu', action='store_true', help='run every model on the CPU')
    device.add_argument(
        '--cuda', action='store_true', help='run every model on cuda:0')
    parser.add_argument(
        '--no-display',
        action='store_true',
        help='no window and no keyboard: run until the video ends')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default={},
        help='override config entries, xxx=yyy pairs, e.g. '
        'executor_cfg.camera_max_fps=15')
    parser.add_argument(
        '--debug', action='store_true', help='log at the DEBUG level')
    return parser.parse_args(argv)


def camera_source(camera_id: str) -> Union[int, str]:
    """A camera index as an int; a file path or URL unchanged."""
    return int(camera_id) if camera_id.isdigit() else camera_id


def set_device(cfg: Config, device: str) -> Config:
    """Put every model node of the config on ``device``."""
    for node_cfg in cfg.executor_cfg.nodes:
        if node_cfg.type in model_nodes.__all__:
            node_cfg.device = device
    return cfg


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.INFO)
    cfg = Config.fromfile(args.config)
    cfg.merge_from_dict(args.cfg_options)
    if args.camera_id is not None:
        cfg.executor_cfg.camera_id = camera_source(args.camera_id)
    if args.cpu or args.cuda:
        set_device(cfg, 'cpu' if args.cpu else 'cuda:0')
    executor_cfg = dict(cfg.executor_cfg)
    if args.no_display:
        executor_cfg['display'] = False
    WebcamExecutor(**executor_cfg).run()


if __name__ == '__main__':
    main()
