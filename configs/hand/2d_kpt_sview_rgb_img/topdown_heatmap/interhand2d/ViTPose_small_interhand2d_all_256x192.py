# ViTPose-S (ViTPose fork, NeurIPS'2022): top-down heatmap, hand keypoints on
# InterHand2.6M, 256x192 input; plain ViT backbone, classic decoder (2
# deconvs).
_base_ = [
    '../../../../_base_/default_runtime.py',
    '../../../../_base_/datasets/interhand2d.py'
]

checkpoint_config = dict(interval=5)
log_config = dict(interval=20, hooks=[dict(type='TextLoggerHook')])
evaluation = dict(interval=5, metric=['PCK', 'AUC', 'EPE'], save_best='AUC')
optimizer = dict(type='Adam', lr=0.0005)
optimizer_config = dict(grad_clip=None)

lr_config = dict(
    policy='step',
    warmup='linear',
    warmup_iters=500,
    warmup_ratio=0.001,
    step=[40, 50])

total_epochs = 60

channel_cfg = dict(
    num_output_channels=21,
    dataset_joints=21,
    dataset_channel=[list(range(21))],
    inference_channel=list(range(21)))

# model settings
model = dict(
    type='TopDown',
    pretrained=None,
    backbone=dict(
        type='ViT',
        img_size=(256, 192),
        patch_size=16,
        embed_dim=384,
        depth=12,
        num_heads=12,
        ratio=1,
        use_checkpoint=False,
        mlp_ratio=4,
        qkv_bias=True,
        drop_path_rate=0.3),
    keypoint_head=dict(
        type='TopdownHeatmapSimpleHead',
        in_channels=384,
        num_deconv_layers=2,
        num_deconv_filters=(256, 256),
        num_deconv_kernels=(4, 4),
        extra=dict(final_conv_kernel=1),
        out_channels=21,
        loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True)),
    train_cfg=dict(),
    test_cfg=dict(
        flip_test=True,
        post_process='default',
        shift_heatmap=True,
        modulate_kernel=11))

data_cfg = dict(
    image_size=[192, 256],
    heatmap_size=[48, 64],
    num_output_channels=21,
    num_joints=21,
    dataset_channel=[list(range(21))],
    inference_channel=list(range(21)))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TopDownRandomFlip', flip_prob=0.5),
    dict(
        type='TopDownGetRandomScaleRotation',
        rot_factor=90,
        scale_factor=0.3),
    dict(type='TopDownAffine'),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(type='TopDownGenerateTarget', sigma=2),
    dict(
        type='Collect',
        keys=['img', 'target', 'target_weight'],
        meta_keys=[
            'image_file', 'joints_3d', 'joints_3d_visible', 'center', 'scale',
            'rotation', 'flip_pairs'
        ])
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
        meta_keys=['image_file', 'center', 'scale', 'rotation', 'flip_pairs'])
]
test_pipeline = val_pipeline
data_root = 'data/interhand2.6m'

data = dict(
    samples_per_gpu=64,
    workers_per_gpu=2,
    val_dataloader=dict(samples_per_gpu=32),
    test_dataloader=dict(samples_per_gpu=32),
    train=dict(
        type='InterHand2DDataset',
        ann_file=f'{data_root}/annotations/all/InterHand2.6M_train_data.json',
        camera_file=f'{data_root}/annotations/all/'
            'InterHand2.6M_train_camera.json',
        joint_file=f'{data_root}/annotations/all/'
            'InterHand2.6M_train_joint_3d.json',
        img_prefix=f'{data_root}/images/train/',
        data_cfg=data_cfg,
        pipeline=train_pipeline,
        dataset_info={{_base_.dataset_info}}),
    val=dict(
        type='InterHand2DDataset',
        ann_file=f'{data_root}/annotations/machine_annot/'
            'InterHand2.6M_val_data.json',
        camera_file=f'{data_root}/annotations/machine_annot/'
            'InterHand2.6M_val_camera.json',
        joint_file=f'{data_root}/annotations/machine_annot/'
            'InterHand2.6M_val_joint_3d.json',
        img_prefix=f'{data_root}/images/val/',
        data_cfg=data_cfg,
        pipeline=val_pipeline,
        dataset_info={{_base_.dataset_info}}),
    test=dict(
        type='InterHand2DDataset',
        ann_file=f'{data_root}/annotations/all/InterHand2.6M_test_data.json',
        camera_file=f'{data_root}/annotations/all/'
            'InterHand2.6M_test_camera.json',
        joint_file=f'{data_root}/annotations/all/'
            'InterHand2.6M_test_joint_3d.json',
        img_prefix=f'{data_root}/images/test/',
        data_cfg=data_cfg,
        pipeline=test_pipeline,
        dataset_info={{_base_.dataset_info}}))
