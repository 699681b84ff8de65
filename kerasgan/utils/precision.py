"""Which Keras dtype policy to train in: float32, or bfloat16 where the CPU has bfloat16 units.

Recent x86 CPUs multiply bfloat16 in hardware: AVX512-BF16 (Intel Cooper
Lake and later, AMD Zen 4 and later) and AMX (Intel Sapphire Rapids and
later). There, TensorFlow's oneDNN kernels run a `mixed_bfloat16` DCGAN
step much faster than a float32 one. On CPUs without these units bfloat16
is emulated in float32 and is slower than float32.

`resolve_precision` turns a precision setting into a Keras dtype policy
name. `"auto"` picks `"mixed_bfloat16"` only when the CPU has bfloat16
units (the Linux `/proc/cpuinfo` flags `amx_bf16` or `avx512_bf16`) and no
GPU is visible; it picks `"float32"` everywhere else: on CPUs without
these units, on systems without `/proc/cpuinfo` (macOS, Windows, where
kerasgan does not detect the units), and whenever a GPU is visible. With a
GPU the training runs there, and the CPU's units do not matter; which 16-bit
format pays off depends on the GPU, so kerasgan does not guess: pass
`"mixed_bfloat16"` or `"mixed_float16"` yourself.

`dtype_policy_scope` sets Keras's global policy for a block (models built
inside compute in that policy) and restores the previous one after it.
"""

import contextlib

import keras

# /proc/cpuinfo flags of x86 CPUs that compute bfloat16 natively.
BFLOAT16_CPU_FLAGS = ("amx_bf16", "avx512_bf16")
# Accepted precision settings: "auto" and the Keras policies it can name.
PRECISIONS = ("auto", "float32", "mixed_bfloat16", "mixed_float16")
CPUINFO_PATH = "/proc/cpuinfo"


def read_cpuinfo(path=CPUINFO_PATH):
    """Returns the text of `/proc/cpuinfo`, or None where there is none.

    Args:
        path: the file to read. Defaults to `"/proc/cpuinfo"` (Linux).

    Returns:
        The file's text, or None when it does not exist or cannot be read
        (macOS, Windows, a restricted container).

    Example:
        >>> text = read_cpuinfo()
        >>> text is None or isinstance(text, str)
        True
    """
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read()
    except OSError:
        return None


def cpu_bfloat16_flags(cpuinfo=None):
    """The bfloat16 flags (`amx_bf16`, `avx512_bf16`) that a CPU reports.

    Reads the `flags` lines of Linux's `/proc/cpuinfo` text (one per
    logical CPU); a flag counts when every logical CPU reports it.

    Args:
        cpuinfo: the text of `/proc/cpuinfo`; None reads this machine's
            (see `read_cpuinfo`).

    Returns:
        A tuple of the flags of `BFLOAT16_CPU_FLAGS` present, in that
        order; empty when there are none or no CPU information.

    Example:
        >>> cpu_bfloat16_flags("flags\\t\\t: fpu sse2 avx2 avx512f avx512_bf16\\n")
        ('avx512_bf16',)
        >>> cpu_bfloat16_flags("flags\\t\\t: fpu sse2 avx2\\n")
        ()
    """
    if cpuinfo is None:
        cpuinfo = read_cpuinfo()
    if not cpuinfo:
        return ()
    per_cpu = []
    for line in cpuinfo.splitlines():
        key, separator, value = line.partition(":")
        if separator and key.strip() == "flags":
            per_cpu.append(set(value.split()))
    if not per_cpu:
        return ()
    return tuple(flag for flag in BFLOAT16_CPU_FLAGS if all(flag in flags for flags in per_cpu))


def gpu_visible():
    """Whether the Keras backend sees a GPU.

    Returns:
        True when `keras.distribution.list_devices("gpu")` lists at least
        one device. JAX raises there when it has no GPU platform; that
        counts as no GPU.

    Example:
        >>> isinstance(gpu_visible(), bool)
        True
    """
    try:
        return bool(keras.distribution.list_devices("gpu"))
    except RuntimeError:
        return False


def resolve_precision(precision="auto", cpuinfo=None, has_gpu=None):
    """Turns a precision setting into the name of a Keras dtype policy.

    `"auto"` gives `"mixed_bfloat16"` when the CPU reports `amx_bf16` or
    `avx512_bf16` and no GPU is visible, and `"float32"` otherwise (see the
    module docstring). The other settings are returned as they are.

    Args:
        precision: `"auto"` (default), `"float32"`, `"mixed_bfloat16"` or
            `"mixed_float16"`.
        cpuinfo: text of `/proc/cpuinfo` to decide from; None reads this
            machine's.
        has_gpu: whether a GPU is in use; None asks the backend
            (`gpu_visible()`).

    Returns:
        A policy name for `keras.mixed_precision.set_global_policy`:
        `"float32"`, `"mixed_bfloat16"` or `"mixed_float16"`.

    Raises:
        ValueError: `precision` is not one of `PRECISIONS`.

    Example:
        >>> amx = "flags\\t\\t: fpu avx2 avx512f amx_bf16 amx_tile\\n"
        >>> resolve_precision("auto", cpuinfo=amx, has_gpu=False)
        'mixed_bfloat16'
        >>> resolve_precision("auto", cpuinfo=amx, has_gpu=True)
        'float32'
        >>> resolve_precision("float32")
        'float32'
    """
    if precision not in PRECISIONS:
        raise ValueError(
            f"Unknown precision {precision!r}. Choose one of {list(PRECISIONS)}: "
            "'auto' picks mixed_bfloat16 on a CPU with bfloat16 units (AMX or "
            "AVX512-BF16) and float32 elsewhere."
        )
    if precision != "auto":
        return precision
    if has_gpu is None:
        has_gpu = gpu_visible()
    if not has_gpu and cpu_bfloat16_flags(cpuinfo):
        return "mixed_bfloat16"
    return "float32"


@contextlib.contextmanager
def dtype_policy_scope(policy):
    """Sets Keras's global dtype policy inside a `with` block, then restores it.

    Layers and models built inside the block compute in `policy`; they keep
    it after the block (a layer stores its policy when it is built, and a
    saved model stores it in its config).

    Args:
        policy: a Keras dtype policy name (`"float32"`, `"mixed_bfloat16"`,
            `"mixed_float16"`) or a `keras.DTypePolicy`.

    Yields:
        The global policy in force inside the block.

    Example:
        >>> import keras
        >>> with dtype_policy_scope("mixed_bfloat16"):
        ...     layer = keras.layers.Dense(2)
        >>> layer.compute_dtype, keras.mixed_precision.global_policy().name
        ('bfloat16', 'float32')
    """
    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy(policy)
    try:
        yield keras.mixed_precision.global_policy()
    finally:
        keras.mixed_precision.set_global_policy(previous)


def describe_precision(cpuinfo=None):
    """What `"auto"` sees on this machine, for logs and benchmark records.

    Args:
        cpuinfo: text of `/proc/cpuinfo`; None reads this machine's.

    Returns:
        Dict with `bfloat16_cpu_flags` (list), `gpu_visible` (bool) and
        `auto` (the policy `"auto"` resolves to).

    Example:
        >>> sorted(describe_precision("flags : avx2\\n"))
        ['auto', 'bfloat16_cpu_flags', 'gpu_visible']
    """
    if cpuinfo is None:
        cpuinfo = read_cpuinfo()
    has_gpu = gpu_visible()
    return {
        "bfloat16_cpu_flags": list(cpu_bfloat16_flags(cpuinfo)),
        "gpu_visible": has_gpu,
        "auto": resolve_precision("auto", cpuinfo=cpuinfo, has_gpu=has_gpu),
    }
