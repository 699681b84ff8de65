"""ProjectionGAN: the shared checks with labels, its paper defaults, and its samples' label accuracy.

`tests/models/test_variants.py` (VARIANTS) runs the harness's training
check (each phase touches only its networks), config round trip and `.keras`
round trip with exact resume on it; here: what is its own.
"""

import keras
import numpy as np
import pytest

import kerasgan
from kerasgan.networks import ConditionalBatchNormalization
from tests.gan_test_case import run_export_check, run_phase_isolation_check

TINY = {"image_shape": (28, 28, 1), "latent_dim": 8, "seed": 1, "num_classes": 10, "base_filters": 8}


def test_paper_defaults():
    gan = kerasgan.ProjectionGAN(num_classes=10)
    gan.compile()
    assert gan.adversarial_loss == "hinge" and gan.n_critic == 5 and gan.latent_dim == 128
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(optimizer.learning_rate) == pytest.approx(2e-4)
        assert optimizer.beta_1 == 0.0 and optimizer.beta_2 == 0.9
    assert len(gan.generator.inputs) == len(gan.discriminator.inputs) == 2
    assert any(isinstance(layer, ConditionalBatchNormalization) for layer in gan.generator.layers)
    assert gan.discriminator.get_layer("class_embedding").input_dim == 10
    assert kerasgan.VARIANTS["projection_gan"] is kerasgan.ProjectionGAN
    with pytest.raises(ValueError, match="num_classes"):
        kerasgan.ProjectionGAN(num_classes=None)
    with pytest.raises(ValueError, match="base_filters"):
        kerasgan.ProjectionGAN(num_classes=10, base_filters=0)


def test_hinge_phases_train_with_labels_and_touch_only_their_networks(fashion_mnist_sample):
    images, labels = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    gan = kerasgan.ProjectionGAN(n_critic=1, **TINY)
    gan.compile()
    run_phase_isolation_check(gan, (images[:16], labels[:16]))
    # The discriminator's hinge loss is relu(1 - D(x)) + relu(1 + D(G(z))) on the batch's labels.
    batch = gan.unpack_batch((images[:16], labels[:16]))
    context = gan.discriminator_context(batch)
    loss, _ = gan.discriminator_objective(context)
    real, fake = (keras.ops.convert_to_numpy(context[k]) for k in ("real_logits", "fake_logits"))
    expected = np.mean(np.maximum(1 - real, 0)) + np.mean(np.maximum(1 + fake, 0))
    assert float(loss) == pytest.approx(expected, rel=1e-5)


# 20 s (a fresh serving process): the export of a [latents, labels] generator is the path
# test_acgan.py's export test runs by default; the conditional norms are plain ops in it.
@pytest.mark.slow
def test_exports_with_labels(fashion_mnist_sample, tmp_path):
    images, labels = fashion_mnist_sample
    keras.utils.set_random_seed(0)
    run_export_check(kerasgan.ProjectionGAN(n_critic=1, **TINY), tmp_path, images[:64], labels[:64])


def test_label_accuracy_is_reported_like_the_other_conditional_models():
    gan = kerasgan.ProjectionGAN(**TINY)
    # At initialisation every class has the same scales and offsets: the label changes nothing.
    np.testing.assert_array_equal(gan.generate(4, seed=0, labels=7), gan.generate(4, seed=0, labels=2))
    ds = kerasgan.data.load(
        "fashion_mnist", split="test", batch_size=100, with_labels=True, shuffle=False, limit=300
    )
    scores = kerasgan.evaluate_per_class(gan, ds, num_samples_per_class=8)
    assert set(scores) == {"fid_per_class", "mean_class_fid", "class_accuracy", "accuracy_per_class"}
    assert set(scores["accuracy_per_class"]) == set(range(10))
    accuracies = np.array(list(scores["accuracy_per_class"].values()))
    assert ((0.0 <= accuracies) & (accuracies <= 1.0)).all()
    assert scores["class_accuracy"] == pytest.approx(accuracies.mean())
    assert np.isfinite(scores["mean_class_fid"])
    # A class with its own scale and offset draws other images.
    norm = gan.generator.get_layer("up1_norm")
    norm.gamma.assign(keras.ops.convert_to_numpy(norm.gamma) * np.linspace(0.5, 2.0, 10)[:, None])
    assert not np.allclose(gan.generate(4, seed=0, labels=7), gan.generate(4, seed=0, labels=2))


@pytest.mark.slow  # a run folder, an evaluation and per-class scores: 76 s on a loaded machine
def test_a_command_line_run_is_scored_per_class(tmp_path):
    from kerasgan import cli, runs

    run_dir = str(tmp_path / "run")
    arguments = ["train", "projection_gan", "--out", run_dir, "--epochs", "1", "--limit", "64"]
    arguments += ["--batch-size", "32", "--latent-dim", "8", "--precision", "float32"]
    assert cli.main(arguments + ["--base-filters", "8", "--critic-steps", "1"]) == 0
    assert cli.main(["evaluate", run_dir, "--n", "100"]) == 0
    gan = runs.load_run_model(run_dir)
    assert isinstance(gan, kerasgan.ProjectionGAN) and gan.n_critic == 1 and gan.base_filters == 8
    ds = kerasgan.data.load(
        "fashion_mnist", split="test", batch_size=100, with_labels=True, shuffle=False, limit=300
    )
    scores = kerasgan.evaluate_per_class(gan, ds, num_samples_per_class=8)
    assert 0.0 <= scores["class_accuracy"] <= 1.0
