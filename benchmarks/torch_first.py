"""Import this before TensorFlow in a benchmark that may run PyTorch.

PyTorch's CUDA wheels load Triton (and its LLVM) on the first optimizer;
loaded after TensorFlow, Triton's library crashes the process (seen with
PyTorch 2.14 + Triton and TensorFlow 2.21). Loaded first, both work. Does
nothing where PyTorch is not installed.
"""

import importlib
import importlib.util

for _module in ("torch", "triton"):
    if importlib.util.find_spec(_module) is not None:
        importlib.import_module(_module)
