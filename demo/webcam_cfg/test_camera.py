# Webcam app without models: shows the camera (or video) frames, "m" adds
# diagnostics, and records them to webcam_output.mp4. A first check that
# the camera and the display work.
#
# Run: python demo/webcam_demo.py --config demo/webcam_cfg/test_camera.py
executor_cfg = dict(
    name='Test Webcam',
    camera_id=0,
    camera_max_fps=30,
    nodes=[
        dict(
            type='MonitorNode',
            name='monitor',
            enable_key='m',
            enable=False,
            input_buffer='_frame_',
            output_buffer='display'),
        dict(
            type='RecorderNode',
            name='recorder',
            out_video_file='webcam_output.mp4',
            input_buffer='display',
            output_buffer='_display_')
    ])
