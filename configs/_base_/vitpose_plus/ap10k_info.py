# The AP-10K keypoint table under the variable name ViTPose+ configs
# read it by (`_base_.ap10k_info`), so that one multi-dataset config holds
# several tables side by side. The table is the package's own
# (configs/_base_/datasets/ap10k.py); it is not copied here.
from mmpose.datasets.metadata import load_dataset_info

ap10k_info = load_dataset_info('ap10k')
