"""Test (and evaluate) a trained pose model.

Takes the options of 0.14 and those 0.29 added (``--work-dir``, where the
evaluation writes its result files, ``--gpu-id``, ``--gpu-collect``,
``--local-rank``).

Example:
    python tools/test.py CONFIG CHECKPOINT --eval mAP
    bash tools/dist_test.sh CONFIG CHECKPOINT 8 --eval mAP
"""
import argparse
import os
import os.path as osp

import mmcv
import torch
from mmcv import DictAction
from mmcv.cnn import fuse_conv_bn
from mmcv.parallel import MMDataParallel
from mmcv.runner import get_dist_info, load_state_dict

from mmpose.apis.fast_inference import PRECISIONS, inference_network
from mmpose.apis.test import multi_gpu_test, single_gpu_test
from mmpose.core.distributed_wrapper import wrap_distributed_model
from mmpose.core.fp16 import wrap_fp16_model
from mmpose.core.utils import check_state_dict_compatible, init_dist
from mmpose.datasets import build_dataloader, build_dataset
from mmpose.errors import UnsupportedError
from mmpose.models import build_posenet
from mmpose.utils import setup_multi_processes
from mmpose.utils.checkpoint import get_state_dict, load_checkpoint_file

# evaluation-config keys that steer the training hook, not the metric
HOOK_ONLY_KEYS = ('interval', 'save_best', 'rule', 'key_indicator',
                  'gpu_collect', 'tmpdir')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='mmpose test model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='output result file')
    parser.add_argument(
        '--work-dir', help='the dir to save evaluation results')
    parser.add_argument(
        '--fuse-conv-bn',
        action='store_true',
        help='Whether to fuse conv and bn, this will slightly increase '
        'the inference speed')
    parser.add_argument(
        '--no-fast',
        action='store_true',
        help='run the model as built (default: a copy with BatchNorm '
        'folded into the convolutions, exact up to float rounding)')
    parser.add_argument(
        '--precision',
        choices=sorted(PRECISIONS),
        default='fp32',
        help='bf16 (CPU) or fp16 (CUDA) runs the network under '
        'torch.autocast; single process only')
    parser.add_argument(
        '--gpu-id',
        type=int,
        default=0,
        help='id of gpu to use (MMPose 0.29; only applicable to '
        'non-distributed testing)')
    parser.add_argument(
        '--eval',
        default=None,
        nargs='+',
        help='evaluation metric, which depends on the dataset,'
        ' e.g., "mAP" for MSCOCO')
    parser.add_argument(
        '--gpu_collect',
        '--gpu-collect',
        action='store_true',
        help='whether to use gpu to collect results')
    parser.add_argument('--tmpdir', help='tmp dir for writing some results')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default={},
        help='override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file.')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def load_model_weights(model: torch.nn.Module, filename: str) -> dict:
    """Load a checkpoint, refusing one made for another architecture."""
    checkpoint = load_checkpoint_file(filename, map_location='cpu')
    state_dict = {
        (key[len('module.'):] if key.startswith('module.') else key): value
        for key, value in get_state_dict(checkpoint, filename).items()
    }
    check_state_dict_compatible(model, state_dict, filename)
    load_state_dict(model, state_dict, strict=False)
    return checkpoint


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config file not found: {args.config}')
    cfg = mmcv.Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if cfg.get('data', None) is None or cfg.data.get('test', None) is None:
        raise KeyError(f'config {args.config} has no data.test entry: '
                       f'testing needs a test dataset config')
    if cfg.get('cudnn_benchmark', False):
        torch.backends.cudnn.benchmark = True
    cfg.model.pretrained = None
    if 'mp_start_method' in cfg or 'opencv_num_threads' in cfg:
        setup_multi_processes(cfg)  # 0.29 configs; 0.14 set nothing
    cfg.data.test.test_mode = True

    # work_dir is determined in this priority: CLI > config > filename
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    mmcv.mkdir_or_exist(osp.abspath(cfg.work_dir))

    if args.launcher == 'none':
        distributed = False
    else:
        distributed = True
        init_dist(args.launcher, **cfg.get('dist_params', {}))

    dataset = build_dataset(cfg.data.test, dict(test_mode=True))
    loader_settings = dict(
        samples_per_gpu=1,
        workers_per_gpu=cfg.data.get('workers_per_gpu', 1),
        dist=distributed,
        shuffle=False,
        drop_last=False,
        pin_memory=torch.cuda.is_available())
    loader_settings.update(cfg.data.get('test_dataloader', {}))
    data_loader = build_dataloader(dataset, **loader_settings)

    model = build_posenet(cfg.model)
    if cfg.get('fp16', None) is not None:
        wrap_fp16_model(model)
    load_model_weights(model, args.checkpoint)
    if args.fuse_conv_bn:
        model = fuse_conv_bn(model)

    if not distributed:
        if torch.cuda.is_available():
            model = MMDataParallel(
                model.cuda(args.gpu_id), device_ids=[args.gpu_id])
        else:
            model = MMDataParallel(model)
        outputs = single_gpu_test(model, data_loader, not args.no_fast,
                                  args.precision)
    else:
        if args.precision != 'fp32':
            raise UnsupportedError(
                f'--precision {args.precision} is for single-process '
                "testing; distributed testing runs in 'fp32'")
        if not args.no_fast:  # fold before wrapping (DDP is not copyable)
            model = inference_network(model.eval())
        model = wrap_distributed_model(model, find_unused_parameters=False)
        outputs = multi_gpu_test(model, data_loader, args.tmpdir,
                                 args.gpu_collect)

    rank, _ = get_dist_info()
    eval_config = dict(cfg.get('evaluation', {}))
    for key in HOOK_ONLY_KEYS:
        eval_config.pop(key, None)
    if args.eval:
        eval_config['metric'] = args.eval
    if rank == 0:
        if args.out:
            print(f'\nwriting results to {args.out}')
            mmcv.dump(outputs, args.out)
        results = dataset.evaluate(outputs, cfg.work_dir, **eval_config)
        print()
        for name, value in sorted(results.items()):
            print(f'{name}: {value}')


if __name__ == '__main__':
    main()
