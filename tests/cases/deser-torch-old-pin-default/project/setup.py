from setuptools import find_packages, setup

setup(
    name="embedtools",
    version="0.4.2",
    packages=find_packages(exclude=["tests"]),
    # Our CUDA 11.7 build farm stays on the 2.x releases before 2.6 for now.
    install_requires=["torch>=1.13,<2.6"],
)
