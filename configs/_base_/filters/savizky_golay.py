# Temporal smoothing: Savitzky-Golay polynomial fit over `window_size` frames
# (0.29 spells the file and the filter type "Savizky").
filter_cfg = dict(type='SavizkyGolayFilter', window_size=11, polyorder=2)
