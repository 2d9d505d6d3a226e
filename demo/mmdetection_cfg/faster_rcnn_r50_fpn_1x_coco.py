# The same model under MMDetection's own config name (1x schedule), as the
# 0.x pose tracking docs call it.
_base_ = ['./faster_rcnn_r50_fpn_coco.py']
