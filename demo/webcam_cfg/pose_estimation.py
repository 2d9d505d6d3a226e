# Webcam app: people and animals detected (SSDLite), their poses estimated
# (whole-body ViPNAS for people, HRNet for animals), drawn, with sunglasses
# ("s") and big-eye ("b") effects, and recorded to webcam_demo.mp4.
#
# Run: python demo/webcam_demo.py --config demo/webcam_cfg/pose_estimation.py
#
# Each node: 'type' (class registered in mmpose.apis.webcam.nodes.NODES),
# 'name', its buffers, optionally 'enable_key'/'enable' (hot-key toggling
# it and its start state), and its own arguments. The executor owns three
# buffers: '_input_' (frames for the models), '_frame_' (the same frames for
# drawing) and '_display_' (what is shown).
executor_cfg = dict(
    name='Pose Estimation',
    camera_id=0,
    camera_max_fps=30,
    synchronous=False,
    buffer_sizes=dict(_input_=10),
    nodes=[
        # boxes of the 80 COCO classes in the newest frame
        dict(
            type='DetectorNode',
            name='detector',
            model_config='demo/mmdetection_cfg/'
            'ssdlite_mobilenetv2_scratch_600e_coco.py',
            model_checkpoint='https://download.openmmlab.com'
            '/mmdetection/v2.0/ssd/'
            'ssdlite_mobilenetv2_scratch_600e_coco/ssdlite_mobilenetv2_'
            'scratch_600e_coco_20210629_110627-974d9307.pth',
            input_buffer='_input_',
            output_buffer='det_result'),
        # whole-body keypoints (133) of the people
        dict(
            type='TopDownPoseEstimatorNode',
            name='human pose estimator',
            model_config='configs/wholebody/2d_kpt_sview_rgb_img/'
            'topdown_heatmap/coco-wholebody/'
            'vipnas_mbv3_coco_wholebody_256x192_dark.py',
            model_checkpoint='https://download.openmmlab.com/mmpose/'
            'top_down/vipnas/vipnas_mbv3_coco_wholebody_256x192_dark'
            '-e2158108_20211205.pth',
            labels=['person'],
            input_buffer='det_result',
            output_buffer='human_pose'),
        # keypoints (20) of cats, dogs, horses, sheep and cows
        dict(
            type='TopDownPoseEstimatorNode',
            name='animal pose estimator',
            model_config='configs/animal/2d_kpt_sview_rgb_img/'
            'topdown_heatmap/animalpose/hrnet_w32_animalpose_256x256.py',
            model_checkpoint='https://download.openmmlab.com/mmpose/animal/'
            'hrnet/hrnet_w32_animalpose_256x256-1aa7f075_20210426.pth',
            labels=['cat', 'dog', 'horse', 'sheep', 'cow'],
            input_buffer='human_pose',
            output_buffer='animal_pose'),
        # the newest model results on the newest frame (models may lag)
        dict(
            type='ObjectAssignerNode',
            name='object assigner',
            frame_buffer='_frame_',
            object_buffer='animal_pose',
            output_buffer='frame'),
        dict(
            type='ObjectVisualizerNode',
            name='object visualizer',
            enable_key='v',
            enable=True,
            show_bbox=True,
            must_have_keypoint=False,
            show_keypoint=True,
            input_buffer='frame',
            output_buffer='vis'),
        dict(
            type='SunglassesEffectNode',
            name='sunglasses',
            enable_key='s',
            enable=False,
            input_buffer='vis',
            output_buffer='vis_sunglasses'),
        dict(
            type='BigeyeEffectNode',
            name='big-eye',
            enable_key='b',
            enable=False,
            input_buffer='vis_sunglasses',
            output_buffer='vis_bigeye'),
        dict(
            type='NoticeBoardNode',
            name='instruction',
            enable_key='h',
            enable=True,
            input_buffer='vis_bigeye',
            output_buffer='vis_notice',
            content_lines=[
                'This is a demo for pose visualization and simple image '
                'effects. Have fun!', '', 'Hot-keys:',
                '"v": Pose estimation result visualization',
                '"s": Sunglasses effect B-)', '"b": Big-eye effect 0_0',
                '"h": Show help information',
                '"m": Show diagnostic information', '"q": Exit'
            ]),
        # frame rates, delays and resources of the nodes
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
