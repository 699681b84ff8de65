"""The default suite on JAX too: the shared subset's core, agreement with TensorFlow, export.

Keras reads its backend once per process, so one child process runs the
JAX side: `python3 -m pytest tests/backend --backend=jax -m "jax and not
slow"` with two CPU devices (`XLA_FLAGS`) and a persistent compilation cache
(the shared DCGAN checks compile one program between them). It writes what
JAX computed to a folder; the tests here, on TensorFlow, compare:

- one training step of four variants from the same weights, draws and
  batch gives the same losses and variables on both backends;
- a generator trained on JAX, loaded here, exports a SavedModel that serves
  what the JAX generator computes, with the signatures the same model gets
  on TensorFlow.

The child starts in the background as soon as the tests that read its
folder are collected (`tests/conftest.py` moves them to the end of the run),
so it runs beside the TensorFlow tests instead of before them.

`python3 -m pytest tests/backend --backend=jax -m jax` runs the whole
subset (every variant) on JAX; `test_whole_subset_passes_on_jax` does that
in the slow suite.
"""

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.backend.agreement import CASES, step_results
from tests.optional import is_missing, missing_package_of

pytest.importorskip("jax", reason="the dev extra installs jax (pip install -e '.[dev]')")

REPOSITORY = Path(__file__).resolve().parents[2]
# Tests of the JAX run that the default suite relies on; each must pass.
REQUIRED = [
    *(f"test_agreement_step_on_jax[{case}]" for case in sorted(CASES)),
    "test_generator_trained_on_jax_for_export",
    "test_data_parallel_on_two_devices_takes_the_one_device_step",
    "test_penalty_gradient_through_batch_norm_is_exact",
    "test_trains_on_real_data[dcgan]",
    "test_keras_file_round_trip_resumes[dcgan]",
    "test_identically_seeded_runs_end_with_identical_weights[dcgan]",
    "test_r1_penalty_closed_form",
    "test_lazy_regularizer_runs_every_k_steps",
    "test_bad_batch_is_refused_and_leaves_the_model_as_before_it[last]",
    "test_a_batch_holding_nan_says_so_and_trains_nothing",
    "test_a_data_set_smaller_than_one_batch_is_refused_before_training",
    "test_data_that_turns_out_empty_is_refused_after_the_epoch",
    "test_a_fit_with_no_epoch_left_to_run_is_not_refused",
    "test_first_fit_on_cpu_warns_once_with_the_ratio_and_the_switch",
    "test_the_warning_can_be_silenced",
    "test_export_on_jax_says_how_to_export[tf_saved_model]",
    "test_export_on_jax_says_how_to_export[litert]",
    "test_schedule_and_due_rule_agree_on_ints_and_tensors",
    "test_scheduled_critic_count_is_what_the_logs_say_at_each_step_on_jax[schedule]",
    "test_start_and_stop_phases_run_exactly_on_their_steps",
    "test_a_skipped_update_leaves_its_network_and_optimizer_bit_identical",
    "test_a_repeat_callable_with_python_branching_says_use_keras_ops",
    "test_in_graph_schedule_decides_as_the_host_does",
    # The discriminator seam, statistics, gates and controllers (test_shared_seam.py).
    "test_an_identity_augmentation_changes_nothing_on_jax[dcgan]",
    "test_augmentation_applies_only_while_training",
    "test_statistics_are_reported_logged_and_fed_to_controllers",
    "test_real_sign_is_the_mean_sign_of_the_real_logits",
    "test_skip_while_ahead_gates_the_discriminator_by_its_accuracy",
    "test_gates_augmentation_and_controllers_round_trip",
    "test_bad_remedy_arguments_are_clear_errors",
    "test_a_subclassed_generator_is_accepted_and_its_shape_checked",
    "test_a_random_draw_while_unpacking_moves_the_seed_generator",
    "test_a_constant_augmentation_reaches_the_regularizers_critic",
    # The remedies (test_shared_remedies.py).
    "test_the_augmentation_is_a_switch_on_the_variant_on_jax[dcgan-ada]",
    "test_ada_p_rises_while_the_discriminator_overfits_and_falls_when_it_does_not",
    "test_ada_resumes_exactly_from_a_keras_file",
    "test_p_and_the_running_sums_are_saved_and_resume",
    "test_the_controller_updates_inside_a_compiled_step_as_eagerly",
    "test_translation_shifts_by_whole_pixels_up_to_an_eighth",
    "test_cutout_zeroes_a_square_of_half_the_side",
    "test_gradients_flow_back_through_every_policy",
    "test_the_noise_is_gaussian_with_the_annealed_stddev",
    "test_matches_numpy_reference[8-4-1-3]",
    "test_real_targets_become_one_minus_the_smoothing[0.1-non_saturating]",
    "test_penalty_equals_its_formula_with_the_drawn_augmentations",
    "test_an_optimizer_steps_with_the_rate_of_its_iterations",
    "test_both_optimizers_of_a_gan_decay_through_fit_and_the_logs_show_it",
    "test_a_later_phase_of_the_step_reads_what_an_earlier_one_passed",
    # InpaintingGAN and its masks (test_shared_inpainting.py).
    "test_inpaint_never_changes_a_known_pixel_on_jax[strokes]",
    "test_the_centre_hole_is_the_middle_half_of_every_image",
    "test_a_stroke_stays_near_its_segment_and_varies",
    "test_one_seed_draws_the_same_masks_and_a_seed_generator_moves_on[strokes]",
    "test_samplers_round_trip_through_their_config[strokes]",
    # Neural style transfer (test_shared_style.py).
    "test_gram_matrix_matches_numpy",
    "test_total_variation_matches_numpy",
    "test_transfer_lowers_its_own_loss",
    "test_the_feature_network_never_changes",
    # The spectral-normalised layers (test_shared_spectral.py).
    "test_a_dense_layer_runs_with_its_kernel_divided_by_the_estimated_norm",
    "test_u_moves_only_while_training_and_sharpens_the_estimate",
    "test_a_model_of_spectral_layers_round_trips_through_a_keras_file",
    # TransformerGAN (test_shared_transformer_gan.py).
    "test_transformer_attention_sees_every_token_on_jax[l2]",
    "test_patch_tokens_are_the_patches_row_by_row",
    "test_the_vit_discriminator_is_spectrally_normalised_throughout",
    # InfoGAN (test_shared_infogan.py).
    "test_information_loss_is_the_negative_log_likelihood_of_the_codes",
    "test_latents_hold_noise_a_uniform_category_and_uniform_codes",
    "test_codes_change_the_output_and_the_category_option_sets_every_sample",
    # ProjectionGAN (test_shared_projection_gan.py).
    "test_at_initialisation_it_is_a_plain_batch_norm[shape0]",
    "test_each_label_picks_its_own_scale_and_offset",
    "test_inference_uses_the_moving_statistics_and_leaves_them",
    "test_config_round_trip_and_bad_arguments",
    # Lazy and scheduled phases under DataParallel on two devices (test_shared_lazy_replicas.py).
    "test_lazy_phases_on_two_devices_match_one_device",
    # The shipped presets (test_shared_presets.py).
    "test_a_preset_loads_offline_and_generates_on_jax[dcgan_fashion_mnist]",
    # SNGAN and R3GAN (test_shared_resnet_gans.py).
    "test_relativistic_loss_matches_its_closed_form",
    "test_r2_is_r1_on_the_generated_images",
    "test_the_generator_objective_reads_the_real_batch_through_the_seam",
    # StyleGAN (test_shared_stylegan.py).
    "test_truncation_zero_gives_the_mean_image_and_one_changes_nothing",
]


def run_on_jax(folder, marks):
    """Runs `tests/backend` on JAX in a child process; returns `(process, {test: outcome})`."""
    return finish_jax_run(start_jax_run(folder, marks), folder)


def start_jax_run(folder, marks):
    """Starts the JAX child on `tests/backend` with `marks`, writing to `folder`; returns the `Popen`.

    Its output goes to files in `folder`, so a child that prints a lot never
    blocks on a full pipe while the suite goes on with other tests.
    """
    folder = Path(folder)
    report = folder / "report.xml"
    environment = dict(
        os.environ,
        KERAS_BACKEND="jax",
        JAX_PLATFORMS="cpu",
        XLA_FLAGS=f"{os.environ.get('XLA_FLAGS', '')} --xla_force_host_platform_device_count=2".strip(),
        KERASGAN_JAX_OUTPUT=str(folder),
        JAX_COMPILATION_CACHE_DIR=str(folder / "compilation_cache"),
        JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS="0",
        TF_CPP_MIN_LOG_LEVEL="3",
    )
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/backend",
        "--backend=jax",
        "-m",
        marks,
        "-q",
        "-p",
        "no:cacheprovider",
        "-n",
        "0",
        f"--junitxml={report}",
    ]
    with open(folder / "stdout.txt", "w") as stdout, open(folder / "stderr.txt", "w") as stderr:
        return subprocess.Popen(command, cwd=REPOSITORY, env=environment, stdout=stdout, stderr=stderr)


def finish_jax_run(child, folder):
    """Waits for a child of `start_jax_run`; returns `(process, {test: outcome})`.

    `process` has the child's `returncode`, `stdout` and `stderr` (text).
    """
    folder = Path(folder)
    returncode = child.wait()
    process = subprocess.CompletedProcess(
        child.args,
        returncode,
        (folder / "stdout.txt").read_text(errors="replace"),
        (folder / "stderr.txt").read_text(errors="replace"),
    )
    outcomes = {}
    report = folder / "report.xml"
    if report.exists():
        for case in ElementTree.parse(report).getroot().iter("testcase"):
            outcomes[case.get("name")] = _outcome(case)
    return process, outcomes


def _outcome(case):
    """ "passed", "failure", "error" or "skipped" for a junit test case.

    A skip for an optional package that this process cannot import either
    (`tests.optional`: PyTorch is not installed by the set-up) counts as
    "passed": the test could not run on either side of this machine. Any
    other skip is reported.
    """
    for child in case:
        if child.tag in ("failure", "error"):
            return child.tag
        if child.tag == "skipped":
            module = missing_package_of(f"{child.get('message')} {child.text}")
            return "passed" if module is not None and is_missing(module) else "skipped"
    return "passed"


# With pytest-xdist (`--dist loadfile` in setup.cfg), this file's tests run
# in one worker, which runs the child once while the other worker goes on
# with the rest.
# The default JAX run, started in the background by tests/conftest.py as soon
# as the tests that need it are collected (they then run last), so the JAX
# child and the TensorFlow tests share the machine's cores: `(child, folder)`.
DEFAULT_JAX_MARKS = "jax and not slow"
BACKGROUND = {}


def start_in_background(folder):
    """Starts the default JAX run into `folder` (once) while the other tests run."""
    if "run" not in BACKGROUND:
        BACKGROUND["run"] = (start_jax_run(folder, DEFAULT_JAX_MARKS), Path(folder))


def stop_background():
    """Stops a background JAX run that is still going (the suite ended or was interrupted)."""
    if "run" in BACKGROUND and BACKGROUND["run"][0].poll() is None:
        BACKGROUND["run"][0].kill()
        BACKGROUND["run"][0].wait()


@pytest.fixture(scope="module")
def jax_side(tmp_path_factory):
    """The folder the JAX run wrote to, its process and outcomes (waiting for it if it runs)."""
    if "run" not in BACKGROUND:
        start_in_background(tmp_path_factory.mktemp("jax_side"))
    if "result" not in BACKGROUND:
        child, folder = BACKGROUND["run"]
        BACKGROUND["result"] = (folder, *finish_jax_run(child, folder))
    return BACKGROUND["result"]


def _output(process):
    return process.stdout[-6000:] + process.stderr[-2000:]


def test_shared_subset_passes_on_jax(jax_side):
    _, process, outcomes = jax_side
    assert process.returncode == 0, _output(process)
    missing = [name for name in REQUIRED if name not in outcomes]
    assert not missing, f"the JAX run did not run {missing}:\n{_output(process)}"
    not_passed = {name: outcome for name, outcome in outcomes.items() if outcome != "passed"}
    assert not not_passed, f"{not_passed}\n{_output(process)}"


@pytest.mark.slow
def test_whole_subset_passes_on_jax(tmp_path):
    process, outcomes = run_on_jax(tmp_path, "jax")
    assert process.returncode == 0, _output(process)
    assert outcomes and all(outcome == "passed" for outcome in outcomes.values()), outcomes


def _jax_result(folder, process, name):
    path = folder / name
    assert path.exists(), f"the JAX run wrote no {name}:\n{_output(process)}"
    return dict(np.load(path))


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_step_agrees_with_tensorflow(case, jax_side, fashion_mnist_sample):
    folder, process, _ = jax_side
    on_jax = _jax_result(folder, process, f"agreement_{case}.npz")
    on_tensorflow = step_results(case, *fashion_mnist_sample)
    assert sorted(on_jax) == sorted(on_tensorflow)
    for name, expected in on_tensorflow.items():
        # Within 1e-5 of each array's largest magnitude: float32 sums in
        # another order (oneDNN against XLA kernels), nothing more.
        tolerance = 1e-6 + 1e-5 * float(np.abs(expected).max(initial=0.0))
        np.testing.assert_allclose(on_jax[name], expected, rtol=0, atol=tolerance, err_msg=name)


def _signatures(path):
    """`{signature: (inputs, outputs)}`, each a sorted list of `(name, shape, dtype)`."""

    def described(specs):
        return sorted((name, str(spec.shape), spec.dtype.name) for name, spec in specs.items())

    served = tf.saved_model.load(path)
    return {
        name: (described(function.structured_input_signature[1]), described(function.structured_outputs))
        for name, function in served.signatures.items()
    }


def test_generator_trained_on_jax_exports_like_tensorflow(jax_side, tmp_path):
    folder, process, _ = jax_side
    on_jax = _jax_result(folder, process, "trained_on_jax.npz")
    gan = keras.saving.load_model(folder / "trained_on_jax.keras")
    assert gan.completed_steps() == 2
    path = gan.export_generator(str(tmp_path / "from_jax"))
    latents = on_jax["latents"]
    # Served here (tests/export checks that exports serve without kerasgan).
    served = tf.saved_model.load(path).signatures
    from_latents = served["serving_default"](latents=tf.constant(latents))["images"].numpy()
    sampled = served["sample"](n=tf.constant(5), seed=tf.constant(3, tf.int64))["images"].numpy()
    # What the JAX generator computed, up to the backends' rounding ...
    np.testing.assert_allclose(from_latents, on_jax["images"], rtol=0, atol=1e-5)
    # ... and exactly what the model computes here.
    np.testing.assert_array_equal(from_latents, gan.generator(latents, training=False).numpy())
    np.testing.assert_array_equal(sampled, gan.generate(5, seed=3))
    # The SavedModel of the same model on TensorFlow has the same signatures
    # (they do not depend on the weights, so it is not trained here).
    fresh = type(gan).from_config(gan.get_config())
    reference = fresh.export_generator(str(tmp_path / "from_tensorflow"))
    assert _signatures(path) == _signatures(reference)


@pytest.mark.parametrize(
    "skipped, expected",
    [
        # A module skipped at collection reports its reason in the element's text.
        ('<skipped message="collection skipped">(\'t.py\', 9, "Skipped: {reason}")</skipped>', "passed"),
        ('<skipped message="{reason}" />', "passed"),
        ('<skipped message="needs two GPUs" />', "skipped"),
        ('<failure message="assert 0" />', "failure"),
    ],
    ids=[
        "module skipped for a missing package",
        "test skipped for a missing package",
        "other skip",
        "failure",
    ],
)
def test_only_skips_for_a_package_missing_here_too_count_as_passed(skipped, expected):
    from tests.optional import skip_reason

    absent = "kerasgan_no_such_package"
    case = ElementTree.fromstring(f"<testcase>{skipped.format(reason=skip_reason(absent, 'x'))}</testcase>")
    assert _outcome(case) == expected
    present = ElementTree.fromstring(
        f'<testcase><skipped message="{skip_reason("numpy", "x")}" /></testcase>'
    )
    assert _outcome(present) == "skipped", "a skip for a package this process has hides a problem"
