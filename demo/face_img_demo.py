"""Face landmark detection (top-down) on images.

Face boxes come from the ``face_recognition`` package when it is installed;
otherwise from ``--bbox x y w h``, or the whole image is taken as one face
(a notice says so).

    python demo/face_img_demo.py POSE_CONFIG POSE_CHECKPOINT \
        --img-root DIR --img face.jpg --out-img-root vis_results
"""
import os.path as osp
from typing import List, Optional, Sequence

import mmcv
import numpy as np
from demo_utils import (add_common_args, add_threshold_args, dataset_of,
                        pose_arg_parser, require_output, visualize_image)

from mmpose.apis import inference_top_down_pose_model, init_pose_model


def parse_args(argv=None):
    parser = pose_arg_parser(__doc__.splitlines()[0])
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument('--img', type=str, default='', help='Image file')
    parser.add_argument('--bbox', type=float, nargs=4, default=None,
                        metavar=('X', 'Y', 'W', 'H'),
                        help='Face box when face_recognition is unavailable')
    add_common_args(parser, 'img')
    add_threshold_args(parser)
    return parser.parse_args(argv)


def face_boxes(img: np.ndarray,
               bbox: Optional[Sequence[float]]) -> List[dict]:
    """Face boxes ``{'bbox': [x, y, w, h]}`` of a BGR image."""
    if bbox is not None:
        return [{'bbox': np.asarray(bbox, dtype=np.float32)}]
    try:
        import face_recognition
    except ImportError:
        h, w = img.shape[:2]
        print('face_recognition is not installed (pip install '
              'face_recognition): using the whole image as the face box; '
              'pass --bbox X Y W H for another box.')
        return [{'bbox': np.array([0, 0, w, h], dtype=np.float32)}]
    # face_recognition gives (top, right, bottom, left) on RGB images.
    locations = face_recognition.face_locations(mmcv.bgr2rgb(img))
    return [{
        'bbox': np.array([left, top, right - left, bottom - top],
                         dtype=np.float32)
    } for top, right, bottom, left in locations]


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_img_root])
    image_name = osp.join(args.img_root, args.img)
    if not osp.isfile(image_name):
        raise SystemExit(f'error: image not found: {image_name!r}')
    img = mmcv.imread(image_name)
    if img is None:
        raise SystemExit(f'error: cannot decode image {image_name!r}')
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=args.device.lower())
    dataset = dataset_of(pose_model, 'FaceAFLWDataset')
    face_results = face_boxes(img, args.bbox)
    pose_results, _ = inference_top_down_pose_model(
        pose_model, img, face_results, format='xywh', dataset=dataset)
    visualize_image(pose_model, img, pose_results, args, dataset,
                    f'vis_{osp.basename(args.img)}', image_name, noun='faces')


if __name__ == '__main__':
    main()
