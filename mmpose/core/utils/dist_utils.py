"""Process-group setup and gradient all-reduce for distributed runs."""
import os
import subprocess
from collections import OrderedDict
from typing import Iterable, List, Optional

import numpy as np
import torch
import torch.distributed as dist
from torch._utils import (_flatten_dense_tensors, _take_tensors,
                          _unflatten_dense_tensors)

from mmpose.errors import UnknownNameError


def _allreduce_coalesced(tensors: List[torch.Tensor], world_size: int,
                         bucket_size_mb: int = -1) -> None:
    """Average ``tensors`` over ranks, a flat buffer per dtype (or bucket)."""
    if bucket_size_mb > 0:
        buckets = _take_tensors(tensors, bucket_size_mb * 1024 * 1024)
    else:
        by_type = OrderedDict()
        for tensor in tensors:
            by_type.setdefault(tensor.type(), []).append(tensor)
        buckets = by_type.values()
    for bucket in buckets:
        flat = _flatten_dense_tensors(bucket)
        dist.all_reduce(flat)
        flat.div_(world_size)
        for tensor, synced in zip(
                bucket, _unflatten_dense_tensors(flat, bucket)):
            tensor.copy_(synced)


def allreduce_grads(params: Iterable[torch.nn.Parameter],
                    coalesce: bool = True,
                    bucket_size_mb: int = -1) -> None:
    """Allreduce gradients: replace each gradient by its mean over ranks.

    Parameters without a gradient (or not requiring one) are skipped. With
    no initialised process group, or a single process, nothing changes.

    Args:
        params (list[torch.Parameters]): List of parameters of a model.
        coalesce (bool, optional): Whether allreduce parameters as a whole
            (one flat buffer per dtype). Default: True.
        bucket_size_mb (int, optional): Size of bucket, the unit is MB.
            -1 means one bucket per dtype. Default: -1.
    """
    if not (dist.is_available() and dist.is_initialized()):
        return
    world_size = dist.get_world_size()
    if world_size == 1:
        return
    grads = [
        param.grad.data for param in params
        if param.requires_grad and param.grad is not None
    ]
    if not grads:
        return
    if coalesce:
        _allreduce_coalesced(grads, world_size, bucket_size_mb)
    else:
        for grad in grads:
            dist.all_reduce(grad.div_(world_size))


def _env_int(name: str) -> int:
    if name not in os.environ:
        raise UnknownNameError(
            f'environment variable {name} is not set; start the '
            f'processes with the matching launcher')
    return int(os.environ[name])


def init_dist(launcher: str, backend: str = 'nccl', **kwargs) -> str:
    """Join the process group of a distributed run.

    The rank and world size come from the launcher's environment (torchrun
    for ``'pytorch'``, ``srun`` for ``'slurm'``, ``mpirun`` for ``'mpi'``).
    Without a GPU the backend falls back to gloo, so the same command runs
    on a laptop. With GPUs each process takes ``local_rank % num_gpus``.

    Args:
        launcher (str): ``'pytorch'``, ``'slurm'`` or ``'mpi'``.
        backend (str): Backend asked for (``cfg.dist_params.backend``).
        kwargs: ``port`` (slurm master port) and other
            ``init_process_group`` arguments.

    Returns:
        str: The backend in use.
    """
    if not torch.cuda.is_available() and backend == 'nccl':
        backend = 'gloo'
    port = kwargs.pop('port', None)
    if launcher == 'pytorch':
        local_rank = int(os.environ.get('LOCAL_RANK', 0))
    elif launcher == 'slurm':
        rank = _env_int('SLURM_PROCID')
        ntasks = _env_int('SLURM_NTASKS')
        node_list = os.environ['SLURM_NODELIST']
        local_rank = int(os.environ.get('SLURM_LOCALID', rank))
        master = subprocess.getoutput(
            f'scontrol show hostname {node_list} | head -n1')
        if port is not None:
            os.environ['MASTER_PORT'] = str(port)
        os.environ.setdefault('MASTER_PORT', '29500')
        os.environ.setdefault('MASTER_ADDR', master)
        os.environ['WORLD_SIZE'] = str(ntasks)
        os.environ['LOCAL_RANK'] = str(local_rank)
        os.environ['RANK'] = str(rank)
    elif launcher == 'mpi':
        rank = _env_int('OMPI_COMM_WORLD_RANK')
        local_rank = _env_int('OMPI_COMM_WORLD_LOCAL_RANK')
        os.environ['WORLD_SIZE'] = str(_env_int('OMPI_COMM_WORLD_SIZE'))
        os.environ['RANK'] = str(rank)
        os.environ['LOCAL_RANK'] = str(local_rank)
        os.environ.setdefault('MASTER_ADDR', '127.0.0.1')
        os.environ.setdefault('MASTER_PORT', str(port or 29500))
    else:
        raise UnknownNameError(
            f'invalid launcher type: {launcher!r} (expected '
            f"'pytorch', 'slurm' or 'mpi')")
    if backend == 'nccl':
        torch.cuda.set_device(local_rank % torch.cuda.device_count())
    dist.init_process_group(backend=backend, **kwargs)
    return backend


def sync_random_seed(seed: Optional[int] = None,
                     device: str = 'cuda') -> int:
    """One random seed shared by every process of a distributed run.

    Rank 0 draws a seed (or takes ``seed``) and broadcasts it, so samplers
    that shuffle with it agree across processes; without a process group
    the seed is returned as it is.

    Args:
        seed (int, optional): The seed; None draws one in [0, 2**31).
        device (str): Device of the tensor broadcast ('cuda' for NCCL,
            'cpu' for gloo).

    Returns:
        int: The seed of rank 0.
    """
    if seed is None:
        seed = np.random.randint(2**31)
    if not (dist.is_available() and dist.is_initialized()) or \
            dist.get_world_size() == 1:
        return seed
    value = torch.tensor(seed if dist.get_rank() == 0 else 0,
                         dtype=torch.int32, device=device)
    dist.broadcast(value, src=0)
    return int(value.item())
