#!/usr/bin/env bash
# The GPU benchmark of kerasgan on JAX (benchmarks/jax_speed.py) on a machine
# that has JAX and PyTorch but no TensorFlow and no internet.
#
#   bash scripts/device_benchmark.sh prepare   # here: wheels of Keras and its
#                                               # dependencies into build/device_wheels
#   bash scripts/device_benchmark.sh run [jax_speed.py arguments]
#                                               # there: install them offline, check
#                                               # the GPU, run the benchmark
#
# `run` installs into the machine's Python with --no-index (nothing is
# downloaded) and uses kerasgan from this checkout (PYTHONPATH), so the
# kerasgan that is measured is the working tree's. With the device tool:
# carry "build/device_wheels" and run
#   bash scripts/device_benchmark.sh run --out $OUT/jax_speed.json
set -euo pipefail
cd "$(dirname "$0")/.."
WHEELS=build/device_wheels
KERAS_VERSION=$(python3 -c "import importlib.metadata as m; print(m.version('keras'))" 2>/dev/null || echo 3.15.1)

case "${1:-}" in
prepare)
    rm -rf "$WHEELS" && mkdir -p "$WHEELS"
    # Pure-Python wheels once; compiled ones (h5py, optree) for each CPython the
    # machine might run.
    python3 -m pip download --quiet --dest "$WHEELS" --no-deps \
        "keras==$KERAS_VERSION" absl-py namex rich markdown-it-py mdurl pygments packaging typing-extensions
    for version in 3.10 3.11 3.12 3.13; do
        python3 -m pip download --quiet --dest "$WHEELS" --no-deps --only-binary=:all: \
            --python-version "$version" --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
            h5py optree
    done
    du -sh "$WHEELS"
    ;;
run)
    shift
    python3 -m pip install --quiet --no-index --find-links "$WHEELS" "keras==$KERAS_VERSION"
    python3 - <<'EOF'
import jax
print("JAX", jax.__version__, "devices:", jax.devices())
if jax.default_backend() != "gpu":
    raise SystemExit("No GPU visible to JAX; the figures would be CPU figures.")
EOF
    # JAX takes 75% of the GPU's memory up front by default; leave PyTorch, timed
    # in the same process, its share.
    export XLA_PYTHON_CLIENT_MEM_FRACTION="${XLA_PYTHON_CLIENT_MEM_FRACTION:-0.5}"
    KERAS_BACKEND=jax PYTHONPATH="$PWD" python3 benchmarks/jax_speed.py "$@"
    ;;
*)
    echo "usage: bash scripts/device_benchmark.sh prepare | run [jax_speed.py arguments]" >&2
    exit 2
    ;;
esac
