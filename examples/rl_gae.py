"""Advantage and return computation for a PPO-style update, ported line by line from NumPy.

Anti-patterns, as jaxloop-lint reports them:
  * `for t in reversed(range(T))` with T = rewards.shape[0] unrolls once per step   (JXL102)
  * `advantages[t] = ...` on a JAX array: TypeError, eagerly and under jit          (JXL204)
  * `for r, d in zip(reversed(rewards), reversed(dones))` unrolls the same way      (JXL101)
  * `returns.append(g)` + `jnp.stack(returns[::-1])`: a reverse scan's ys by hand  (JXL201)
Loops that stay quiet: the per-key normalisation over a dict of batch fields, and the
`range(N_EPOCHS)` epoch loop of the host-side (untraced) training driver.

`gae` raises TypeError in every mode (JAX arrays are immutable), so the demo reports the error
and then runs `discounted_returns`, which works under jit.
"""
import jax
import jax.numpy as jnp

N_EPOCHS = 2


@jax.jit
def gae(rewards, values, dones, gamma=0.99, lam=0.95):
    """Generalised advantage estimation over one rollout; values has T + 1 entries."""
    T = rewards.shape[0]
    advantages = jnp.zeros_like(rewards)
    last = 0.0
    for t in reversed(range(T)):
        not_done = 1.0 - dones[t]
        delta = rewards[t] + gamma * values[t + 1] * not_done - values[t]
        last = delta + gamma * lam * not_done * last
        advantages[t] = last
    return advantages


@jax.jit
def discounted_returns(rewards, dones, bootstrap, gamma=0.99):
    """Monte-Carlo returns, bootstrapped from the value of the state after the rollout."""
    g = bootstrap
    returns = []
    for r, d in zip(reversed(rewards), reversed(dones)):
        g = r + gamma * (1.0 - d) * g
        returns.append(g)
    return jnp.stack(returns[::-1])


@jax.jit
def normalize_batch(batch):
    out = {}
    for name, x in batch.items():  # quiet: a dict of fields
        out[name] = (x - x.mean()) / (x.std() + 1e-8)
    return out


def train(rollout):
    """Host-side driver: not traced, its loops are ordinary Python."""
    stats = []
    for epoch in range(N_EPOCHS):
        rets = discounted_returns(rollout["rewards"], rollout["dones"], rollout["bootstrap"])
        stats.append(float(normalize_batch({"returns": rets})["returns"].std()))
    return stats


if __name__ == "__main__":
    key = jax.random.key(0)
    rewards = jax.random.normal(key, (8,))
    values = jax.random.normal(jax.random.key(1), (9,))
    dones = jnp.zeros(8).at[3].set(1.0)
    for mode in ("jit", "disable_jit"):
        try:
            if mode == "jit":
                gae(rewards, values, dones)
            else:
                with jax.disable_jit():
                    gae(rewards, values, dones)
        except TypeError as e:
            print(f"gae under {mode}: TypeError: {str(e).splitlines()[0][:60]}...")
    print("discounted_returns:", discounted_returns(rewards, dones, values[-1]).round(3))
    print("train:", train({"rewards": rewards, "dones": dones, "bootstrap": values[-1]}))
