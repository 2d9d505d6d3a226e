"""Export a pose model (its network, without post-processing) to ONNX and
optionally check that onnxruntime gives the same outputs.

Needs the optional packages ``onnx`` (export check) and ``onnxruntime``
(``--verify``): ``pip install onnx onnxruntime``.

    python tools/pytorch2onnx.py CONFIG CHECKPOINT --shape 1 3 256 192 \
        --output-file tmp.onnx --verify
"""
import argparse
import os
import os.path as osp
import warnings

import numpy as np
import torch
from mmcv import Config

from mmpose.models import build_posenet
from mmpose.utils.checkpoint import load_checkpoint


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert MMPose models to ONNX')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--show', action='store_true',
                        help='show the onnx graph')
    parser.add_argument('--output-file', type=str, default='tmp.onnx')
    parser.add_argument('--opset-version', type=int, default=11)
    parser.add_argument('--verify', action='store_true',
                        help='verify the onnx model output against pytorch')
    parser.add_argument('--shape', type=int, nargs='+',
                        default=[1, 3, 256, 192], help='input size N C H W')
    parser.add_argument('--atol', type=float, default=1e-4,
                        help='absolute tolerance of --verify')
    return parser.parse_args(argv)


def require(module: str):
    """Import an optional package or exit explaining how to install it."""
    try:
        return __import__(module)
    except ImportError:
        raise SystemExit(f'error: the optional package {module!r} is not '
                         f'installed; install it with `pip install '
                         f'{module}` to export/verify ONNX models.') from None


def _to_list(outputs):
    """Network outputs (tensor or nested list of tensors) as a flat list."""
    if isinstance(outputs, torch.Tensor):
        return [outputs]
    flat = []
    for out in outputs:
        flat += _to_list(out)
    return flat


def pytorch2onnx(model: torch.nn.Module, input_shape, opset_version: int,
                 show: bool, output_file: str, verify: bool,
                 atol: float) -> None:
    """Export ``model.forward_dummy`` for an input of ``input_shape`` and
    optionally compare onnxruntime's outputs with PyTorch's."""
    onnx = require('onnx')
    model.cpu().eval()
    model.forward = model.forward_dummy
    dummy = torch.randn(*input_shape)
    out_dir = osp.dirname(osp.abspath(output_file))
    os.makedirs(out_dir, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', torch.jit.TracerWarning)
        torch.onnx.export(
            model,
            (dummy, ),
            output_file,
            export_params=True,
            keep_initializers_as_inputs=True,
            verbose=show,
            opset_version=opset_version,
            input_names=['input'],
            dynamo=False)
    onnx.checker.check_model(onnx.load(output_file))
    print(f'Successfully exported ONNX model: {output_file}')
    if not verify:
        return
    ort = require('onnxruntime')
    with torch.no_grad():
        expected = [t.numpy() for t in _to_list(model(dummy))]
    session = ort.InferenceSession(
        output_file, providers=['CPUExecutionProvider'])
    got = session.run(None, {'input': dummy.numpy()})
    if len(got) != len(expected):
        raise SystemExit(f'error: ONNX gives {len(got)} outputs, PyTorch '
                         f'{len(expected)}')
    for i, (a, b) in enumerate(zip(got, expected)):
        diff = float(np.abs(a - b).max()) if a.size else 0.
        if a.shape != b.shape or diff > atol:
            raise SystemExit(f'error: output {i} differs between ONNX and '
                             f'PyTorch: shapes {a.shape} / {b.shape}, max '
                             f'abs diff {diff:.3g} > {atol}')
        print(f'output {i} {tuple(a.shape)}: max abs diff {diff:.3g}')
    print('The numerical values are the same between PyTorch and ONNX')


def main(argv=None):
    args = parse_args(argv)
    if len(args.shape) != 4:
        raise SystemExit(f'error: --shape takes N C H W, got {args.shape}')
    if not osp.isfile(args.config):
        raise SystemExit(f'error: config file not found: {args.config}')
    if args.opset_version < 11:
        raise SystemExit('error: opset version >= 11 is required')
    cfg = Config.fromfile(args.config)
    cfg.model.pretrained = None
    model = build_posenet(cfg.model)
    if args.checkpoint.lower() != 'none':
        load_checkpoint(model, args.checkpoint, map_location='cpu')
    pytorch2onnx(model, args.shape, args.opset_version, args.show,
                 args.output_file, args.verify, args.atol)


if __name__ == '__main__':
    main()
