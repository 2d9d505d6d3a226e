"""Package an MMPose model (config + checkpoint) as a TorchServe archive
``<output-folder>/<model-name>.mar`` served by ``mmpose_handler.py``
(MMPose 0.29's tools/deployment/mmpose2torchserve.py). Needs the optional
package ``torch-model-archiver``.

    python tools/deployment/mmpose2torchserve.py CONFIG CHECKPOINT \
        --output-folder serve --model-name res50_coco
"""
import os.path as osp
from argparse import ArgumentParser, Namespace
from tempfile import TemporaryDirectory
from typing import Optional

import mmcv
import torch
from mmcv.runner import CheckpointLoader

HANDLER = osp.join(osp.dirname(osp.abspath(__file__)), 'mmpose_handler.py')


def parse_args(argv=None):
    parser = ArgumentParser(
        description='Convert MMPose models to TorchServe `.mar` format.')
    parser.add_argument('config', type=str, help='config file path')
    parser.add_argument('checkpoint', type=str, help='checkpoint file path')
    parser.add_argument(
        '--output-folder',
        type=str,
        required=True,
        help='Folder where `{model_name}.mar` will be created.')
    parser.add_argument(
        '--model-name',
        type=str,
        default=None,
        help='Name of the `{model_name}.mar` file (default: the checkpoint '
        'file name without extension).')
    parser.add_argument('--model-version', type=str, default='1.0',
                        help='Number used for versioning.')
    parser.add_argument('-f', '--force', action='store_true',
                        help='overwrite the existing `{model_name}.mar`')
    return parser.parse_args(argv)


def require_model_archiver():
    """torch-model-archiver's ``(package_model, ModelExportUtils)``, or an
    exit naming the package."""
    try:
        from model_archiver.model_packaging import package_model
        from model_archiver.model_packaging_utils import ModelExportUtils
    except ImportError as err:
        raise SystemExit(
            'error: packaging for TorchServe needs the optional package '
            f'torch-model-archiver, which is not installed ({err}): '
            'pip install torch-model-archiver') from None
    return package_model, ModelExportUtils


def mmpose2torchserve(config_file: str,
                      checkpoint_file: str,
                      output_folder: str,
                      model_name: Optional[str] = None,
                      model_version: str = '1.0',
                      force: bool = False) -> None:
    """Write ``<output_folder>/<model_name>.mar`` holding the config (as
    ``config.py``), the checkpoint (a URL is downloaded first) and the
    handler."""
    package_model, export_utils = require_model_archiver()
    mmcv.mkdir_or_exist(output_folder)
    config = mmcv.Config.fromfile(config_file)
    with TemporaryDirectory() as tmpdir:
        model_file = osp.join(tmpdir, 'config.py')
        config.dump(model_file)
        if not osp.isfile(checkpoint_file):
            checkpoint = CheckpointLoader.load_checkpoint(checkpoint_file)
            checkpoint_file = osp.join(tmpdir, 'checkpoint.pth')
            torch.save(checkpoint, checkpoint_file)
        args = Namespace(
            model_file=model_file,
            serialized_file=checkpoint_file,
            handler=HANDLER,
            model_name=model_name
            or osp.splitext(osp.basename(checkpoint_file))[0],
            version=model_version,
            export_path=output_folder,
            force=force,
            requirements_file=None,
            extra_files=None,
            runtime='python',
            archive_format='default')
        package_model(args, export_utils.generate_manifest_json(args))


def main(argv=None):
    args = parse_args(argv)
    mmpose2torchserve(args.config, args.checkpoint, args.output_folder,
                      args.model_name, args.model_version, args.force)


if __name__ == '__main__':
    main()
