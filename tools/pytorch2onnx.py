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


class _PlainBatchNorm(torch.nn.modules.batchnorm._BatchNorm):
    """Single-process batch norm for inputs [N, C, *] of any rank, as
    ``SyncBatchNorm`` accepts them."""

    def _check_input_dim(self, input):
        if input.dim() < 2:
            raise ValueError(f'expected an input [N, C, *] of at least 2 '
                             f'dims, got shape {tuple(input.shape)}')


def _convert_batchnorm(module: torch.nn.Module) -> torch.nn.Module:
    """Replace every ``SyncBatchNorm`` of ``module`` (recursively) by a plain
    batch norm with the same parameters and statistics, which ONNX can
    export.

    Args:
        module (nn.Module): The model or one of its layers.

    Returns:
        nn.Module: ``module`` with its layers converted, or the new layer if
        ``module`` itself is a ``SyncBatchNorm``.
    """
    converted = module
    if isinstance(module, torch.nn.SyncBatchNorm):
        converted = _PlainBatchNorm(module.num_features, module.eps,
                                    module.momentum, module.affine,
                                    module.track_running_stats)
        if module.affine:
            converted.weight = module.weight
            converted.bias = module.bias
        converted.running_mean = module.running_mean
        converted.running_var = module.running_var
        converted.num_batches_tracked = module.num_batches_tracked
        converted.train(module.training)
    for name, child in module.named_children():
        converted.add_module(name, _convert_batchnorm(child))
    return converted


def pytorch2onnx(model: torch.nn.Module,
                 input_shape,
                 opset_version: int = 11,
                 show: bool = False,
                 output_file: str = 'tmp.onnx',
                 verify: bool = False,
                 atol: float = 1e-4) -> None:
    """Export ``model`` (its ``forward``, called on one random input) to
    ONNX and optionally compare onnxruntime's outputs with PyTorch's.

    As in MMPose 0.x the caller chooses what is exported: for a pose model,
    set ``model.forward = model.forward_dummy`` first (``main`` does).

    Args:
        model (nn.Module): The model to export.
        input_shape (Sequence[int]): Input shape, e.g. (1, 3, 256, 192).
        opset_version (int): ONNX opset version. Default: 11.
        show (bool): Print the exported graph. Default: False.
        output_file (str): Path of the ONNX file. Default: 'tmp.onnx'.
        verify (bool): Check the model with onnx and compare onnxruntime's
            outputs with PyTorch's. Default: False.
        atol (float): Absolute tolerance of the comparison. Default: 1e-4.
    """
    onnx = require('onnx')
    model.cpu().eval()
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
    model = _convert_batchnorm(build_posenet(cfg.model))
    if args.checkpoint.lower() != 'none':
        load_checkpoint(model, args.checkpoint, map_location='cpu')
    model.forward = model.forward_dummy
    pytorch2onnx(model, args.shape, args.opset_version, args.show,
                 args.output_file, args.verify, args.atol)


if __name__ == '__main__':
    main()
