# A small SimpleBaseline-style top-down model (ResNet-18 with a quarter of
# the channels, three narrow deconvolutions) on 128x96 crops, used by the
# demo: it is fitted to the few COCO sample photos bundled under
# tests/data/demo by tools/train_demo_model.py (no pretrained weights are
# downloaded here), so it is meaningful on those photos only.
_base_ = ['../../configs/_base_/default_runtime.py']
log_level = 'INFO'
load_from = None
resume_from = None
checkpoint_config = dict(interval=50)
evaluation = dict(interval=1000, metric='mAP', key_indicator='AP')

optimizer = dict(type='Adam', lr=3e-3)
optimizer_config = dict(grad_clip=None)
lr_config = dict(policy='CosineAnnealing', min_lr=1e-5, by_epoch=False)
total_iters = 500

channel_cfg = dict(
    num_output_channels=17,
    dataset_joints=17,
    dataset_channel=[list(range(17))],
    inference_channel=list(range(17)))

model = dict(
    type='TopDown',
    pretrained=None,
    backbone=dict(
        type='ResNet', depth=18, stem_channels=16, base_channels=16),
    keypoint_head=dict(
        type='TopDownSimpleHead',
        in_channels=128,
        out_channels=channel_cfg['num_output_channels'],
        num_deconv_layers=3,
        num_deconv_filters=(64, 64, 64),
        num_deconv_kernels=(4, 4, 4),
        loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True)),
    train_cfg=dict(),
    test_cfg=dict(
        flip_test=True,
        post_process='default',
        shift_heatmap=True,
        modulate_kernel=11))

data_cfg = dict(
    image_size=[96, 128],
    heatmap_size=[24, 32],
    num_output_channels=channel_cfg['num_output_channels'],
    num_joints=channel_cfg['dataset_joints'],
    dataset_channel=channel_cfg['dataset_channel'],
    inference_channel=channel_cfg['inference_channel'],
    soft_nms=False,
    nms_thr=1.0,
    oks_thr=0.9,
    vis_thr=0.2,
    use_gt_bbox=True,
    det_bbox_thr=0.0,
    bbox_file='')

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TopDownRandomFlip', flip_prob=0.5),
    dict(
        type='TopDownHalfBodyTransform',
        num_joints_half_body=8,
        prob_half_body=0.1),
    dict(
        type='TopDownGetRandomScaleRotation', rot_factor=20,
        scale_factor=0.25),
    dict(type='TopDownAffine'),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(type='TopDownGenerateTarget', sigma=1.5),
    dict(
        type='Collect',
        keys=['img', 'target', 'target_weight'],
        meta_keys=[
            'image_file', 'joints_3d', 'joints_3d_visible', 'center', 'scale',
            'rotation', 'bbox_score', 'flip_pairs'
        ]),
]

val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TopDownAffine'),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(
        type='Collect',
        keys=['img'],
        meta_keys=[
            'image_file', 'center', 'scale', 'rotation', 'bbox_score',
            'flip_pairs'
        ]),
]

test_pipeline = val_pipeline

data_root = 'tests/data/demo'
data = dict(
    samples_per_gpu=16,
    workers_per_gpu=1,
    train=dict(
        type='TopDownCocoDataset',
        ann_file=f'{data_root}/test_coco.json',
        img_prefix=f'{data_root}/',
        data_cfg=data_cfg,
        pipeline=train_pipeline),
    val=dict(
        type='TopDownCocoDataset',
        ann_file=f'{data_root}/test_coco.json',
        img_prefix=f'{data_root}/',
        data_cfg=data_cfg,
        pipeline=val_pipeline),
    test=dict(
        type='TopDownCocoDataset',
        ann_file=f'{data_root}/test_coco.json',
        img_prefix=f'{data_root}/',
        data_cfg=data_cfg,
        pipeline=val_pipeline),
)
