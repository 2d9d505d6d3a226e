"""MMPose 0.29 location of the ONNX export tool: runs tools/pytorch2onnx.py
with the same options.

    python tools/deployment/pytorch2onnx.py CONFIG CHECKPOINT \
        --shape 1 3 256 192 --output-file tmp.onnx --verify
"""
import os.path as osp
import runpy

if __name__ == '__main__':
    runpy.run_path(
        osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                 'pytorch2onnx.py'),
        run_name='__main__')
