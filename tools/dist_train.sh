#!/usr/bin/env bash
# Train on GPUS processes per machine, on one machine or several.
#   usage: bash tools/dist_train.sh CONFIG GPUS [ARGS...]
#   env:   NNODES=1 NODE_RANK=0 MASTER_ADDR=127.0.0.1 PORT=29500 PYTHON=python
# On several machines run the same command on each, with the same NNODES,
# MASTER_ADDR (an address of the NODE_RANK=0 machine that the others reach)
# and PORT, and NODE_RANK=0..NNODES-1. Without GPUs the processes talk over
# gloo instead of NCCL (mmpose.core.utils.init_dist).

if [ $# -lt 2 ]; then
    echo "usage: bash $0 CONFIG GPUS [ARGS...]" >&2
    exit 2
fi

CONFIG=$1
GPUS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
PYTHON=${PYTHON:-python}

PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH \
exec "$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" \
    --master_port="$PORT" \
    "$(dirname "$0")/train.py" \
    "$CONFIG" \
    --launcher pytorch "${@:3}"
