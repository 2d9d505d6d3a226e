# Webcam app: faster pose estimation by tracking. People are detected every
# 10 frames only; in between, each person's box follows their keypoints of
# the previous frame. Keypoints are smoothed over time (one-euro filter).
#
# Run: python demo/webcam_demo.py --config demo/webcam_cfg/pose_tracking.py
executor_cfg = dict(
    name='Pose Estimation',
    camera_id=0,
    camera_max_fps=30,
    synchronous=False,
    nodes=[
        dict(
            type='PoseTrackerNode',
            name='pose tracker',
            det_model_config='demo/mmdetection_cfg/'
            'ssdlite_mobilenetv2_scratch_600e_coco.py',
            det_model_checkpoint='https://download.openmmlab.com'
            '/mmdetection/v2.0/ssd/'
            'ssdlite_mobilenetv2_scratch_600e_coco/ssdlite_mobilenetv2_'
            'scratch_600e_coco_20210629_110627-974d9307.pth',
            pose_model_config='configs/wholebody/2d_kpt_sview_rgb_img/'
            'topdown_heatmap/coco-wholebody/'
            'vipnas_mbv3_coco_wholebody_256x192_dark.py',
            pose_model_checkpoint='https://download.openmmlab.com/mmpose/'
            'top_down/vipnas/vipnas_mbv3_coco_wholebody_256x192_dark'
            '-e2158108_20211205.pth',
            det_interval=10,
            labels=['person'],
            smooth=True,
            device='cuda:0',
            input_buffer='_input_',
            output_buffer='human_pose'),
        dict(
            type='ObjectAssignerNode',
            name='object assigner',
            frame_buffer='_frame_',
            object_buffer='human_pose',
            output_buffer='frame'),
        dict(
            type='ObjectVisualizerNode',
            name='object visualizer',
            enable_key='v',
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
                'This is a demo for pose visualization and simple image '
                'effects. Have fun!', '', 'Hot-keys:',
                '"v": Pose estimation result visualization',
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
            out_video_file='webcam_demo.mp4',
            input_buffer='display',
            output_buffer='_display_')
    ])
