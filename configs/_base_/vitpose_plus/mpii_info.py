# The MPII keypoint table under the variable name ViTPose+ configs
# read it by (`_base_.mpii_info`), so that one multi-dataset config holds
# several tables side by side. The table is the package's own
# (configs/_base_/datasets/mpii.py); it is not copied here.
from mmpose.datasets.metadata import load_dataset_info

mpii_info = load_dataset_info('mpii')
