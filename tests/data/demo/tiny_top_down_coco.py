# Tiny top-down config for the inference/demo tests (random weights).
_base_ = ['../../../demo/configs/demo_res18_coco_128x96.py']
model = dict(
    backbone=dict(
        type='ResNet', depth=18, stem_channels=8, base_channels=8),
    keypoint_head=dict(
        in_channels=64,
        num_deconv_layers=2,
        num_deconv_filters=(16, 16),
        num_deconv_kernels=(4, 4)))
data_cfg = dict(heatmap_size=[12, 16])
data = dict(
    train=dict(data_cfg=data_cfg),
    val=dict(data_cfg=data_cfg),
    test=dict(data_cfg=data_cfg))
