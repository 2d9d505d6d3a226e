"""Write a tiny synthetic COCO keypoint data set (for end-to-end tests).

Run as a script: ``python synthetic_coco.py OUT_DIR`` writes
``OUT_DIR/annotations.json`` and ``OUT_DIR/images/*.jpg``.
"""
import json
import os
import os.path as osp
import sys

import cv2
import numpy as np

KEYPOINT_NAMES = [
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
    'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
    'right_knee', 'left_ankle', 'right_ankle'
]
SKELETON = [[16, 14], [14, 12], [17, 15], [15, 13], [12, 13], [6, 12],
            [7, 13], [6, 7], [6, 8], [7, 9], [8, 10], [9, 11], [2, 3],
            [1, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5, 7]]
# a stick figure in a unit box (x, y), one row per COCO keypoint
TEMPLATE = np.array([[.50, .08], [.45, .05], [.55, .05], [.40, .08],
                     [.60, .08], [.35, .25], [.65, .25], [.25, .42],
                     [.75, .42], [.20, .58], [.80, .58], [.40, .58],
                     [.60, .58], [.38, .78], [.62, .78], [.36, .96],
                     [.64, .96]])


def write_tiny_coco(out_dir: str, num_images: int = 2, size: int = 96,
                    seed: int = 0) -> str:
    """Write images with two stick figures each; returns the json path."""
    rng = np.random.RandomState(seed)
    os.makedirs(osp.join(out_dir, 'images'), exist_ok=True)
    images, annotations = [], []
    for image_id in range(1, num_images + 1):
        img = (rng.rand(size, size, 3) * 60).astype(np.uint8)
        for person in range(2):
            x0, y0 = 4 + person * size // 2, 4 + rng.randint(0, 8)
            w, h = size // 2 - 10, size - 20
            points = TEMPLATE * [w, h] + [x0, y0]
            for x, y in points:
                cv2.circle(img, (int(x), int(y)), 2, (255, 255, 255), -1)
            keypoints = np.concatenate(
                [points, np.full((17, 1), 2.)], axis=1).round(1)
            annotations.append(
                dict(
                    id=len(annotations) + 1,
                    image_id=image_id,
                    category_id=1,
                    iscrowd=0,
                    num_keypoints=17,
                    keypoints=keypoints.reshape(-1).tolist(),
                    bbox=[float(x0), float(y0), float(w), float(h)],
                    area=float(w * h)))
        file_name = f'{image_id:012d}.jpg'
        cv2.imwrite(osp.join(out_dir, 'images', file_name), img)
        images.append(
            dict(id=image_id, file_name=file_name, height=size, width=size))
    ann_file = osp.join(out_dir, 'annotations.json')
    with open(ann_file, 'w') as f:
        json.dump(
            dict(
                images=images,
                annotations=annotations,
                categories=[
                    dict(
                        id=1,
                        name='person',
                        supercategory='person',
                        keypoints=KEYPOINT_NAMES,
                        skeleton=SKELETON)
                ]), f)
    return ann_file


if __name__ == '__main__':
    write_tiny_coco(sys.argv[1])
