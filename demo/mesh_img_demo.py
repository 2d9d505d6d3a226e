"""Human mesh recovery on images, with the person boxes taken from a
COCO-format annotation file (MMPose 0.29's demo); each drawing shows the
meshes over the image beside a side view.

    python demo/mesh_img_demo.py MESH_CONFIG MESH_CHECKPOINT \
        --img-root tests/data/demo --json-file tests/data/demo/test_coco.json \
        --out-img-root vis_results
"""
import os.path as osp
from argparse import ArgumentParser

from demo_utils import (coco_person_results, dataset_of, load_coco, out_path,
                        require_output)

from mmpose.apis import (inference_mesh_model, init_pose_model,
                         vis_3d_mesh_result)


def parse_args(argv=None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('pose_config', help='Config file for detection')
    parser.add_argument('pose_checkpoint', help='Checkpoint file')
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument('--json-file', type=str, default='',
                        help='Json file containing image info.')
    parser.add_argument('--show', action='store_true', default=False,
                        help='whether to show img')
    parser.add_argument('--out-img-root', type=str, default='',
                        help='Root of the output img file. '
                        'Default not saving the visualization images.')
    parser.add_argument('--device', default='cuda:0',
                        help='Device used for inference')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_img_root])
    coco = load_coco(args.json_file)
    model = init_pose_model(args.pose_config, args.pose_checkpoint,
                            device=args.device.lower())
    dataset = dataset_of(model, 'MeshH36MDataset')
    for i, image_id in enumerate(sorted(coco.imgs)):
        image_name = osp.join(args.img_root,
                              coco.imgs[image_id]['file_name'])
        results = inference_mesh_model(
            model, image_name, coco_person_results(coco, image_id),
            bbox_thr=None, format='xywh', dataset=dataset)
        if not results:
            print(f'{image_name}: nobody to draw')
            continue
        vis_3d_mesh_result(model, results, image_name, show=args.show,
                           out_file=out_path(args.out_img_root,
                                             f'vis_{i}.jpg'))


if __name__ == '__main__':
    main()
