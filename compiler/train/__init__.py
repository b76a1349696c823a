"""Reinforcement learning on a generated engine (`tcgc train`, `tcgc eval`, `tcgc verify --level policy`).

PPO with an action-masked policy+value network (flax) on a generated JAX engine's `Env`, every step on device inside
`jit`: the learner plays one seat, the opponent (random bot, greedy bot or a past snapshot of the learner) moves
inside the same batched loop of engine steps. docs/train.md explains the algorithm, the options and the checkpoint
format.

Modules: `features` (the observation as network inputs, and the reference engine's observation vector), `network`
(the policy+value network and the masked categorical), `opponents` (random and greedy bots in JAX), `arena` (the
learner's seat over a batch of games), `ppo` (rollout, GAE, minibatch updates), `checkpoint` (the .npz format),
`loop` (the training loop), `evaluate` (games of a policy on either engine), `plot` (learning curves).
"""
