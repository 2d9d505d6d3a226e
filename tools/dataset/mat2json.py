"""Turn MPII predictions saved as ``.mat`` (``preds`` [N, 16, 2], as
TopDownMpiiDataset.evaluate writes ``pred.mat``) into the MPII json layout
(MMPose 0.29's tools/dataset/mat2json.py): the annotations of the
ground-truth json, in the same order, with ``joints`` replaced by the
predictions and ``joints_vis`` left out.

    python tools/dataset/mat2json.py work_dirs/x/pred.mat \
        data/mpii/annotations/mpii_val.json pred.json
"""
import argparse
import time

import mmcv
import numpy as np
from scipy.io import loadmat

from mmpose.errors import ArgumentError


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Converting the predicted .mat file to .json file.')
    parser.add_argument('pred_mat_file', help='input prediction mat file.')
    parser.add_argument(
        'gt_json_file',
        help='input ground-truth json file to get the image name. '
        'Default: "data/mpii/mpii_val.json" ')
    parser.add_argument('output_json_file', help='output converted json file.')
    return parser.parse_args(argv)


def convert_mat(pred_mat_file: str, gt_json_file: str,
                output_json_file: str) -> None:
    """Write the predictions of ``pred_mat_file`` in the layout of
    ``gt_json_file`` to ``output_json_file``."""
    preds = np.asarray(loadmat(pred_mat_file)['preds'])
    anns = mmcv.load(gt_json_file)
    if len(anns) != len(preds):
        raise ArgumentError(
            f'{pred_mat_file} has {len(preds)} predictions but '
            f'{gt_json_file} has {len(anns)} annotations')
    annotations = [
        dict({k: v for k, v in ann.items() if k != 'joints_vis'},
             joints=pred.tolist()) for ann, pred in zip(anns, preds)
    ]
    now = time.localtime()
    mmcv.dump(
        dict(annotations=annotations,
             info=dict(description='Converted MPII prediction.',
                       year=time.strftime('%Y', now),
                       date_created=time.strftime('%Y/%m/%d', now))),
        output_json_file, indent=4)


def main(argv=None):
    args = parse_args(argv)
    convert_mat(args.pred_mat_file, args.gt_json_file, args.output_json_file)


if __name__ == '__main__':
    main()
