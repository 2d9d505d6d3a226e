# Tiny top-down face landmark config (19 AFLW landmarks) for the demo tests
# (random weights).
_base_ = ['./tiny_top_down_coco.py']
model = dict(keypoint_head=dict(out_channels=19))
data_cfg = dict(
    image_size=[96, 128],
    heatmap_size=[12, 16],
    num_output_channels=19,
    num_joints=19,
    dataset_channel=[list(range(19))],
    inference_channel=list(range(19)))
data = dict(
    test=dict(type='FaceAFLWDataset', data_cfg=data_cfg),
    val=dict(type='FaceAFLWDataset', data_cfg=data_cfg))
