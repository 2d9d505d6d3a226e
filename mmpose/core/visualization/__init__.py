from .image import imshow_bboxes, imshow_keypoints

__all__ = ['imshow_bboxes', 'imshow_keypoints']
