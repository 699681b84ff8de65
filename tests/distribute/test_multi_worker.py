"""Two worker processes on localhost train in sync under MultiWorkerMirroredStrategy."""

import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), "multi_worker_script.py")


def _free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.mark.slow
def test_two_workers_end_with_identical_weights(tmp_path):
    workers = [f"localhost:{port}" for port in _free_ports(2)]
    processes, outputs = [], []
    for index in range(2):
        env = dict(os.environ)
        env["TF_CONFIG"] = json.dumps(
            {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}
        )
        outputs.append(tmp_path / f"worker{index}.npz")
        processes.append(
            subprocess.Popen(
                [sys.executable, SCRIPT, str(outputs[-1])],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    logs = []
    try:
        for process in processes:
            logs.append(process.communicate(timeout=600)[0])
    finally:
        for process in processes:
            process.kill()
    for process, log in zip(processes, logs):
        assert process.returncode == 0, log[-3000:]

    first, second = (np.load(path) for path in outputs)
    assert sorted(first.files) == sorted(second.files)
    for key in first.files:
        np.testing.assert_array_equal(first[key], second[key], err_msg=key)
    for name in ("dcgan", "wgan_gp"):
        assert int(first[f"{name}/iterations"]) == 3
        assert np.isfinite(first[f"{name}/d_loss"]).all()
