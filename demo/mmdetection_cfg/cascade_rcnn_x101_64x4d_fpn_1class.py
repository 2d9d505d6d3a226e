# Cascade R-CNN, ResNeXt-101 64x4d + FPN, with a single foreground class
# (the 0.x hand demos use it with the OneHand10K checkpoint,
# https://download.openmmlab.com/mmpose/mmdet_pretrained/
# cascade_rcnn_x101_64x4d_fpn_20e_onehand10k-dac19597_20201030.pth).
_base_ = ['./cascade_rcnn_x101_64x4d_fpn_coco.py']

model = dict(
    roi_head=dict(bbox_head=[
        dict(
            type='Shared2FCBBoxHead',
            in_channels=256,
            fc_out_channels=1024,
            roi_feat_size=7,
            num_classes=1,
            bbox_coder=dict(
                type='DeltaXYWHBBoxCoder',
                target_means=[0.0, 0.0, 0.0, 0.0],
                target_stds=stds),
            reg_class_agnostic=True,
            loss_cls=dict(
                type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
            loss_bbox=dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0))
        for stds in ([0.1, 0.1, 0.2, 0.2], [0.05, 0.05, 0.1, 0.1],
                     [0.033, 0.033, 0.067, 0.067])
    ]))
