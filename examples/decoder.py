"""Greedy decoding for a tiny bag-of-embeddings language model, and a frame-synchronous decoder.

Anti-patterns, as jaxloop-lint reports them:
  * `for _ in range(max_new_tokens)` with a traced `max_new_tokens`
    -> TracerIntegerConversionError under jit                              (JXL103)
  * `tokens = jnp.concatenate([tokens, ...])` grows the sequence every step:
    quadratic copying and a new shape each step                           (JXL202, twice)
  * `for frame in enc` unrolls once per encoder frame                      (JXL101)
Loops that stay quiet: the output MLP over a list of (w, b) pairs, and the `range(N_HEADS)` loop
over a module-level constant.

`generate` raises under jit; the demo runs it under jax.disable_jit().
"""
import jax
import jax.numpy as jnp

VOCAB, DIM, N_HEADS = 12, 16, 2


def init_params(key):
    k = jax.random.split(key, 6)
    return {
        "embed": jax.random.normal(k[0], (VOCAB, DIM)) * 0.5,
        "heads": jax.random.normal(k[1], (N_HEADS, DIM, DIM)) / jnp.sqrt(DIM),
        "mlp": [(jax.random.normal(k[2], (DIM, DIM)) / jnp.sqrt(DIM), jnp.zeros(DIM)),
                (jax.random.normal(k[3], (DIM, VOCAB)) / jnp.sqrt(DIM), jnp.zeros(VOCAB))],
        "W_h": jax.random.normal(k[4], (DIM, DIM)) * 0.3,
        "W_out": jax.random.normal(k[5], (VOCAB, DIM)),
    }


def next_token_logits(params, tokens):
    """Mean of the token embeddings so far, through a few heads and an MLP."""
    ctx = params["embed"][tokens].mean(axis=0)
    mixed = ctx
    for head in range(N_HEADS):  # quiet: a module constant
        mixed = mixed + jnp.tanh(params["heads"][head] @ ctx)
    for w, b in params["mlp"]:  # quiet: a Python list of layers
        mixed = mixed @ w + b
    return mixed


@jax.jit
def generate(params, prompt, max_new_tokens):
    """Greedily extend `prompt` by `max_new_tokens` tokens."""
    tokens = prompt
    for _ in range(max_new_tokens):
        nxt = jnp.argmax(next_token_logits(params, tokens))
        tokens = jnp.concatenate([tokens, nxt[None]])
    return tokens


@jax.jit
def frame_sync_decode(params, enc, bos):
    """One output token per encoder frame (CTC / transducer style), conditioned on the last."""
    h = jnp.zeros(DIM)
    tok = bos
    tokens = jnp.zeros((0,), jnp.int32)
    for frame in enc:
        h = jnp.tanh(params["W_h"] @ h + frame + params["embed"][tok])
        tok = jnp.argmax(params["W_out"] @ h)
        tokens = jnp.concatenate([tokens, tok[None]])
    return tokens


if __name__ == "__main__":
    params = init_params(jax.random.key(0))
    prompt = jnp.array([1, 2, 3])
    try:
        generate(params, prompt, 4)
    except jax.errors.TracerIntegerConversionError as e:
        print("generate under jit:", type(e).__name__)
    with jax.disable_jit():
        print("generate under disable_jit:", generate(params, prompt, 4))
    enc = jax.random.normal(jax.random.key(1), (5, DIM))
    print("frame_sync_decode:", frame_sync_decode(params, enc, 0))
