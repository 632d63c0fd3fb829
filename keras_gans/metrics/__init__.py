"""Metrics of generated samples, on features or predictions (numpy).

- `frechet`: Frechet distance of two feature sets (FID on Inception's).
- `kid`: kernel inception distance, unbiased, with its spread.
- `precision_recall`: Kynkaanniemi et al. 2019 k-NN precision and recall.
- `classification`: an evaluator's scores against requested labels,
  distinct classes, class histograms.
- `mode_coverage`: modes covered on 2-D Gaussian mixtures.
- `inception`: InceptionV3 pool features from user-supplied weights.
- `inception_graph`, `inception_score`: FID features and IS from the
  2015 Inception graph file, as TTUR and improved-gan compute them.
- `face_count`: faces an OpenCV cascade finds per 25 images.

`keras_gans.evaluation` puts them together for a generator.
"""
