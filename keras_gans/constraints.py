"""Weight clipping of the WGAN critic as a Keras constraint."""

import keras


@keras.saving.register_keras_serializable(package="keras_gans")
class WeightClip(keras.constraints.Constraint):
    """Clips every entry of a weight to [-clip_value, clip_value].

    Keras optimizers apply `variable.constraint` right after each update, in
    the optimizer step; that also works under tf.distribute, where an
    `assign` inside the replica function of a train step would be refused.

    Args:
        clip_value: positive float, the bound c of the WGAN paper (0.01).

    Reference: Arjovsky et al. 2017, arXiv:1701.07875 (Algorithm 1).
    """

    def __init__(self, clip_value):
        if not clip_value > 0:
            raise ValueError(
                f"clip_value must be positive. Received: clip_value="
                f"{clip_value}"
            )
        self.clip_value = float(clip_value)

    def __call__(self, w):
        return keras.ops.clip(w, -self.clip_value, self.clip_value)

    def get_config(self):
        return {"clip_value": self.clip_value}


def clip_weights(model, clip_value):
    """Puts a `WeightClip` on every trainable variable of `model`.

    Covers kernels, biases and normalization scales alike, as the WGAN
    paper clips all critic parameters. Replaces any earlier constraint.

    Args:
        model: a built keras.Model (the critic).
        clip_value: the clipping bound; None or 0 removes nothing and
            adds nothing.
    """
    if not clip_value:
        return
    constraint = WeightClip(clip_value)
    for variable in model.trainable_variables:
        variable.constraint = constraint
