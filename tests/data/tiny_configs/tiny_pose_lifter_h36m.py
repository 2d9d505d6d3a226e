# A tiny 2D-to-3D pose lifter (SimpleBaseline3D shape: a TCN with kernel
# size 1) on the H36M test annotations in tests/data/h36m, for end-to-end
# tests. 2 epochs, validation on MPJPE (lower is better).
_base_ = ['../../../configs/_base_/default_runtime.py']
dist_params = dict(backend='nccl')
checkpoint_config = dict(interval=1)
log_config = dict(interval=1, hooks=[dict(type='TextLoggerHook')])
evaluation = dict(
    interval=1, metric=['mpjpe', 'p-mpjpe'], key_indicator='MPJPE')
optimizer = dict(type='Adam', lr=0.01)
optimizer_config = dict(grad_clip=None)
lr_config = dict(policy='step', by_epoch=False, step=100000, gamma=0.96)
total_epochs = 2

model = dict(
    type='PoseLifter',
    pretrained=None,
    backbone=dict(
        type='TCN',
        in_channels=34,
        stem_channels=16,
        num_blocks=1,
        kernel_sizes=[1, 1],
        dropout=0.),
    keypoint_head=dict(
        type='TemporalRegressionHead',
        in_channels=16,
        num_joints=16,
        loss_keypoint=dict(type='MSELoss')),
    train_cfg=dict(),
    test_cfg=dict(restore_global_position=True))

data_cfg = dict(
    num_joints=17,
    seq_len=1,
    seq_frame_interval=1,
    casual=True,
    joint_2d_src='gt',
    need_camera_param=False,
    camera_param_file='tests/data/h36m/cameras.pkl')

train_pipeline = [
    dict(
        type='GetRootCenteredPose',
        item='target',
        visible_item='target_visible',
        root_index=0,
        root_name='root_position',
        remove_root=True),
    dict(type='PoseSequenceToTensor', item='input_2d'),
    dict(
        type='Collect',
        keys=[['input_2d', 'input'], 'target'],
        meta_name='metas',
        meta_keys=[
            'target_image_path', 'flip_pairs', 'root_position',
            'root_position_index'
        ]),
]

data_root = 'tests/data/h36m'
data = dict(
    samples_per_gpu=2,
    workers_per_gpu=0,
    val_dataloader=dict(samples_per_gpu=2),
    test_dataloader=dict(samples_per_gpu=2),
    train=dict(
        type='Body3DH36MDataset',
        ann_file=f'{data_root}/test_h36m_body3d.npz',
        img_prefix=f'{data_root}/',
        data_cfg=data_cfg,
        pipeline=train_pipeline),
    val=dict(
        type='Body3DH36MDataset',
        ann_file=f'{data_root}/test_h36m_body3d.npz',
        img_prefix=f'{data_root}/',
        data_cfg=data_cfg,
        pipeline=train_pipeline),
    test=dict(
        type='Body3DH36MDataset',
        ann_file=f'{data_root}/test_h36m_body3d.npz',
        img_prefix=f'{data_root}/',
        data_cfg=data_cfg,
        pipeline=train_pipeline))
