"""What this machine computes with: the CPU's vector ISA and the GPUs.

The fast settings differ between machines of the same nominal kind: a CPU
with AMX or AVX-512 BF16 runs bfloat16 matrix products natively, one with
AVX2 only emulates them (many times slower). `describe()` is printed by the
benchmarks beside their figures, so every time quoted says where it was
measured.
"""

import functools
import os
import platform

# The flags /proc/cpuinfo lists, in the order `cpu_isa` reports them.
_ISA_LEVELS = (
    ("amx_bf16", "AMX-BF16"),
    ("avx512_bf16", "AVX-512 BF16"),
    ("avx512f", "AVX-512"),
    ("avx2", "AVX2"),
)


@functools.lru_cache(maxsize=1)
def _cpuinfo():
    """(model name, set of flags) from /proc/cpuinfo, read once; without
    it (not Linux), (platform's processor name, empty set)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return platform.processor() or platform.machine(), frozenset()
    name, flags = "", set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and not name:
            name = value.strip()
        elif key == "flags" and not flags:
            flags = set(value.split())
    return name, frozenset(flags)


def cpu_flags():
    """The CPU's feature flags (lower case, as /proc/cpuinfo names them)."""
    return _cpuinfo()[1]


def cpu_isa():
    """The widest vector ISA of the CPU: "AMX-BF16", "AVX-512 BF16",
    "AVX-512", "AVX2" or "other"."""
    flags = cpu_flags()
    for flag, name in _ISA_LEVELS:
        if flag in flags:
            return name
    return "other"


def native_bfloat16():
    """Whether the CPU multiplies bfloat16 matrices in hardware (AMX or
    AVX-512 BF16); without it TensorFlow emulates bfloat16 in float32."""
    return bool(cpu_flags() & {"amx_bf16", "avx512_bf16"})


def gpu_compute_capability():
    """The first GPU's (major, minor) compute capability, or None."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return None
    details = tf.config.experimental.get_device_details(gpus[0])
    return details.get("compute_capability")


def default_precision():
    """The dtype policy `--precision=auto` means on this machine.

    mixed_bfloat16 on a GPU with bfloat16 tensor cores (compute capability
    8.0 and up) and on CPUs that multiply bfloat16 in hardware, where
    `benchmarks/throughput.py` measured it faster; float32 elsewhere
    (AVX2 CPUs emulate bfloat16, several times slower).
    """
    capability = gpu_compute_capability()
    if capability is not None:
        return "mixed_bfloat16" if tuple(capability) >= (8, 0) else "float32"
    return "mixed_bfloat16" if native_bfloat16() else "float32"


def describe():
    """One line: CPU model, ISA, cores (and the GPUs when TensorFlow sees
    any), e.g. "Intel(R) Xeon(R) Processor, AMX-BF16, 2 cores"."""
    name, _ = _cpuinfo()
    text = f"{name or platform.machine()}, {cpu_isa()}, {os.cpu_count()} cores"
    import tensorflow as tf  # late: the CPU facts need no TensorFlow

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        details = [tf.config.experimental.get_device_details(g).get(
            "device_name", g.name) for g in gpus]
        text += ", GPU: " + ", ".join(details)
    return text
