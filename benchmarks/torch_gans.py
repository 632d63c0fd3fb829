"""PyTorch twins of keras_gans' default networks and training steps.

Only `benchmarks/throughput.py` uses this module: it times the project's
step against the same work written the way a PyTorch user writes it. The
networks match keras_gans' builders layer for layer (throughput.py asserts
equal trainable-parameter counts):

- generator: Linear(z [+ labels], 4*4*W) - BN - ReLU, then stride-2
  ConvTranspose2d (kernel 4, padding 1, no bias before BN) - BN - ReLU
  halving the width, and a last ConvTranspose2d to 3 channels with a tanh;
- discriminator: stride-2 Conv2d (kernel 4, padding 1) - norm - LeakyReLU
  (0.2) doubling the width from 64, no norm on the first, then a Linear to
  one logit (and ACGAN's Linear class head on the same features). The norm
  is BatchNorm2d (dcgan, acgan) or GroupNorm(1, C) (wgan_gp's layer norm);
  a convolution is biased unless batch norm follows it, as in keras_gans.

Steps do what `keras_gans.models.GAN.train_step` does: per D update a fresh
z, G run without gradients, D on the real and the fake batch (two calls),
one Adam step; then a G update with D's weights frozen. WGAN-GP makes 5 D
updates on 5 fresh real chunks, each with the penalty on interpolates
(double back-propagation), then one G update.

Images are NCHW (`channels_last=True` converts the modules and tensors to
torch.channels_last memory format).
"""

import torch
from torch import nn
from torch.nn import functional as F

BN_MOMENTUM = 0.1  # PyTorch's convention: keras_gans' 0.9
EPS = 1e-5


def _norm(kind, channels):
    if kind == "batch":
        return nn.BatchNorm2d(channels, eps=EPS, momentum=BN_MOMENTUM)
    if kind == "layer":
        return nn.GroupNorm(1, channels, eps=EPS)
    return nn.Identity()


class Generator(nn.Module):
    """z (N, latent_dim + condition_dim) -> images (N, 3, side, side)."""

    def __init__(self, image_size, input_dim, base_width=64, channels=3):
        super().__init__()
        blocks = {16: 2, 32: 3, 64: 4, 128: 5}[image_size]
        widths = [base_width * 2**i for i in range(blocks)][::-1]
        self.start_width = widths[0]
        self.start = nn.Linear(input_dim, 16 * widths[0], bias=False)
        self.start_norm = _norm("batch", widths[0])
        layers = []
        for cin, cout in zip(widths[:-1], widths[1:]):
            layers += [nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False),
                       _norm("batch", cout), nn.ReLU()]
        layers += [nn.ConvTranspose2d(widths[-1], channels, 4, 2, 1),
                   nn.Tanh()]
        self.body = nn.Sequential(*layers)

    def forward(self, z):
        x = self.start(z).view(-1, self.start_width, 4, 4)
        return self.body(F.relu(self.start_norm(x)))


class Discriminator(nn.Module):
    """images (N, 3, side, side) -> (logits (N, 1), class logits or None)."""

    def __init__(self, image_size, norm="batch", base_width=64, channels=3,
                 classes=0):
        super().__init__()
        blocks = {16: 2, 32: 3, 64: 4, 128: 5}[image_size]
        widths = [base_width * 2**i for i in range(blocks)]
        layers, cin = [], channels
        for i, cout in enumerate(widths):
            kind = "none" if i == 0 else norm
            layers += [nn.Conv2d(cin, cout, 4, 2, 1, bias=kind != "batch"),
                       _norm(kind, cout), nn.LeakyReLU(0.2)]
            cin = cout
        self.body = nn.Sequential(*layers)
        self.logit = nn.Linear(16 * widths[-1], 1)
        self.classes = nn.Linear(16 * widths[-1], classes) if classes else None

    def forward(self, images):
        features = self.body(images).flatten(1)
        aux = self.classes(features) if self.classes is not None else None
        return self.logit(features), aux


def build(model, image_size, condition_dim=0, channels_last=False,
          n_critic=None):
    """(generator, discriminator, step function) for a keras_gans model name.

    `step(real, labels)` runs one training step; `real` is (n_critic * N,
    3, side, side), `labels` None or float one-hot / binary columns (N,
    condition_dim) laid out like `LabelSpec.encode`.
    """
    latent_dim = 100
    norm = "layer" if model == "wgan_gp" else "batch"
    g = Generator(image_size, latent_dim + condition_dim)
    d = Discriminator(image_size, norm,
                      classes=condition_dim if model == "acgan" else 0)
    if channels_last:
        g = g.to(memory_format=torch.channels_last)
        d = d.to(memory_format=torch.channels_last)
    betas, lr = ((0.5, 0.9), 1e-4) if model == "wgan_gp" else ((0.5, 0.999),
                                                               2e-4)
    g_opt = torch.optim.Adam(g.parameters(), lr, betas)
    d_opt = torch.optim.Adam(d.parameters(), lr, betas)
    n_critic = n_critic or (5 if model == "wgan_gp" else 1)

    def z_for(batch, labels):
        z = torch.randn(batch, latent_dim)
        return z if labels is None else torch.cat([z, labels], 1)

    def class_loss(logits, targets):
        # Softmax cross-entropy over the first `blocks` (hair, eyes), a
        # mean sigmoid cross-entropy over the binary columns.
        loss = F.cross_entropy(logits[:, :12], targets[:, :12])
        loss = loss + F.cross_entropy(logits[:, 12:23], targets[:, 12:23])
        return loss + F.binary_cross_entropy_with_logits(logits[:, 23:],
                                                         targets[:, 23:])

    def d_update(real, labels):
        with torch.no_grad():
            fake = g(z_for(real.shape[0], labels))
        real_logits, real_aux = d(real)
        fake_logits, _ = d(fake)
        if model == "wgan_gp":
            loss = fake_logits.mean() - real_logits.mean()
            alpha = torch.rand(real.shape[0], 1, 1, 1)
            x_hat = (real + alpha * (fake - real)).requires_grad_(True)
            grads, = torch.autograd.grad(d(x_hat)[0].sum(), x_hat,
                                         create_graph=True)
            norm_ = torch.sqrt(grads.flatten(1).square().sum(1) + 1e-10)
            loss = loss + 10.0 * ((norm_ - 1.0) ** 2).mean()
        else:
            loss = (F.binary_cross_entropy_with_logits(
                real_logits, torch.ones_like(real_logits))
                + F.binary_cross_entropy_with_logits(
                    fake_logits, torch.zeros_like(fake_logits)))
            if real_aux is not None:
                loss = loss + class_loss(real_aux, labels)
        d_opt.zero_grad(set_to_none=True)
        loss.backward()
        d_opt.step()

    def g_update(batch, labels):
        d.requires_grad_(False)
        fake_logits, fake_aux = d(g(z_for(batch, labels)))
        if model == "wgan_gp":
            loss = -fake_logits.mean()
        else:
            loss = F.binary_cross_entropy_with_logits(
                fake_logits, torch.ones_like(fake_logits))
            if fake_aux is not None:
                loss = loss + class_loss(fake_aux, labels)
        g_opt.zero_grad(set_to_none=True)
        loss.backward()
        g_opt.step()
        d.requires_grad_(True)

    def step(real, labels=None):
        chunks = real.chunk(n_critic)
        for chunk in chunks:
            d_update(chunk, labels)
        g_update(chunks[0].shape[0], labels)

    return g, d, step


def trainable_parameters(module):
    return sum(p.numel() for p in module.parameters() if p.requires_grad)
