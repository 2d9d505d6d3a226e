"""Install script for the MMPose 0.x compatible package."""
import os.path as osp

from setuptools import find_packages, setup


def read_version() -> str:
    namespace = {}
    with open(osp.join(osp.dirname(__file__), 'mmpose', 'version.py')) as f:
        exec(compile(f.read(), 'mmpose/version.py', 'exec'), namespace)
    return namespace['__version__']


def read_requirements(path: str) -> list:
    """Requirement lines of ``path`` (comments and ``-r`` includes left out)."""
    with open(osp.join(osp.dirname(__file__), path)) as f:
        lines = (line.split('#')[0].strip() for line in f)
        return [line for line in lines if line and not line.startswith('-')]


setup(
    name='mmpose',
    version=read_version(),
    description='MMPose 0.x compatible pose estimation toolbox for '
    'Python 3.11, PyTorch 2 and NumPy 2',
    long_description=open('README.md').read() if osp.exists('README.md') else '',
    long_description_content_type='text/markdown',
    packages=find_packages(exclude=('configs', 'tools', 'demo', 'tests')),
    include_package_data=True,
    # The dataset metadata tables (read by mmpose.datasets.metadata), the
    # temporal filter configs (found by mmpose.utils.config_paths under
    # their 0.29 path configs/_base_/filters) and the webcam effects'
    # pictures (mmpose.apis.webcam.resources).
    package_data={
        'mmpose': [
            'configs/_base_/datasets/*.py', 'configs/_base_/filters/*.py',
            'apis/webcam/resources/*'
        ]
    },
    python_requires='>=3.8',
    license='Apache License 2.0',
    install_requires=read_requirements('requirements/runtime.txt'),
    extras_require={
        'tests': read_requirements('requirements/tests.txt'),
        'optional': read_requirements('requirements/optional.txt'),
        'mim': read_requirements('requirements/mminstall.txt'),
    },
    zip_safe=False)
