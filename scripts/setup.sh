#!/usr/bin/env bash
# Sets up kerasgan on a fresh Debian machine: the offline Fashion-MNIST data
# (Debian package dataset-fashion-mnist) and kerasgan with its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq dataset-fashion-mnist
fi
python3 -m pip install -q --disable-pip-version-check -e ".[dev]"
