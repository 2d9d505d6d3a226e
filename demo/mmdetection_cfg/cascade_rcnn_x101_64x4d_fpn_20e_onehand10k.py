# The one-class Cascade R-CNN as trained on OneHand10K (COCO-format hand
# boxes), under the name of its released checkpoint
# (cascade_rcnn_x101_64x4d_fpn_20e_onehand10k-dac19597_20201030.pth).
_base_ = ['./cascade_rcnn_x101_64x4d_fpn_1class.py']

classes = ('hand', )
data_root = 'data/onehand10k/'
data = dict(
    train=dict(
        classes=classes,
        ann_file=f'{data_root}annotations/onehand10k_train.json',
        img_prefix=f'{data_root}'),
    val=dict(
        classes=classes,
        ann_file=f'{data_root}annotations/onehand10k_test.json',
        img_prefix=f'{data_root}'),
    test=dict(
        classes=classes,
        ann_file=f'{data_root}annotations/onehand10k_test.json',
        img_prefix=f'{data_root}'))
