# A tiny bottom-up (associative embedding) COCO config for end-to-end
# tests: a 2-stage ResNet-18 with 8 base channels on 64x64 inputs, trained
# for 2 epochs. Tests inherit from it and point data.* at synthetic data.
_base_ = ['../../../configs/_base_/default_runtime.py']
dist_params = dict(backend='nccl')
checkpoint_config = dict(interval=1)
log_config = dict(interval=1, hooks=[dict(type='TextLoggerHook')])
evaluation = dict(interval=1, metric='mAP', key_indicator='AP')
optimizer = dict(type='Adam', lr=0.005)
optimizer_config = dict(grad_clip=None)
lr_config = dict(policy='step', step=[100])
total_epochs = 2
channel_cfg = dict(
    dataset_joints=17,
    dataset_channel=[list(range(17))],
    inference_channel=list(range(17)))

model = dict(
    type='BottomUp',
    pretrained=None,
    backbone=dict(
        type='ResNet',
        depth=18,
        num_stages=2,
        strides=(1, 2),
        dilations=(1, 1),
        out_indices=(1, ),
        stem_channels=8,
        base_channels=8),
    keypoint_head=dict(
        type='BottomUpSimpleHead',
        in_channels=16,
        num_joints=channel_cfg['dataset_joints'],
        num_deconv_layers=1,
        num_deconv_filters=(16, ),
        num_deconv_kernels=(4, ),
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
    train_cfg=dict(num_joints=17, img_size=64),
    test_cfg=dict(
        num_joints=17,
        max_num_people=30,
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
        flip_test=False))

data_cfg = dict(
    image_size=64,
    base_size=32,
    base_sigma=2,
    heatmap_size=[16],
    num_joints=channel_cfg['dataset_joints'],
    dataset_channel=channel_cfg['dataset_channel'],
    inference_channel=channel_cfg['inference_channel'],
    num_scales=1,
    scale_aware_sigma=False)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='BottomUpRandomAffine',
        rot_factor=0,
        scale_factor=[1.0, 1.0],
        scale_type='short',
        trans_factor=0),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(type='BottomUpGenerateTarget', sigma=2, max_num_people=30),
    dict(
        type='Collect',
        keys=['img', 'joints', 'targets', 'masks'],
        meta_keys=[]),
]

val_pipeline = [
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
        ]),
]

test_pipeline = val_pipeline
data_root = 'data/tiny_coco'
data = dict(
    samples_per_gpu=1,
    workers_per_gpu=0,
    train=dict(
        type='BottomUpCocoDataset',
        ann_file=f'{data_root}/annotations.json',
        img_prefix=f'{data_root}/images/',
        data_cfg=data_cfg,
        pipeline=train_pipeline),
    val=dict(
        type='BottomUpCocoDataset',
        ann_file=f'{data_root}/annotations.json',
        img_prefix=f'{data_root}/images/',
        data_cfg=data_cfg,
        pipeline=val_pipeline),
    test=dict(
        type='BottomUpCocoDataset',
        ann_file=f'{data_root}/annotations.json',
        img_prefix=f'{data_root}/images/',
        data_cfg=data_cfg,
        pipeline=val_pipeline))
