# The COCO-WholeBody keypoint table under the variable name ViTPose+ configs
# read it by (`_base_.cocowholebody_info`), so that one multi-dataset config
# holds several tables side by side. The table is the package's own
# (configs/_base_/datasets/coco_wholebody.py); it is not copied here.
from mmpose.datasets.metadata import load_dataset_info

cocowholebody_info = load_dataset_info('coco_wholebody')
