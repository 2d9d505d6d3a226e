# Faster R-CNN, ResNet-50 + FPN, with a single foreground class (a detector
# trained for one kind of box: hands, faces, animals...).
_base_ = ['./faster_rcnn_r50_fpn_coco.py']
model = dict(roi_head=dict(bbox_head=dict(num_classes=1)))
