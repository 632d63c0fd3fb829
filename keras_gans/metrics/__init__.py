"""Metrics of generated samples, on features or predictions (numpy).

- `frechet`: Frechet distance of two feature sets (FID on Inception's).
- `kid`: kernel inception distance, unbiased, with its spread.
- `precision_recall`: Kynkaanniemi et al. 2019 k-NN precision and recall.
- `classification`: an evaluator's scores against requested labels,
  distinct classes, class histograms.
- `mode_coverage`: modes covered on 2-D Gaussian mixtures.
- `inception`: InceptionV3 pool features from user-supplied weights.

`keras_gans.evaluation` puts them together for a generator.
"""
