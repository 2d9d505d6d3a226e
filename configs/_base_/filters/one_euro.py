# Temporal smoothing: the one-euro filter (speed-adaptive low-pass),
# the default of the 0.29 video demos' --smooth-filter-cfg.
filter_cfg = dict(type='OneEuroFilter', min_cutoff=0.004, beta=0.7)
