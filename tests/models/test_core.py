"""The core: phases, declared terms, lazy and stateful regularizers, optimizers per network."""

import os
import warnings

import keras
import numpy as np
import pytest
from keras import ops

import kerasgan
from kerasgan.losses import PathLengthPenalty, R1Penalty
from tests.gan_test_case import (
    make_dataset,
    run_phase_isolation_check,
    run_save_load_check,
    run_training_check,
)

TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 1}


# The "Write your own GAN" example of docs/writing_a_gan.md: a relativistic average GAN.
@keras.saving.register_keras_serializable(package="tests")
class RelativisticAverageGAN(kerasgan.DCGAN):
    """RaGAN: each logit is compared with the other side's mean logit (Jolicoeur-Martineau, 2019)."""

    def discriminator_objective(self, context):
        real = context["critic"](context["images"])
        fake = context["critic"](context["fake"])
        loss = ops.mean(ops.softplus(ops.mean(fake) - real)) + ops.mean(ops.softplus(fake - ops.mean(real)))
        return loss, {"d_loss": loss}

    def generator_context(self, batch):
        # The generator's loss needs the real images too.
        return {**super().generator_context(batch), "images": batch["images"]}

    def generator_objective(self, context):
        real = self.discriminate(context["images"], context["labels"], training=True)
        fake = self.discriminate(context["fake"], context["labels"], training=True)
        loss = ops.mean(ops.softplus(ops.mean(real) - fake)) + ops.mean(ops.softplus(real - ops.mean(fake)))
        return loss, {"g_loss": loss}


def test_a_variant_written_without_a_tape_trains(fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    run_training_check(RelativisticAverageGAN(**TINY), images)
    run_save_load_check(RelativisticAverageGAN(**TINY), str(tmp_path / "r.keras"), images)


def test_lazy_r1_runs_as_its_own_phase_every_k_steps(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(regularizers=[R1Penalty(5.0, every=4)], **TINY)
    phases = {phase.name: phase for phase in gan.training_phases()}
    assert [p.name for p in gan.training_phases()] == ["discriminator", "discriminator_reg", "generator"]
    assert phases["discriminator_reg"].every == 4 and phases["discriminator_reg"].networks == (
        "discriminator",
    )
    assert "r1" not in phases["discriminator"].terms
    gan.compile()
    run_phase_isolation_check(gan, images[:32])  # the lazy phase trains D only
    start = int(gan.d_optimizer.iterations)
    bias = gan.discriminator.get_layer("logits").bias.numpy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gan.fit(make_dataset(images).take(5), epochs=1, verbose=0)
    # R1 does not depend on the critic's last bias: its lazy update leaves it
    # alone, without Keras's "Gradients do not exist" warning.
    assert not [w for w in caught if "Gradients do not exist" in str(w.message)]
    assert not np.array_equal(gan.discriminator.get_layer("logits").bias.numpy(), bias)
    # Steps 0..4 of this fit continue the step count: five main updates, and a
    # lazy update at each step whose index is a multiple of 4.
    first = gan.completed_steps() - 5
    lazy = sum(1 for step in range(first, first + 5) if step % 4 == 0)
    assert int(gan.d_optimizer.iterations) - start == 5 + lazy


def test_lazy_penalty_is_weighted_by_its_interval(fashion_mnist_sample):
    images, _ = fashion_mnist_sample
    gan = kerasgan.DCGAN(regularizers=[R1Penalty(5.0, every=16)], **TINY)
    gan.compile()
    batch = gan.unpack_batch(images[:8])
    lazy = gan.phase_named("discriminator_reg")
    keras.utils.set_random_seed(0)
    total, terms = gan.phase_objective(lazy, batch)
    np.testing.assert_allclose(float(total), 5.0 * 16 * float(terms["r1"]), rtol=1e-6)


def test_path_length_state_changes_is_saved_and_restored(fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = kerasgan.DCGAN(regularizers=[PathLengthPenalty(2.0, every=2)], **TINY)
    assert [p.name for p in gan.training_phases()] == ["discriminator", "generator", "generator_reg"]
    loaded = run_save_load_check(gan, str(tmp_path / "pl.keras"), images)
    mean = float(gan.regularizers[0].mean_length)
    assert mean > 0, "the running mean never moved"
    assert float(loaded.regularizers[0].mean_length) == mean


# 20 s: with the slow tests. The path-length state's save/restore is checked
# by test_path_length_state_changes_is_saved_and_restored, and exact resume
# after a crash by tests/utils/test_resume.py.
@pytest.mark.slow
def test_path_length_state_survives_a_crash_and_resume(tmp_path):
    from kerasgan import runs
    from tests.utils.test_resume import RUN, AtStep, Crash, assert_same_state, crash

    run = dict(RUN, regularizers=["pl:2:2"])
    reference = runs.train("dcgan", str(tmp_path / "reference"), **run)
    run_dir = str(tmp_path / "run")
    with pytest.raises(Crash):
        runs.train("dcgan", run_dir, callbacks=[AtStep(5, crash)], **run)
    resumed = runs.train("dcgan", run_dir, resume=True, **run)
    assert_same_state(resumed, reference)
    state = resumed.regularizers[0].mean_length
    assert float(state) > 0 and float(state) == float(reference.regularizers[0].mean_length)
    with pytest.raises(ValueError, match="settings"):
        runs.train("dcgan", run_dir, resume=True, **RUN)  # without the regularizer


def test_an_undeclared_term_is_an_error(fashion_mnist_sample):
    class Chatty(kerasgan.DCGAN):
        def generator_objective(self, context):
            loss, terms = super().generator_objective(context)
            return loss, {**terms, "g_extra": loss}

    gan = Chatty(**TINY)
    gan.compile()
    with pytest.raises(ValueError, match="g_extra.*declare"):
        gan.fit(make_dataset(fashion_mnist_sample[0]).take(1), verbose=0)


def test_regularizer_of_an_unknown_phase_or_missing_context_is_an_error(fashion_mnist_sample):
    with pytest.raises(ValueError, match="phases are"):
        kerasgan.DCGAN(regularizers=[R1Penalty(phase="critic")], **TINY)
    gan = kerasgan.DCGAN(regularizers=[R1Penalty(phase="generator")], **TINY)
    gan.compile()
    with pytest.raises(ValueError, match="needs.*critic"):
        gan.train_on_batch(fashion_mnist_sample[0][:8])
    with pytest.raises(ValueError, match="every"):
        R1Penalty(every=0)


def test_optimizers_are_one_per_trained_network():
    gan = kerasgan.DCGAN(**TINY)
    with pytest.raises(ValueError, match="its optimizers are"):
        gan.compile(c_optimizer="adam")
    shared = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="own optimizer"):
        gan.compile(d_optimizer=shared, g_optimizer=shared)
    with pytest.raises(ValueError, match="not compiled"):
        kerasgan.DCGAN(**TINY).fit(np.zeros((4, 28, 28, 1), "float32"))


def test_unknown_network_names_are_refused():
    class Tiny(kerasgan.BaseGAN):
        network_names = ("generator",)

    with pytest.raises(ValueError, match="unknown network"):
        Tiny(networks={"critic": keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])})


def test_zero_counts_are_errors_not_defaults():
    with pytest.raises(ValueError, match="latent_dim"):
        kerasgan.DCGAN(latent_dim=0)
    with pytest.raises(ValueError, match="n_critic"):
        kerasgan.WGAN(n_critic=0)


@pytest.mark.slow  # long; the default suite checks saving and CycleGAN elsewhere
def test_auto_scale_loss_false_survives_saving(fashion_mnist_sample, tmp_path):
    images, _ = fashion_mnist_sample
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        gan = kerasgan.DCGAN(**TINY)
        gan.compile(auto_scale_loss=False)
        assert not isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
        gan.fit(make_dataset(images).take(2), verbose=0)
        gan.save(tmp_path / "mp.keras")
        loaded = keras.saving.load_model(tmp_path / "mp.keras")
    finally:
        keras.mixed_precision.set_global_policy("float32")
    for name in ("d_optimizer", "g_optimizer"):
        restored = getattr(loaded, name)
        assert not isinstance(restored, keras.optimizers.LossScaleOptimizer), name
        assert int(restored.iterations) == 2, name
    assert loaded.completed_steps() == 2


def test_no_gradient_tape_outside_the_backend():
    root = os.path.dirname(kerasgan.__file__)
    offenders = []
    for folder, _, files in os.walk(root):
        if os.path.join(root, "backend") in folder:
            continue
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(folder, name)) as f:
                    if "GradientTape" in f.read():
                        offenders.append(os.path.join(folder, name))
    assert offenders == []


@pytest.mark.slow
def test_path_length_state_survives_sigkill_and_cli_resume(tmp_path):
    import subprocess
    import sys

    from kerasgan import runs
    from tests.utils.test_resume import RUN, _kill_after, assert_same_state

    run = dict(RUN, regularizers=["pl:2:2"])
    reference = runs.train("dcgan", str(tmp_path / "reference"), **run)
    run_dir = str(tmp_path / "run")
    command = [
        sys.executable,
        "-m",
        "kerasgan",
        "train",
        "dcgan",
        "--out",
        run_dir,
        "--epochs",
        "2",
        "--batch-size",
        "32",
        "--limit",
        "128",
        "--latent-dim",
        "8",
        "--seed",
        "0",
        "--save-every",
        "3",
        "--regularizer",
        "pl:2:2",
        "--precision",
        "float32",
    ]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_after(process, run_dir, lambda state: state["steps_completed"] == 6)
    assert subprocess.run(command + ["--resume"], env=env, capture_output=True).returncode == 0
    resumed = runs.load_run_model(run_dir)
    assert_same_state(resumed, reference)
    assert float(resumed.regularizers[0].mean_length.numpy()) == float(
        reference.regularizers[0].mean_length.numpy()
    )
