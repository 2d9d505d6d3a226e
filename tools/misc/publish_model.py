"""MMPose 0.29 location of the checkpoint publishing tool: runs
tools/publish_model.py with the same options.

    python tools/misc/publish_model.py work_dirs/x/latest.pth res50_coco.pth
"""
import os.path as osp
import runpy

if __name__ == '__main__':
    runpy.run_path(
        osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                 'publish_model.py'),
        run_name='__main__')
