# Mask R-CNN, ResNet-50 + FPN, 2x schedule, trained on COCO (80 classes,
# person = 1): an MMDetection 2.x person detector with instance masks, as
# MMPose 0.29 ships it (the demos use its boxes; process_mmdet_results
# takes the boxes of a (boxes, masks) result). The Faster R-CNN config
# plus a mask branch, a 2x schedule and mask annotations.
# Checkpoint: https://download.openmmlab.com/mmdetection/v2.0/mask_rcnn/
# mask_rcnn_r50_fpn_2x_coco/mask_rcnn_r50_fpn_2x_coco_bbox_mAP-0.392__segm_
# mAP-0.354_20200505_003907-3e542a40.pth
_base_ = ['./faster_rcnn_r50_fpn_coco.py']

# model
model = dict(
    type='MaskRCNN',
    pretrained=None,
    backbone=dict(
        init_cfg=dict(type='Pretrained',
                      checkpoint='torchvision://resnet50')),
    roi_head=dict(
        mask_roi_extractor=dict(
            type='SingleRoIExtractor',
            roi_layer=dict(type='RoIAlign', output_size=14, sampling_ratio=0),
            out_channels=256,
            featmap_strides=[4, 8, 16, 32]),
        mask_head=dict(
            type='FCNMaskHead',
            num_convs=4,
            in_channels=256,
            conv_out_channels=256,
            num_classes=80,
            loss_mask=dict(
                type='CrossEntropyLoss', use_mask=True, loss_weight=1.0))),
    train_cfg=dict(
        rcnn=dict(assigner=dict(match_low_quality=True), mask_size=28)),
    test_cfg=dict(rcnn=dict(mask_thr_binary=0.5)))

# data: with masks; the test images go through ImageToTensor
img_norm_cfg = dict(
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='Resize', img_scale=(1333, 800), keep_ratio=True),
    dict(type='RandomFlip', flip_ratio=0.5),
    dict(type='Normalize', **img_norm_cfg),
    dict(type='Pad', size_divisor=32),
    dict(type='DefaultFormatBundle'),
    dict(type='Collect', keys=['img', 'gt_bboxes', 'gt_labels', 'gt_masks']),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='MultiScaleFlipAug',
        img_scale=(1333, 800),
        flip=False,
        transforms=[
            dict(type='Resize', keep_ratio=True),
            dict(type='RandomFlip'),
            dict(type='Normalize', **img_norm_cfg),
            dict(type='Pad', size_divisor=32),
            dict(type='ImageToTensor', keys=['img']),
            dict(type='Collect', keys=['img']),
        ])
]
data = dict(
    train=dict(pipeline=train_pipeline),
    val=dict(pipeline=test_pipeline),
    test=dict(pipeline=test_pipeline))
evaluation = dict(metric=['bbox', 'segm'])

# schedule (2x)
lr_config = dict(step=[16, 22])
runner = dict(type='EpochBasedRunner', max_epochs=24)
total_epochs = 24  # the base's 0.14-style setting, kept equal
custom_hooks = [dict(type='NumClassCheckHook')]
