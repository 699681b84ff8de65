"""Remedy switches of runs: `--critic-steps` counts and schedules, `--augment`, recorded in run.json."""

import json
import os

import pytest

from kerasgan import cli, runs
from kerasgan.models import Schedule

RUN = dict(epochs=1, batch_size=32, limit=64, latent_dim=8, seed=0, verbose=0, precision="float32")


def _settings(run_dir):
    with open(os.path.join(run_dir, "run.json")) as f:
        return json.load(f)["settings"]


@pytest.mark.parametrize(
    "spelling, expected, canonical",
    [
        ("5", 5, "5"),
        (" 7 ", 7, "7"),
        (3, 3, "3"),
        ("5:1000,1", Schedule([(0, 5), (1000, 1)]), "5:1000,1"),
        ("100:25, 5", Schedule([(0, 100), (25, 5)]), "100:25,5"),
        ("3:10,2:20,1", Schedule([(0, 3), (10, 2), (20, 1)]), "3:10,2:20,1"),
        (Schedule([(0, 4), (8, 2)]), Schedule([(0, 4), (8, 2)]), "4:8,2"),
    ],
)
def test_critic_steps_read_as_a_count_or_a_schedule(spelling, expected, canonical):
    parsed = runs.parse_critic_steps(spelling)
    assert parsed == expected and type(parsed) is type(expected)
    assert runs.critic_steps_spelling(spelling) == canonical
    assert runs.parse_critic_steps(canonical) == expected


@pytest.mark.parametrize(
    "spelling, message",
    [
        ("", "Cannot read"),
        ("five", "Cannot read"),
        ("5,1", "Cannot read"),  # a piece that ends nowhere
        ("5:1000", "Cannot read"),  # no count after step 1000
        ("5:1000,1:2000", "Cannot read"),
        ("-1", "Cannot read"),
        ("2.5", "Cannot read"),
        ("0", "critic_steps"),
        ("5:1000,0", "values are counts"),
        ("5:0,1", "increase strictly"),
        ("5:100,3:50,1", "increase strictly"),
        (0, "critic_steps"),
        (True, "must be an int"),
        (2.0, "must be an int"),
    ],
)
def test_bad_critic_steps_say_how_to_spell_them(spelling, message):
    with pytest.raises(ValueError, match=message) as error:
        runs.parse_critic_steps(spelling)
    assert repr(spelling) in str(error.value) or message == "critic_steps"


def test_the_shell_refuses_a_bad_critic_steps_spelling_before_training(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main(["train", "wgan_gp", "--critic-steps", "5,1", "--out", str(tmp_path / "run")])
    assert "COUNT:UNTIL pieces ending in a bare COUNT, e.g. 5:1000,1" in capsys.readouterr().err
    assert not os.path.exists(tmp_path / "run")


def test_a_critic_step_count_trains_that_many_discriminator_updates_and_must_resume_alike(tmp_path, capsys):
    run_dir = str(tmp_path / "run")
    arguments = ["train", "dcgan", "--out", run_dir, "--epochs", "1", "--limit", "64", "--batch-size", "32"]
    arguments += ["--latent-dim", "8", "--seed", "0", "--precision", "float32", "--critic-steps", "3"]
    assert cli.main(arguments) == 0
    gan = runs.load_run_model(run_dir)
    assert gan.n_critic == 3 and _settings(run_dir)["critic_steps"] == "3"
    assert (int(gan.d_optimizer.iterations), int(gan.g_optimizer.iterations)) == (6, 2)
    assert cli.main(arguments[:-2] + ["--epochs", "2", "--resume"]) == 1
    assert "made with settings" in capsys.readouterr().err


def test_options_a_variant_does_not_take_are_refused(tmp_path):
    translation_run = {key: value for key, value in RUN.items() if key != "latent_dim"}
    with pytest.raises(ValueError, match="Pix2Pix does not take n_critic=.*'dcgan'.*Drop --critic-steps"):
        runs.train("pix2pix", str(tmp_path), dataset="fashion_mnist_edges", critic_steps=5, **translation_run)
    with pytest.raises(
        ValueError, match="Unknown augmentation 'cutout'.*\\['ada', 'diffaugment', 'instance_noise'\\]"
    ):
        runs.train("dcgan", str(tmp_path), augment="cutout", **RUN)
    with pytest.raises(SystemExit):
        cli.main(["train", "dcgan", "--augment", "cutout", "--out", str(tmp_path)])
    assert os.listdir(tmp_path) == []


def test_augment_reaches_the_model_is_recorded_and_resumes(tmp_path):
    run_dir = str(tmp_path / "run")
    gan = runs.train("dcgan", run_dir, augment="ada", **RUN)
    assert type(gan.augmentation).__name__ == "AdaptiveAugmentation"
    assert _settings(run_dir)["augment"] == "ada"
    with pytest.raises(ValueError, match="made with settings"):
        runs.train("dcgan", run_dir, resume=True, **dict(RUN, epochs=2, augment="diffaugment"))
    resumed = runs.train("dcgan", run_dir, resume=True, augment="ada", **dict(RUN, epochs=2))
    assert type(resumed.augmentation).__name__ == "AdaptiveAugmentation" and resumed.completed_steps() == 4


def test_a_run_trains_with_diffaugment_from_the_shell(tmp_path):
    run_dir = str(tmp_path / "run")
    arguments = ["train", "dcgan", "--out", run_dir, "--epochs", "1", "--limit", "64", "--batch-size", "32"]
    arguments += ["--latent-dim", "8", "--seed", "0", "--precision", "float32", "--augment", "diffaugment"]
    assert cli.main(arguments) == 0
    assert _settings(run_dir)["augment"] == "diffaugment"
    assert "augmentation" in runs.load_run_model(run_dir).get_config()


def test_a_critic_schedule_trains_its_updates_per_step_and_resumes(tmp_path):
    run_dir = str(tmp_path / "run")
    gan = runs.train("dcgan", run_dir, critic_steps="2:1,1", **RUN)  # step 0: 2 updates, step 1: 1
    assert (int(gan.d_optimizer.iterations), int(gan.g_optimizer.iterations)) == (3, 2)
    assert _settings(run_dir)["critic_steps"] == "2:1,1"
    resumed = runs.train("dcgan", run_dir, resume=True, critic_steps="2:1,1", **dict(RUN, epochs=2))
    assert (int(resumed.d_optimizer.iterations), int(resumed.g_optimizer.iterations)) == (5, 4)


def test_lr_decay_brings_each_optimizers_rate_to_zero_at_the_last_step_and_must_resume_alike(
    tmp_path, capsys
):
    run_dir = str(tmp_path / "run")
    arguments = [
        "train",
        "dcgan",
        "--out",
        run_dir,
        "--limit",
        "64",
        "--batch-size",
        "32",
        "--latent-dim",
        "8",
    ]
    arguments += ["--seed", "0", "--precision", "float32", "--critic-steps", "2", "--d-lr", "1e-3"]
    assert cli.main(arguments + ["--epochs", "2", "--lr-decay-epochs", "1"]) == 0  # 2 steps per epoch
    gan = runs.load_run_model(run_dir)
    settings = _settings(run_dir)
    assert (settings["lr_decay_epochs"], settings["lr_decay_planned_epochs"]) == (1, 2)
    d_schedule, g_schedule = gan.d_optimizer.learning_rate, gan.g_optimizer.learning_rate
    assert float(d_schedule) == 0.0 and float(g_schedule) == 0.0
    # Constant over epoch 1, then down to 0 over epoch 2, in each optimizer's own iterations.
    d_decay = gan.d_optimizer.get_config()["learning_rate"]["config"]
    g_decay = gan.g_optimizer.get_config()["learning_rate"]["config"]
    assert d_decay == {"initial_learning_rate": 1e-3, "decay_start": 4, "decay_steps": 4}
    assert g_decay == {"initial_learning_rate": 2e-4, "decay_start": 2, "decay_steps": 2}
    with open(os.path.join(run_dir, "log.csv")) as f:
        header, *rows = [line.strip().split(",") for line in f]
    d_rates = [float(row[header.index("d_learning_rate")]) for row in rows]
    assert d_rates == [pytest.approx(1e-3), pytest.approx(0.0, abs=1e-12)]
    with open(os.path.join(run_dir, "losses_steps.csv")) as f:
        g_steps = [line.strip().split(",") for line in f if ",g_learning_rate," in line]
    assert [(int(step), float(value)) for step, _, value in g_steps] == [
        (1, pytest.approx(2e-4)),
        (2, pytest.approx(2e-4)),
        (3, pytest.approx(1e-4)),
        (4, pytest.approx(0.0, abs=1e-12)),
    ]
    assert cli.main(arguments + ["--epochs", "3", "--lr-decay-epochs", "1", "--resume"]) == 1
    assert "made with settings" in capsys.readouterr().err


def test_lr_decay_longer_than_the_run_is_refused(tmp_path, capsys):
    with pytest.raises(ValueError, match="lr_decay_epochs=3 .* more than the run's epochs=2"):
        runs.train("dcgan", str(tmp_path / "run"), lr_decay_epochs=3, **dict(RUN, epochs=2))
    with pytest.raises(SystemExit):
        cli.main(["train", "dcgan", "--lr-decay-epochs", "0", "--out", str(tmp_path / "run")])
    assert "--lr-decay-epochs" in capsys.readouterr().err
    assert not os.path.exists(tmp_path / "run")
