"""Weight sharing: a convolution is one small dense layer applied to every patch (chapter 12).

Images are batches ``X: (m, C, H, W)`` (channels first, as in PyTorch). ``im2col`` cuts every
``k_h × k_w`` patch out of every image and lays it out as a row of ``C k_h k_w`` numbers, so that

- ``Conv2d`` multiplies every patch by the **same** weight matrix ``W: (c_out, c_in k_h k_w)``,
  exactly ``Linear``'s ``Z = X Wᵀ + b`` with patches as samples;
- ``LocallyConnected2d`` multiplies patch ``p`` by its **own** matrix ``W[p]``: the same wiring
  without the sharing, with ``patches`` times as many parameters.

PyTorch stores a conv weight as ``(c_out, c_in, k_h, k_w)``; ``W.reshape(c_out, c_in, k_h, k_w)``
gives that layout, because a patch row is flattened in the order (channel, row, column).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike

from knobs.nn import init as _init
from knobs.nn.init import InitSpec
from knobs.nn.module import Module
from knobs.validate import IntPair, as_float_array, int_pair, positive_int


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Positions of a kernel along one axis: ``floor((size + 2 padding - kernel) / stride) + 1``."""
    size, kernel, stride = (positive_int(size, "size"), positive_int(kernel, "kernel"),
                            positive_int(stride, "stride"))
    padding = int_pair(padding, "padding", allow_zero=True)[0]
    if kernel > size + 2 * padding:
        raise ValueError(f"kernel {kernel} does not fit in size {size} with padding {padding}")
    return (size + 2 * padding - kernel) // stride + 1


def _check_images(X: ArrayLike, c_in: int | None = None, name: str = "X") -> np.ndarray:
    X = as_float_array(X, name)
    if X.ndim != 4 or (c_in is not None and X.shape[1] != c_in) or X.shape[0] == 0:
        want = f"(m, {c_in}, H, W)" if c_in is not None else "(m, C, H, W)"
        raise ValueError(f"{name} must have shape {want} with m >= 1, got shape {X.shape}")
    return X


def output_shape(image_size: IntPair, kernel: IntPair, stride: IntPair = 1,
                 padding: IntPair = 0) -> tuple[int, int]:
    """``(H_out, W_out)``: the grid of patch positions."""
    (H, W), (kh, kw) = int_pair(image_size, "image_size"), int_pair(kernel, "kernel")
    (sh, sw), (ph, pw) = int_pair(stride, "stride"), int_pair(padding, "padding", allow_zero=True)
    return conv_output_size(H, kh, sh, ph), conv_output_size(W, kw, sw, pw)


def im2col(X: ArrayLike, kernel: IntPair, stride: IntPair = 1, padding: IntPair = 0) -> np.ndarray:
    """Every patch of every image as a row.

    Args:
        X: images ``(m, C, H, W)``.
        kernel, stride, padding: integers or ``(h, w)`` pairs; padding adds zeros on each side.

    Returns:
        ``P: (m, H_out W_out, C k_h k_w)``; patch ``p = i W_out + j`` is the window whose top-left
        corner sits at row ``i s_h``, column ``j s_w`` of the padded image.
    """
    X = _check_images(X)
    (kh, kw), (sh, sw) = int_pair(kernel, "kernel"), int_pair(stride, "stride")
    ph, pw = int_pair(padding, "padding", allow_zero=True)
    m, C, H, W = X.shape
    Ho, Wo = output_shape((H, W), (kh, kw), (sh, sw), (ph, pw))
    Xp = np.pad(X, ((0, 0), (0, 0), (ph, ph), (pw, pw))) if ph or pw else X
    windows = sliding_window_view(Xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw][:, :, :Ho, :Wo]
    # (m, C, Ho, Wo, kh, kw) -> (m, Ho, Wo, C, kh, kw): one row per patch; reshape copies
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(m, Ho * Wo, C * kh * kw)


def col2im(dP: ArrayLike, image_shape: tuple[int, int, int, int], kernel: IntPair,
           stride: IntPair = 1, padding: IntPair = 0) -> np.ndarray:
    """The adjoint of ``im2col``: add every patch row back where it came from.

    Args:
        dP: ``(m, H_out W_out, C k_h k_w)``, e.g. the gradient with respect to the patches.
        image_shape: ``(m, C, H, W)`` of the images ``im2col`` was applied to.

    Returns:
        ``(m, C, H, W)``. A pixel that lies in several patches receives the sum of their entries,
        which is why the gradient of an input pixel collects every patch it took part in.
    """
    m, C, H, W = (positive_int(s, "image_shape entry") for s in image_shape)
    (kh, kw), (sh, sw) = int_pair(kernel, "kernel"), int_pair(stride, "stride")
    ph, pw = int_pair(padding, "padding", allow_zero=True)
    Ho, Wo = output_shape((H, W), (kh, kw), (sh, sw), (ph, pw))
    dP = as_float_array(dP, "dP")
    if dP.shape != (m, Ho * Wo, C * kh * kw):
        raise ValueError(f"dP must have shape {(m, Ho * Wo, C * kh * kw)}, got {dP.shape}")
    patches = dP.reshape(m, Ho, Wo, C, kh, kw)
    dXp = np.zeros((m, C, H + 2 * ph, W + 2 * pw))
    for i in range(kh):      # loop over the kernel's k_h k_w offsets, not over the many patches
        for j in range(kw):
            dXp[:, :, i:i + sh * (Ho - 1) + 1:sh, j:j + sw * (Wo - 1) + 1:sw] += (
                patches[:, :, :, :, i, j].transpose(0, 3, 1, 2))
    return dXp[:, :, ph:ph + H, pw:pw + W]


class _PatchLayer(Module):
    """What Conv2d and LocallyConnected2d share: the patch geometry, the gradients of ``W`` and
    ``b``, and the patches kept for backward. Not a layer by itself."""

    params = (("W", "dW"), ("b", "db"))
    saved = ("P", "X_shape")
    W: np.ndarray
    b: np.ndarray | None

    def __init__(self, c_in: int, c_out: int, kernel: IntPair, stride: IntPair,
                 padding: IntPair) -> None:
        self.c_in, self.c_out = positive_int(c_in, "c_in"), positive_int(c_out, "c_out")
        self.kernel, self.stride = int_pair(kernel, "kernel"), int_pair(stride, "stride")
        self.padding = int_pair(padding, "padding", allow_zero=True)
        self.n_in = self.c_in * self.kernel[0] * self.kernel[1]  # the length of one patch
        self.X_shape: tuple[int, ...] | None = None
        self.P: np.ndarray | None = None

    def _zero_gradients(self) -> None:
        self.dW = np.zeros_like(self.W)
        self.db = None if self.b is None else np.zeros_like(self.b)


class Conv2d(_PatchLayer):
    """A 2-D convolution as ``im2col`` plus one shared dense weight matrix.

    Args:
        c_in, c_out: input and output channels.
        kernel, stride, padding: integers or ``(h, w)`` pairs (zero padding on each side).
        bias, init, bias_init, rng: as for ``Linear``.

    Shapes: ``W: (c_out, c_in k_h k_w)``, ``b: (c_out,)``, ``X: (m, c_in, H, W)``,
    output ``(m, c_out, H_out, W_out)``. Every patch is a sample of the same ``Linear`` layer,
    so ``dW`` and ``db`` are sums over samples *and* patches.
    """

    def __init__(self, c_in: int, c_out: int, kernel: IntPair, stride: IntPair = 1,
                 padding: IntPair = 0, bias: bool = True, init: InitSpec = "xavier_uniform",
                 bias_init: InitSpec = "zeros", rng: np.random.Generator | None = None) -> None:
        super().__init__(c_in, c_out, kernel, stride, padding)
        self.W = _init.initialize(init, (self.c_out, self.n_in), rng)
        self.b = _init.initialize(bias_init, (self.c_out,), rng) if bias else None
        self._zero_gradients()

    def forward(self, X: ArrayLike) -> np.ndarray:
        X = _check_images(X, self.c_in)
        m, _, H, W = X.shape
        Ho, Wo = output_shape((H, W), self.kernel, self.stride, self.padding)
        self.X_shape = X.shape
        self.P = P = im2col(X, self.kernel, self.stride, self.padding)  # kept for dW
        Z = P @ self.W.T                                            # (m, patches, c_out)
        if self.b is not None:
            Z += self.b
        return Z.transpose(0, 2, 1).reshape(m, self.c_out, Ho, Wo)

    def backward(self, dZ: ArrayLike) -> np.ndarray:
        P, X_shape = self._need_forward("P"), self._need_forward("X_shape")
        m, patches = P.shape[:2]
        dZ = as_float_array(dZ, "dZ")
        if dZ.ndim != 4 or dZ.shape[:2] != (m, self.c_out) or dZ.shape[2] * dZ.shape[3] != patches:
            raise ValueError(f"dZ must have the shape of the forward output, got {dZ.shape}")
        dZ = dZ.reshape(m, self.c_out, patches).transpose(0, 2, 1)   # (m, patches, c_out)
        rows = dZ.reshape(m * patches, self.c_out)
        # the shared W collects one outer product per sample and per patch
        self.dW = rows.T @ P.reshape(m * patches, -1)
        if self.b is not None:
            self.db = rows.sum(axis=0)
        return col2im(dZ @ self.W, X_shape, self.kernel, self.stride, self.padding)

    def __repr__(self) -> str:
        return (f"Conv2d(c_in={self.c_in}, c_out={self.c_out}, kernel={self.kernel}, "
                f"stride={self.stride}, padding={self.padding}, bias={self.b is not None})")


class LocallyConnected2d(_PatchLayer):
    """The convolution's wiring without its sharing: patch ``p`` has its own ``W[p]`` and ``b[p]``.

    Args:
        c_in, c_out, kernel, stride, padding, bias, init, bias_init, rng: as for ``Conv2d``.
        image_size: ``H`` or ``(H, W)``; fixed, because there is one filter bank per position.

    Shapes: ``W: (patches, c_out, c_in k_h k_w)``, ``b: (patches, c_out)``,
    ``X: (m, c_in, H, W)``, output ``(m, c_out, H_out, W_out)``.
    """

    def __init__(self, c_in: int, c_out: int, image_size: IntPair, kernel: IntPair,
                 stride: IntPair = 1, padding: IntPair = 0, bias: bool = True,
                 init: InitSpec = "xavier_uniform", bias_init: InitSpec = "zeros",
                 rng: np.random.Generator | None = None) -> None:
        super().__init__(c_in, c_out, kernel, stride, padding)
        self.image_size = int_pair(image_size, "image_size")
        self.out_shape = output_shape(self.image_size, self.kernel, self.stride, self.padding)
        patches = self.out_shape[0] * self.out_shape[1]
        # each position draws its filter bank exactly as Conv2d draws its single one
        self.W = np.stack([_init.initialize(init, (self.c_out, self.n_in), rng)
                           for _ in range(patches)])
        self.b = (np.stack([_init.initialize(bias_init, (self.c_out,), rng)
                            for _ in range(patches)]) if bias else None)
        self._zero_gradients()

    def forward(self, X: ArrayLike) -> np.ndarray:
        X = _check_images(X, self.c_in)
        if X.shape[2:] != self.image_size:
            raise ValueError(f"X must hold images of size {self.image_size}, got {X.shape[2:]}")
        m = X.shape[0]
        self.X_shape = X.shape
        self.P = P = im2col(X, self.kernel, self.stride, self.padding)
        # patch p of every sample times its own matrix: a batched product over patches
        Z = (P.transpose(1, 0, 2) @ self.W.transpose(0, 2, 1)).transpose(1, 0, 2)
        if self.b is not None:
            Z = Z + self.b
        return Z.transpose(0, 2, 1).reshape(m, self.c_out, *self.out_shape)

    def backward(self, dZ: ArrayLike) -> np.ndarray:
        P, X_shape = self._need_forward("P"), self._need_forward("X_shape")
        m, patches = P.shape[:2]
        dZ = as_float_array(dZ, "dZ")
        if dZ.shape != (m, self.c_out, *self.out_shape):
            raise ValueError(f"dZ must have shape {(m, self.c_out, *self.out_shape)}, "
                             f"got {dZ.shape}")
        dZ = dZ.reshape(m, self.c_out, patches).transpose(2, 0, 1)      # (patches, m, c_out)
        self.dW = dZ.transpose(0, 2, 1) @ P.transpose(1, 0, 2)      # a sum over samples only
        if self.b is not None:
            self.db = dZ.sum(axis=1)
        dP = (dZ @ self.W).transpose(1, 0, 2)                           # (m, patches, n_in)
        return col2im(dP, X_shape, self.kernel, self.stride, self.padding)

    def __repr__(self) -> str:
        return (f"LocallyConnected2d(c_in={self.c_in}, c_out={self.c_out}, "
                f"image_size={self.image_size}, kernel={self.kernel}, stride={self.stride}, "
                f"padding={self.padding}, bias={self.b is not None})")


class GlobalAvgPool2d(Module):
    """The mean over all positions of each channel: ``(m, C, H, W) -> (m, C)``.

    After a convolution it turns "where is the pattern" into "how much of the pattern", which
    makes the output invariant to shifts that keep the pattern inside the image.
    """

    saved = ("X_shape",)

    def __init__(self) -> None:
        self.X_shape: tuple[int, ...] | None = None

    def forward(self, X: ArrayLike) -> np.ndarray:
        X = _check_images(X)
        self.X_shape = X.shape
        return X.mean(axis=(2, 3))

    def backward(self, dZ: ArrayLike) -> np.ndarray:
        shape = self._need_forward("X_shape")
        m, C, H, W = shape
        dZ = as_float_array(dZ, "dZ")
        if dZ.shape != (m, C):
            raise ValueError(f"dZ must have shape {(m, C)}, got {dZ.shape}")
        return np.broadcast_to(dZ[:, :, None, None] / (H * W), shape).copy()

    def __repr__(self) -> str:
        return "GlobalAvgPool2d()"
