"""Run a model over a data loader, on one process or across processes."""
import os
import os.path as osp
import pickle
import shutil
import tempfile
from typing import List, Optional

import mmcv
import torch
import torch.distributed as dist
from mmcv.runner import get_dist_info

from mmpose.errors import ArgumentError
from .fast_inference import check_precision, predict


def _batch_size(data: dict) -> int:
    """Number of samples in a collated batch (length of its first entry)."""
    first = next(iter(data.values()))
    if hasattr(first, 'data') and isinstance(first.data, list):
        return sum(len(part) for part in first.data)  # a DataContainer
    return len(first)


def single_gpu_test(model: torch.nn.Module,
                    data_loader,
                    fast: bool = False,
                    precision: str = 'fp32') -> list:
    """Test model with a single gpu.

    Runs inference on one GPU over the whole loader while showing a
    progress bar.

    Args:
        model (nn.Module): Model to be tested.
        data_loader (nn.Dataloader): Pytorch data loader.
        fast (bool): Run the cached fast copy of
            :mod:`mmpose.apis.fast_inference` (BatchNorm folded, oneDNN
            fusions on the CPU; exact up to float rounding; ``model`` is
            left as it is).
        precision (str): 'fp32', or 'bf16' / 'fp16' to run the network
            under ``torch.autocast`` (see :mod:`mmpose.apis.fast_inference`).

    Returns:
        list: The prediction results, one entry per batch.
    """
    check_precision(precision)
    model.eval()
    results = []
    prog_bar = mmcv.ProgressBar(len(data_loader.dataset))
    for data in data_loader:
        result = predict(model, fast, precision, **data)
        results.append(result)
        for _ in range(_batch_size(data)):
            prog_bar.update()
    return results


def multi_gpu_test(model: torch.nn.Module,
                   data_loader,
                   tmpdir: Optional[str] = None,
                   gpu_collect: bool = False) -> Optional[list]:
    """Test model with multiple gpus.

    Every GPU runs inference on its part of the data; the partial results
    are then gathered in one of two ways (GPU or CPU collection). By setting
    'gpu_collect=True' it encodes results to tensors and uses collective
    communication (``all_gather``, on GPU tensors with NCCL and CPU tensors
    with gloo) for results collection. On cpu mode it saves the results on
    different gpus to 'tmpdir' and collects them by the rank 0 worker.

    Args:
        model (nn.Module): Model to be tested.
        data_loader (nn.Dataloader): Pytorch data loader (with the
            interleaving ``DistributedSampler``).
        tmpdir (str): Path of directory to save the temporary results from
            different gpus under cpu mode.
        gpu_collect (bool): Option to use either gpu or cpu to collect
            results.

    Returns:
        list | None: The prediction results in dataset order on rank 0,
        None on the other ranks.
    """
    model.eval()
    results = []
    dataset = data_loader.dataset
    rank, world_size = get_dist_info()
    prog_bar = mmcv.ProgressBar(len(dataset)) if rank == 0 else None
    for data in data_loader:
        with torch.no_grad():
            result = model(return_loss=False, **data)
        results.append(result)
        if prog_bar is not None:
            for _ in range(_batch_size(data) * world_size):
                prog_bar.update()
    if gpu_collect:
        return collect_results_gpu(results, len(dataset))
    return collect_results_cpu(results, len(dataset), tmpdir)


def _interleave(part_list: List[list], size: int) -> list:
    """Undo the round-robin split of the distributed sampler."""
    ordered = []
    longest = max(len(part) for part in part_list)
    for index in range(longest):
        for part in part_list:
            if index < len(part):
                ordered.append(part[index])
    return ordered[:size]


def _collective_device() -> torch.device:
    """Where tensors must live for the current backend's collectives."""
    if dist.get_backend() == 'nccl':
        return torch.device('cuda', torch.cuda.current_device())
    return torch.device('cpu')


def collect_results_cpu(result_part: list,
                        size: int,
                        tmpdir: Optional[str] = None) -> Optional[list]:
    """Collect results through a shared directory.

    Each rank pickles its part to ``tmpdir/part_{rank}.pkl``; rank 0 reads
    them all, restores the dataset order and removes the directory.

    Args:
        result_part (list): Results of this rank.
        size (int): Number of samples in the dataset.
        tmpdir (str | None): Directory visible to every rank; a fresh one
            (created by rank 0 and broadcast) when None.

    Returns:
        list | None: All results on rank 0, None elsewhere.
    """
    rank, world_size = get_dist_info()
    if world_size == 1:
        return result_part[:size]
    auto_tmpdir = tmpdir is None
    if auto_tmpdir:
        # rank 0 makes the directory; its name is broadcast as bytes
        max_len = 512
        buffer = torch.full((max_len, ), 32, dtype=torch.uint8,
                            device=_collective_device())
        if rank == 0:
            mmcv.mkdir_or_exist('.dist_test')
            tmpdir = tempfile.mkdtemp(dir='.dist_test')
            encoded = torch.tensor(
                bytearray(tmpdir.encode()), dtype=torch.uint8)
            if len(encoded) > max_len:
                raise ArgumentError(f'temporary directory path too long '
                                    f'(over {max_len} bytes): {tmpdir}')
            buffer[:len(encoded)] = encoded
        dist.broadcast(buffer, 0)
        tmpdir = buffer.cpu().numpy().tobytes().decode().rstrip()
    else:
        mmcv.mkdir_or_exist(tmpdir)
    with open(osp.join(tmpdir, f'part_{rank}.pkl'), 'wb') as f:
        pickle.dump(result_part, f, protocol=pickle.HIGHEST_PROTOCOL)
    dist.barrier()
    if rank != 0:
        dist.barrier()
        return None
    part_list = []
    for i in range(world_size):
        with open(osp.join(tmpdir, f'part_{i}.pkl'), 'rb') as f:
            part_list.append(pickle.load(f))
    ordered = _interleave(part_list, size)
    shutil.rmtree(tmpdir)
    if auto_tmpdir:
        try:  # only when no other run uses it
            os.rmdir(osp.dirname(tmpdir))
        except OSError:
            pass
    dist.barrier()
    return ordered


def collect_results_gpu(result_part: list, size: int) -> Optional[list]:
    """Collect results with ``all_gather`` of pickled bytes.

    Works with NCCL (CUDA tensors) and gloo (CPU tensors).

    Args:
        result_part (list): Results of this rank.
        size (int): Number of samples in the dataset.

    Returns:
        list | None: All results on rank 0, None elsewhere.
    """
    rank, world_size = get_dist_info()
    if world_size == 1:
        return result_part[:size]
    device = _collective_device()
    payload = torch.tensor(
        bytearray(pickle.dumps(result_part, protocol=pickle.HIGHEST_PROTOCOL)),
        dtype=torch.uint8, device=device)
    local_size = torch.tensor([payload.numel()], device=device)
    sizes = [torch.zeros_like(local_size) for _ in range(world_size)]
    dist.all_gather(sizes, local_size)
    max_size = int(max(s.item() for s in sizes))
    padded = torch.zeros(max_size, dtype=torch.uint8, device=device)
    padded[:payload.numel()] = payload
    gathered = [torch.empty_like(padded) for _ in range(world_size)]
    dist.all_gather(gathered, padded)
    if rank != 0:
        return None
    part_list = [
        pickle.loads(buf[:int(n.item())].cpu().numpy().tobytes())
        for buf, n in zip(gathered, sizes)
    ]
    return _interleave(part_list, size)


__all__ = [
    'single_gpu_test', 'multi_gpu_test', 'collect_results_cpu',
    'collect_results_gpu'
]
