"""Named GAN variants: each a preset of loss, penalty, clipping, schedule
and optimizer, with the defaults of its paper. Every field can be
overridden (`TrainConfig` fields / run.py flags of the same name).
"""

import dataclasses

from keras_gans import validation


@dataclasses.dataclass(frozen=True)
class Variant:
    """The defaults of one published GAN recipe.

    Attributes:
        loss: name in `keras_gans.losses.LOSSES`.
        penalty: name in `keras_gans.penalties.PENALTIES`.
        gp_weight: the penalty's weight lambda.
        n_critic: discriminator updates per generator update.
        clip_value: WGAN weight clipping bound, or None.
        optimizer: "adam" or "rmsprop" (both networks).
        d_learning_rate: discriminator learning rate.
        g_learning_rate: generator learning rate.
        beta_1: Adam beta_1 (ignored by RMSprop).
        beta_2: Adam beta_2 (ignored by RMSprop).
        d_normalization: discriminator normalization: "batch", "layer",
            "none" or "spectral".
        conditioning: what the generator is conditioned on: "none",
            "labels" (cGAN: both networks read the labels), "classifier"
            (ACGAN: the discriminator classifies the labels) or "codes"
            (InfoGAN's unsupervised codes).
        g_conditioning: the generator's scheme (`layers.G_SCHEMES`), or
            None for unconditional variants.
        d_conditioning: the discriminator's scheme (`layers.D_SCHEMES`).
        reference: the paper.
    """

    loss: str
    penalty: str = "none"
    gp_weight: float = 10.0
    n_critic: int = 1
    clip_value: float = None
    optimizer: str = "adam"
    d_learning_rate: float = 2e-4
    g_learning_rate: float = 2e-4
    beta_1: float = 0.5
    beta_2: float = 0.999
    d_normalization: str = "batch"
    conditioning: str = "none"
    g_conditioning: str = None
    d_conditioning: str = None
    reference: str = ""

    @property
    def conditional(self):
        return self.conditioning != "none"


VARIANTS = {
    # Adam(2e-4, 0.5), BN in both networks (Radford et al., section 4).
    "dcgan": Variant(
        loss="non_saturating",
        reference="Radford et al. 2015, arXiv:1511.06434",
    ),
    # RMSprop(5e-5), c = 0.01, n_critic = 5 (Algorithm 1).
    "wgan": Variant(
        loss="wasserstein",
        n_critic=5,
        clip_value=0.01,
        optimizer="rmsprop",
        d_learning_rate=5e-5,
        g_learning_rate=5e-5,
        reference="Arjovsky et al. 2017, arXiv:1701.07875",
    ),
    # lambda = 10, n_critic = 5, Adam(1e-4, 0, 0.9); no batch norm in the
    # critic, since the penalty is per example (layer norm instead).
    "wgan_gp": Variant(
        loss="wasserstein",
        penalty="gradient_penalty",
        gp_weight=10.0,
        n_critic=5,
        d_learning_rate=1e-4,
        g_learning_rate=1e-4,
        beta_1=0.0,
        beta_2=0.9,
        d_normalization="layer",
        reference="Gulrajani et al. 2017, arXiv:1704.00028",
    ),
    # a-b-c = 0-1-1, Adam(2e-4, 0.5).
    "lsgan": Variant(
        loss="least_squares",
        reference="Mao et al. 2017, arXiv:1611.04076",
    ),
    # Hinge loss, spectral norm in D, Adam(2e-4, 0.5, 0.999), n_dis = 1
    # (setting C of Miyato et al., table 1).
    "sngan": Variant(
        loss="hinge",
        d_normalization="spectral",
        reference="Miyato et al. 2018, arXiv:1802.05957",
    ),
}
# The conditional variants play DCGAN's game by default; base_model picks
# another variant's loss, penalty, schedule and optimizer.
VARIANTS.update({
    "cgan": dataclasses.replace(
        VARIANTS["dcgan"], conditioning="labels", g_conditioning="concat",
        d_conditioning="projection",
        reference="Mirza & Osindero 2014, arXiv:1411.1784; projection D: "
                  "Miyato & Koyama 2018, arXiv:1802.05637",
    ),
    "acgan": dataclasses.replace(
        VARIANTS["dcgan"], conditioning="classifier",
        g_conditioning="concat", d_conditioning="none",
        reference="Odena et al. 2017, arXiv:1610.09585",
    ),
    "infogan": dataclasses.replace(
        VARIANTS["dcgan"], conditioning="codes", g_conditioning="concat",
        d_conditioning="none",
        reference="Chen et al. 2016, arXiv:1606.03657",
    ),
})
UNCONDITIONAL = tuple(k for k, v in VARIANTS.items() if not v.conditional)
CONDITIONAL = tuple(k for k, v in VARIANTS.items() if v.conditional)
# The fields that make up the adversarial game (what base_model sets).
GAME_FIELDS = ("loss", "penalty", "gp_weight", "n_critic", "clip_value",
               "optimizer", "d_learning_rate", "g_learning_rate", "beta_1",
               "beta_2", "d_normalization")


# The games that differ on 2-D point data (the ring and grid mixtures),
# where the papers' image settings fail. WGAN-GP's lambda = 10 keeps the MLP
# critic too smooth to resolve modes of std 0.01-0.05 (4/8 ring and 17/25
# grid modes at 0.3-1.3% high quality in 6,000 steps); the authors' own toy
# code uses lambda = 0.1. lambda = 1 with both learning rates at 1e-3
# covers 8/8 and 25/25 (README, "Benchmarks": `benchmarks/mode_coverage.py`).
# Filled in where the config leaves a field None, like the points' plain
# MLP critic (`config.resolve`).
POINT_DATA_GAMES = {
    "wgan_gp": {"gp_weight": 1.0, "d_learning_rate": 1e-3,
                "g_learning_rate": 1e-3},
}


def get(name):
    """Returns the `Variant` called `name`."""
    validation.check_choice("model", name, VARIANTS)
    return VARIANTS[name]
