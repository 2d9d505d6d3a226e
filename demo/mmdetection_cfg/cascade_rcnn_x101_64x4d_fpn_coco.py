# Cascade R-CNN, ResNeXt-101 64x4d + FPN, trained on COCO (80 classes,
# person = 1), 20-epoch schedule: the stronger person detector of the demos.
# Checkpoint: https://download.openmmlab.com/mmdetection/v2.0/cascade_rcnn/
# cascade_rcnn_x101_64x4d_fpn_20e_coco/
# cascade_rcnn_x101_64x4d_fpn_20e_coco_20200509_224357-051557b1.pth
_base_ = ['./faster_rcnn_r50_fpn_coco.py']

lr_config = dict(step=[16, 19])
total_epochs = 20

model = dict(
    type='CascadeRCNN',
    pretrained='open-mmlab://resnext101_64x4d',
    backbone=dict(type='ResNeXt', depth=101, groups=64, base_width=4),
    rpn_head=dict(
        loss_bbox=dict(
            _delete_=True,
            type='SmoothL1Loss',
            beta=1.0 / 9.0,
            loss_weight=1.0)),
    roi_head=dict(
        _delete_=True,
        type='CascadeRoIHead',
        num_stages=3,
        stage_loss_weights=[1, 0.5, 0.25],
        bbox_roi_extractor=dict(
            type='SingleRoIExtractor',
            roi_layer=dict(type='RoIAlign', output_size=7, sampling_ratio=0),
            out_channels=256,
            featmap_strides=[4, 8, 16, 32]),
        # one class-agnostic box head per stage, each refining the boxes of
        # the previous one with finer regression targets
        bbox_head=[
            dict(
                type='Shared2FCBBoxHead',
                in_channels=256,
                fc_out_channels=1024,
                roi_feat_size=7,
                num_classes=80,
                bbox_coder=dict(
                    type='DeltaXYWHBBoxCoder',
                    target_means=[0.0, 0.0, 0.0, 0.0],
                    target_stds=stds),
                reg_class_agnostic=True,
                loss_cls=dict(
                    type='CrossEntropyLoss',
                    use_sigmoid=False,
                    loss_weight=1.0),
                loss_bbox=dict(type='SmoothL1Loss', beta=1.0,
                               loss_weight=1.0))
            for stds in ([0.1, 0.1, 0.2, 0.2], [0.05, 0.05, 0.1, 0.1],
                         [0.033, 0.033, 0.067, 0.067])
        ]),
    train_cfg=dict(
        rpn=dict(allowed_border=0),
        rpn_proposal=dict(nms_pre=2000, max_per_img=2000),
        # stage i takes proposals with IoU >= 0.5, 0.6, 0.7 as positives
        rcnn=[
            dict(
                assigner=dict(
                    type='MaxIoUAssigner',
                    pos_iou_thr=iou,
                    neg_iou_thr=iou,
                    min_pos_iou=iou,
                    match_low_quality=False,
                    ignore_iof_thr=-1),
                sampler=dict(
                    type='RandomSampler',
                    num=512,
                    pos_fraction=0.25,
                    neg_pos_ub=-1,
                    add_gt_as_proposals=True),
                pos_weight=-1,
                debug=False) for iou in (0.5, 0.6, 0.7)
        ]))
