# SSDLite (MobileNetV2) detecting hands, one class, as the 0.29 gesture
# webcam demo uses it (demo/webcam_cfg/gesture_recognition.py).
_base_ = ['./ssdlite_mobilenetv2_scratch_600e_coco.py']
classes = ('hand', )
model = dict(bbox_head=dict(num_classes=1))
data = dict(test=dict(classes=classes))
