# Tiny bottom-up (associative embedding) config for the inference/demo
# tests (random weights).
_base_ = ['../../../configs/_base_/default_runtime.py']
channel_cfg = dict(
    dataset_joints=17,
    dataset_channel=[list(range(17))],
    inference_channel=list(range(17)))
model = dict(
    type='BottomUp',
    pretrained=None,
    backbone=dict(
        type='ResNet', depth=18, stem_channels=8, base_channels=8),
    keypoint_head=dict(
        type='BottomUpSimpleHead',
        in_channels=64,
        num_joints=17,
        num_deconv_layers=2,
        num_deconv_filters=(16, 16),
        num_deconv_kernels=(4, 4),
        tag_per_joint=True,
        with_ae_loss=[True],
        loss_keypoint=dict(
            type='MultiLossFactory',
            num_joints=17,
            num_stages=1,
            ae_loss_type='exp',
            with_ae_loss=[True],
            push_loss_factor=[0.001],
            pull_loss_factor=[0.001],
            with_heatmaps_loss=[True],
            heatmaps_loss_factor=[1.0])),
    train_cfg=dict(num_joints=17, img_size=128),
    test_cfg=dict(
        num_joints=17,
        max_num_people=5,
        scale_factor=[1],
        with_heatmaps=[True],
        with_ae=[True],
        project2image=True,
        nms_kernel=5,
        nms_padding=2,
        tag_per_joint=True,
        detection_threshold=0.0,
        tag_threshold=1,
        use_detection_val=True,
        ignore_too_much=False,
        adjust=True,
        refine=True,
        flip_test=True))
data_cfg = dict(
    image_size=128,
    base_size=64,
    base_sigma=2,
    heatmap_size=[32],
    num_joints=17,
    dataset_channel=channel_cfg['dataset_channel'],
    inference_channel=channel_cfg['inference_channel'],
    num_scales=1,
    scale_aware_sigma=False)
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='BottomUpGetImgSize', test_scale_factor=[1]),
    dict(
        type='BottomUpResizeAlign',
        transforms=[
            dict(type='ToTensor'),
            dict(
                type='NormalizeTensor',
                mean=[0.485, 0.456, 0.406],
                std=[0.229, 0.224, 0.225])
        ]),
    dict(
        type='Collect',
        keys=['img'],
        meta_keys=[
            'image_file', 'aug_data', 'test_scale_factor', 'base_size',
            'center', 'scale', 'flip_index'
        ])
]
val_pipeline = test_pipeline
data = dict(
    samples_per_gpu=1,
    workers_per_gpu=0,
    test=dict(
        type='BottomUpCocoDataset',
        ann_file='tests/data/demo/test_coco.json',
        img_prefix='tests/data/demo/',
        data_cfg=data_cfg,
        pipeline=test_pipeline))
