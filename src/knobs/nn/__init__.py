"""The engine (NumPy only): ``Module`` and its containers, ``Linear``, convolutions, the LSTM cell,
the ODE block, activations with their second derivatives, losses with their curvature, norms,
initializers, optimizers, flat parameter vectors and the gradient check."""
