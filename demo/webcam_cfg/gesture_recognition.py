# Webcam app: hand gestures (the 25 NVGesture classes). Hands are detected
# in clips of frames (SSDLite, multi_input), and the gesture of the last
# 16 or more frames is recognised by an I3D (MTUT) model.
#
# Run: python demo/webcam_demo.py \
#          --config demo/webcam_cfg/gesture_recognition.py
executor_cfg = dict(
    name='Gesture Recognition',
    camera_id=0,
    camera_max_fps=15,
    synchronous=False,
    buffer_sizes=dict(_input_=20, det_result=10),
    nodes=[
        # hand boxes in the newest frame; the message carries the clip of
        # all frames taken from the buffer
        dict(
            type='DetectorNode',
            name='detector',
            model_config='demo/mmdetection_cfg/'
            'ssdlite_mobilenetv2_scratch_600e_onehand.py',
            model_checkpoint='https://download.openmmlab.com/mmpose/'
            'mmdet_pretrained/'
            'ssdlite_mobilenetv2_scratch_600e_onehand-4f9f8686_20220523.pth',
            input_buffer='_input_',
            output_buffer='det_result',
            multi_input=True),
        dict(
            type='HandGestureRecognizerNode',
            name='gesture recognizer',
            model_config='configs/hand/gesture_sview_rgbd_vid/mtut/'
            'nvgesture/i3d_nvgesture_bbox_112x112_fps15_rgb.py',
            model_checkpoint='https://download.openmmlab.com/mmpose/'
            'gesture/mtut/'
            'i3d_nvgesture_bbox_112x112_fps15-363b5956_20220530.pth',
            input_buffer='det_result',
            output_buffer='gesture',
            fps=15,
            multi_input=True),
        dict(
            type='ObjectAssignerNode',
            name='object assigner',
            frame_buffer='_frame_',
            object_buffer='gesture',
            output_buffer='frame'),
        # the hand box, labelled with the gesture
        dict(
            type='ObjectVisualizerNode',
            name='object visualizer',
            enable_key='v',
            enable=True,
            show_bbox=True,
            must_have_keypoint=False,
            show_keypoint=False,
            input_buffer='frame',
            output_buffer='vis'),
        dict(
            type='NoticeBoardNode',
            name='instruction',
            enable_key='h',
            enable=True,
            input_buffer='vis',
            output_buffer='vis_notice',
            content_lines=[
                'This is a demo for gesture visualization. '
                'Have fun!', '', 'Hot-keys:',
                '"v": Hand bbox & Gesture visualization',
                '"h": Show help information',
                '"m": Show diagnostic information', '"q": Exit'
            ]),
        dict(
            type='MonitorNode',
            name='monitor',
            enable_key='m',
            enable=False,
            input_buffer='vis_notice',
            output_buffer='display'),
        dict(
            type='RecorderNode',
            name='recorder',
            out_video_file='gesture.mp4',
            input_buffer='display',
            output_buffer='_display_')
    ])
