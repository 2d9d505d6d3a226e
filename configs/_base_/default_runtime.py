# Runtime settings of MMPose v0.29, the file 0.29 configs (and user configs
# written for 0.29) inherit as `_base_/default_runtime.py`.
#
# Two trees share this folder: the v0.14 configs (configs/top_down, ...) sit
# on default_runtime_v014.py, because 0.14 had neither of the two settings
# below; 0.29 is that runtime plus them.
_base_ = ['./default_runtime_v014.py']

# Leave OpenCV single-threaded inside data workers (no CPU oversubscription).
opencv_num_threads = 0
# Start data worker processes by fork (fast start-up on Linux).
mp_start_method = 'fork'
