# Runtime settings of the MMPose v0.14 config tree (configs/top_down,
# configs/bottom_up, ...): checkpoints, logging, distributed backend and
# workflow. The 0.29 runtime, default_runtime.py, builds on this file.
log_level = 'INFO'
load_from = None
resume_from = None
dist_params = dict(backend='nccl')
workflow = [('train', 1)]
checkpoint_config = dict(interval=10)
log_config = dict(interval=50, hooks=[dict(type='TextLoggerHook')])
