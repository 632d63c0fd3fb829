"""How big the convolutional networks are: the number of resolution
doublings for an image side, one width per resolution, and the hidden
feature-map sides (where self-attention may go).

Every image network here starts (G) or ends (D) at a 4x4 map and doubles
(halves) the resolution once per block, so an image of side s has
log2(s / 4) blocks; the DCGAN, ResNet and conditional builders all size
themselves through this module.
"""

import math

from keras_gans import validation

START_SIZE = 4


def block_count(image_size, num_blocks=None):
    """Checks image_size and num_blocks; returns log2(image_size / 4)."""
    image_size = validation.check_image_size(image_size)
    expected = int(math.log2(image_size // START_SIZE))
    if num_blocks is not None and (not validation.is_int(num_blocks)
                                   or num_blocks != expected):
        raise ValueError(
            f"num_blocks must be log2(image_size / {START_SIZE}) = "
            f"{expected} for image_size={image_size}: every block doubles "
            f"(or halves) the resolution from a {START_SIZE}x{START_SIZE} "
            f"map. Leave it None. Received: num_blocks={num_blocks!r}"
        )
    return expected


def hidden_sides(image_size):
    """The hidden feature-map sides of a network for `image_size`
    (4, 8, ..., image_size / 2): where self-attention may go."""
    return tuple(START_SIZE * 2**i
                 for i in range(block_count(image_size)))


def widths(image_size, base_width, num_blocks, filters, grow):
    """The hidden widths, one per resolution, in network order.

    Args:
        image_size: the image side.
        base_width: width at the highest hidden resolution.
        num_blocks: None or the expected number of stride-2 layers.
        filters: None, or a list overriding the computed widths.
        grow: True for the discriminator (64, 128, ...), False for the
            generator (..., 128, 64).

    Returns:
        A list of `num_blocks` positive ints.
    """
    n = block_count(image_size, num_blocks)
    if filters is not None:
        filters = list(filters)
        if len(filters) != n:
            raise ValueError(
                f"filters must list {n} widths for image_size="
                f"{image_size} (one per resolution from "
                f"{START_SIZE}x{START_SIZE} up to {image_size // 2}x"
                f"{image_size // 2}; the image channels are not included). "
                f"Received: filters={filters!r}"
            )
        return [validation.check_int("filters", width) for width in filters]
    base_width = validation.check_int("base_width", base_width)
    widths = [base_width * 2**i for i in range(n)]
    return widths if grow else widths[::-1]
