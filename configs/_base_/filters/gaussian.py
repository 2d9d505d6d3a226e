# Temporal smoothing: median filter then Gaussian (over `window_size` frames).
filter_cfg = dict(type='GaussianFilter', window_size=11, sigma=4.0)
