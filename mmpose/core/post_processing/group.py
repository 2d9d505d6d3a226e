"""Associative-embedding grouping for bottom-up pose estimation.

Newell et al. Associative Embedding: End-to-End Learning for Joint Detection
and Grouping (NeurIPS 2017). Candidates are the top-k peaks of each joint's
heatmap; joints are added to people one joint type at a time by matching
their tags to the people's mean tags with the Hungarian algorithm.
"""
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment

from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError

try:
    from munkres import Munkres
except ImportError:  # pragma: no cover - munkres is a runtime requirement
    Munkres = None

__all__ = ['HeatmapParser', 'max_match', 'match_by_tag']
# 0.x also had the private helpers ``_py_max_match``, ``_match_by_tag`` and
# ``_Params`` here; user code imports them directly.

#: Joint order used to grow people for the 17 COCO keypoints: head, arms,
#: hips, then legs (0-based).
COCO_JOINT_ORDER = [0, 1, 2, 3, 4, 5, 6, 11, 12, 7, 8, 9, 10, 13, 14, 15, 16]


def max_match(cost: np.ndarray,
              backend: Optional[str] = None) -> Tuple[np.ndarray, np.ndarray]:
    """Minimum-cost assignment of rows to columns (Hungarian algorithm).

    Args:
        cost (np.ndarray[R, C]): Cost matrix with R <= C.
        backend (str, optional): ``'munkres'`` or ``'scipy'``. Default:
            munkres when installed, else scipy.

    Returns:
        tuple: ``(rows, cols)`` integer arrays, sorted by row.
    """
    if backend is None:
        backend = 'munkres' if Munkres is not None else 'scipy'
    if backend == 'scipy':
        rows, cols = linear_sum_assignment(cost)
        return rows.astype(np.int64), cols.astype(np.int64)
    if backend == 'munkres':
        if Munkres is None:
            raise ImportError('backend="munkres" needs the munkres package')
        pairs = np.array(Munkres().compute(cost.tolist()),
                         dtype=np.int64).reshape(-1, 2)
        return pairs[:, 0], pairs[:, 1]
    raise UnknownNameError(f"backend should be 'munkres' or 'scipy', got "
                           f'{backend!r}')


def _py_max_match(scores: np.ndarray) -> np.ndarray:
    """Minimum-cost assignment as 0.x returned it.

    Args:
        scores (np.ndarray[R, C]): Cost matrix.

    Returns:
        np.ndarray[P, 2]: The assigned (row, column) pairs (int).
    """
    rows, cols = max_match(np.asarray(scores, dtype=np.float64))
    return np.stack([rows, cols], axis=1).astype(int)


class _Params:
    """Grouping parameters read from a bottom-up ``test_cfg``."""

    def __init__(self, cfg: dict):
        self.num_joints = cfg['num_joints']
        self.max_num_people = cfg['max_num_people']
        self.detection_threshold = cfg['detection_threshold']
        self.tag_threshold = cfg['tag_threshold']
        self.use_detection_val = cfg['use_detection_val']
        self.ignore_too_much = cfg['ignore_too_much']
        self.match_backend = cfg.get('match_backend', None)
        if self.num_joints == 17:
            self.joint_order = list(COCO_JOINT_ORDER)
        else:
            self.joint_order = list(range(self.num_joints))


def _matching_cost(dist: np.ndarray, values: np.ndarray,
                   use_detection_val: bool) -> np.ndarray:
    """Cost of giving candidate joints (rows) to people (columns).

    With ``use_detection_val`` the cost is ``round(dist) * 100 - score`` as in
    MMPose 0.x. Its rounded part ties often, and different Hungarian solvers
    break ties differently, so ties are broken by the squared unrounded
    distance (not the distance itself: with 1-D tags many assignments share
    the same total distance), scaled so that it sums to less than 1e-6 over
    any assignment: every backend then returns the same assignment.
    """
    if not use_detection_val:
        return dist
    primary = np.round(dist) * 100 - values[:, None]
    squared = dist**2
    tie_break = squared * (1e-6 / (dist.shape[0] * (squared.max() + 1.0)))
    return primary + tie_break


def match_by_tag(tag_k: np.ndarray, loc_k: np.ndarray, val_k: np.ndarray,
                 params: _Params) -> np.ndarray:
    """Group the candidates of one image into people.

    Note:
        num_keypoints: K, candidates per keypoint: M, tag dims: S

    Args:
        tag_k (np.ndarray[K, M, S]): Tags of the candidates.
        loc_k (np.ndarray[K, M, 2]): Locations (x, y) of the candidates.
        val_k (np.ndarray[K, M]): Heatmap values of the candidates.
        params (_Params): Grouping parameters.

    Returns:
        np.ndarray[P, K, 3 + S]: People as (x, y, score, tags) per joint,
        float32; undetected joints are zeros.
    """
    K, M, S = tag_k.shape
    candidates = np.concatenate(
        [loc_k, val_k[..., None], tag_k], axis=2).astype(np.float64)
    capacity = K * M
    people = np.zeros((capacity, K, 3 + S), dtype=np.float32)
    tag_sum = np.zeros((capacity, S), dtype=np.float64)
    tag_cnt = np.zeros(capacity, dtype=np.int64)
    # As in 0.x a person is identified by the first tag value it was created
    # with; a new joint whose tag equals an existing key joins that person.
    person_of_key: Dict[float, int] = {}

    def start_people(idx: int, joints: np.ndarray) -> None:
        # Insertion is sequential because each new key may collide with a key
        # added just before it; there are at most M new people per joint.
        for joint in joints:
            key = float(np.float32(joint[3]))
            person = person_of_key.setdefault(key, len(person_of_key))
            people[person, idx] = joint
            tag_sum[person] = joint[3:]
            tag_cnt[person] = 1

    # Joint types are processed one after another: each step matches against
    # the people built by the previous steps.
    for i in range(params.num_joints):
        idx = params.joint_order[i]
        joints = candidates[idx]
        joints = joints[joints[:, 2] > params.detection_threshold]
        if len(joints) == 0:
            continue
        num_people = len(person_of_key)
        if i == 0 or num_people == 0:
            start_people(idx, joints)
            continue
        num_grouped = min(num_people, params.max_num_people)
        if params.ignore_too_much and num_grouped == params.max_num_people:
            continue
        grouped_tags = (tag_sum[:num_grouped] /
                        tag_cnt[:num_grouped, None]).astype(np.float32)
        dist = np.linalg.norm(
            joints[:, None, 3:] - grouped_tags[None], ord=2, axis=2)
        cost = _matching_cost(dist, joints[:, 2], params.use_detection_val)
        num_added = len(joints)
        if num_added > num_grouped:
            # Columns for new people. Exactly num_added - num_grouped rows
            # land there whatever their cost, so a constant cost (0.x used
            # 1e10) leaves the optimum unchanged; 0 keeps the numbers small.
            cost = np.concatenate(
                [cost, np.zeros((num_added, num_added - num_grouped))],
                axis=1)
        rows, cols = max_match(cost, params.match_backend)
        matched = cols < num_grouped
        matched[matched] = (
            dist[rows[matched], cols[matched]] < params.tag_threshold)
        persons = cols[matched]
        people[persons, idx] = joints[rows[matched]]
        tag_sum[persons] += joints[rows[matched], 3:]
        tag_cnt[persons] += 1
        start_people(idx, joints[rows[~matched]])
    return people[:len(person_of_key)]


def _match_by_tag(inp: Tuple[np.ndarray, np.ndarray, np.ndarray],
                  params: _Params) -> np.ndarray:
    """0.x calling convention of :func:`match_by_tag`.

    Args:
        inp (tuple): ``(tag_k [K, M, L], loc_k [K, M, 2], val_k [K, M])``.
        params (_Params): Grouping parameters.

    Returns:
        np.ndarray[P, K, 3 + L]: The grouped people.
    """
    if not isinstance(params, _Params):
        raise ArgumentTypeError(f'params should be a _Params instance, got '
                                f'{type(params).__name__}')
    tag_k, loc_k, val_k = inp
    return match_by_tag(tag_k, loc_k, val_k, params)


class HeatmapParser:
    """Decode bottom-up heatmaps and tag maps into grouped people.

    Args:
        cfg (dict): The model's ``test_cfg`` with ``num_joints``,
            ``max_num_people``, ``detection_threshold``, ``tag_threshold``,
            ``use_detection_val``, ``ignore_too_much``, ``tag_per_joint``,
            ``nms_kernel``, ``nms_padding`` and optionally ``use_udp``,
            ``score_per_joint`` (0.29: :meth:`parse` scores each joint) and
            ``match_backend`` ('munkres' or 'scipy').
    """

    def __init__(self, cfg: dict):
        self.params = _Params(cfg)
        self.tag_per_joint = cfg['tag_per_joint']
        self.nms_kernel = cfg['nms_kernel']
        self.nms_padding = cfg['nms_padding']
        self.use_udp = cfg.get('use_udp', False)
        self.score_per_joint = cfg.get('score_per_joint', False)

    def nms(self, heatmaps: torch.Tensor) -> torch.Tensor:
        """Keep only local maxima (max-pool NMS).

        Args:
            heatmaps (torch.Tensor[N, K, H, W]): Heatmaps.

        Returns:
            torch.Tensor[N, K, H, W]: Heatmaps zeroed outside local maxima.
        """
        maxm = F.max_pool2d(heatmaps, self.nms_kernel, 1, self.nms_padding)
        return heatmaps * torch.eq(maxm, heatmaps).float()

    def top_k(self, heatmaps: torch.Tensor, tags: torch.Tensor) -> dict:
        """Top ``max_num_people`` peaks of every heatmap and their tags.

        Args:
            heatmaps (torch.Tensor[N, K, H, W]): Heatmaps.
            tags (torch.Tensor[N, K, H, W, S] | torch.Tensor[N, K, H, W]):
                Tag maps (one map for all joints if not ``tag_per_joint``).

        Returns:
            dict: ``tag_k`` (np.ndarray[N, K, M, S]), ``loc_k``
            (np.ndarray[N, K, M, 2], x then y) and ``val_k``
            (np.ndarray[N, K, M]).
        """
        heatmaps = self.nms(heatmaps)
        N, K, H, W = heatmaps.size()
        val_k, ind = heatmaps.view(N, K, -1).topk(
            self.params.max_num_people, dim=2)
        tags = tags.reshape(tags.size(0), tags.size(1), W * H, -1)
        if not self.tag_per_joint:
            tags = tags.expand(-1, self.params.num_joints, -1, -1)
        tag_k = torch.gather(
            tags, 2, ind[..., None].expand(-1, -1, -1, tags.size(3)))
        loc_k = torch.stack((ind % W, ind // W), dim=3)
        return {
            'tag_k': tag_k.cpu().numpy(),
            'loc_k': loc_k.cpu().numpy(),
            'val_k': val_k.cpu().numpy()
        }

    def match(self, tag_k: np.ndarray, loc_k: np.ndarray,
              val_k: np.ndarray) -> List[np.ndarray]:
        """Group the candidates of each image; see :func:`match_by_tag`."""
        return [
            match_by_tag(t, loc, v, self.params)
            for t, loc, v in zip(tag_k, loc_k, val_k)
        ]

    @staticmethod
    def adjust(ans: List[np.ndarray], heatmaps) -> List[np.ndarray]:
        """Shift each joint a quarter pixel towards its higher neighbour and
        add the half-pixel centre offset.

        Args:
            ans (list[np.ndarray[P, K, 3 + S]]): People per image.
            heatmaps (torch.Tensor | np.ndarray[N, K, H, W]): Heatmaps.

        Returns:
            list[np.ndarray[P, K, 3 + S]]: Adjusted people (new arrays).
        """
        heatmaps = _to_numpy(heatmaps)
        _, K, H, W = heatmaps.shape
        adjusted = []
        for hms, people in zip(heatmaps, ans):
            people = people.copy()
            if len(people) == 0:
                adjusted.append(people)
                continue
            x = people[..., 0].astype(np.float64)
            y = people[..., 1].astype(np.float64)
            xx, yy = x.astype(np.int64), y.astype(np.int64)
            k = np.arange(K)[None]
            down = hms[k, np.minimum(H - 1, yy + 1), xx]
            up = hms[k, np.maximum(0, yy - 1), xx]
            right = hms[k, yy, np.minimum(W - 1, xx + 1)]
            left = hms[k, yy, np.maximum(0, xx - 1)]
            y = y + np.where(down > up, 0.25, -0.25) + 0.5
            x = x + np.where(right > left, 0.25, -0.25) + 0.5
            detected = people[..., 2] > 0
            people[..., 0] = np.where(detected, x, people[..., 0])
            people[..., 1] = np.where(detected, y, people[..., 1])
            adjusted.append(people)
        return adjusted

    @staticmethod
    def refine(heatmap: np.ndarray,
               tag: np.ndarray,
               keypoints: np.ndarray,
               use_udp: bool = False) -> np.ndarray:
        """Fill the undetected joints of one person from the heatmaps.

        For every joint the location maximising ``heatmap - round(|tag -
        mean tag of the person|)`` is found; it is used where the person
        lacks that joint and the heatmap value there is positive.

        Note:
            num_keypoints: K, heatmap height: H, width: W, tag dims: S

        Args:
            heatmap (np.ndarray[K, H, W]): Heatmaps of one image.
            tag (np.ndarray[K', H, W] | np.ndarray[K', H, W, S]): Tag maps,
                K' >= K; only the first K are used.
            keypoints (np.ndarray[K, 3 + S]): One person.
            use_udp (bool): No half-pixel offset under UDP.

        Returns:
            np.ndarray[K, 3 + S]: The person with joints filled in.
        """
        K, H, W = heatmap.shape
        if tag.ndim == 3:
            tag = tag[..., None]
        if len(tag) < K or tag.shape[1:3] != (H, W):
            raise ArgumentError(f'tag should have shape [K, H, W(, L)] with '
                                f'K >= {K}, H = {H}, W = {W}, got '
                                f'{tag.shape}')
        # As in 0.x, joint k uses tag map k; extra maps (a tiled shared tag
        # map) are ignored.
        tag = tag[:K]
        keypoints = keypoints.copy()
        detected = np.flatnonzero(keypoints[:, 2] > 0)
        xy = keypoints[detected, :2].astype(np.int64)
        x = np.clip(xy[:, 0], 0, W - 1)
        y = np.clip(xy[:, 1], 0, H - 1)
        prev_tag = np.mean(tag[detected, y, x], axis=0)

        distance = ((tag - prev_tag)**2).sum(axis=3)**0.5
        score_map = (heatmap - np.round(distance)).reshape(K, -1)
        best = np.argmax(score_map, axis=1)
        yy, xx = best // W, best % W
        k = np.arange(K)
        val = heatmap[k, yy, xx]
        offset = 0.0 if use_udp else 0.5
        right = heatmap[k, yy, np.minimum(W - 1, xx + 1)]
        left = heatmap[k, yy, np.maximum(0, xx - 1)]
        down = heatmap[k, np.minimum(H - 1, yy + 1), xx]
        up = heatmap[k, np.maximum(0, yy - 1), xx]
        new_x = xx + offset + np.where(right > left, 0.25, -0.25)
        new_y = yy + offset + np.where(down > up, 0.25, -0.25)

        fill = (val > 0) & (keypoints[:, 2] == 0)
        keypoints[fill, 0] = new_x[fill]
        keypoints[fill, 1] = new_y[fill]
        keypoints[fill, 2] = val[fill]
        return keypoints

    def parse(self,
              heatmaps,
              tags,
              adjust: bool = True,
              refine: bool = True) -> Tuple[List[np.ndarray], List[float]]:
        """Group heatmap peaks into people.

        Args:
            heatmaps (torch.Tensor[N, K, H, W]): Aggregated heatmaps.
            tags (torch.Tensor[N, K, H, W, S]): Aggregated tag maps.
            adjust (bool): Apply the sub-pixel adjustment (DARK under UDP).
            refine (bool): Fill missing joints from the heatmaps (image 0).

        Returns:
            tuple: ``(ans, scores)``: ``ans`` is a list (one per image) of
            np.ndarray[P, K, 3 + S] people and ``scores`` the mean joint
            score of each person of image 0 (before refinement); with
            ``score_per_joint`` each person's joint scores
            (np.ndarray[K]) instead, those of the returned people (0.29
            shares these arrays with the people it refines, so refined
            joints carry their new scores).
        """
        heatmaps = torch.as_tensor(heatmaps)
        tags = torch.as_tensor(tags)
        if heatmaps.dim() != 4:
            raise ArgumentError(
                f'heatmaps should have shape [N, K, H, W], got '
                f'{tuple(heatmaps.shape)}')
        if tags.dim() not in (4, 5) or tags.shape[0] != heatmaps.shape[0]:
            raise ArgumentError(f'tags should have shape [N, K, H, W, S] with '
                                f'the N of heatmaps {tuple(heatmaps.shape)}, '
                                f'got {tuple(tags.shape)}')
        ans = self.match(**self.top_k(heatmaps, tags))

        if adjust:
            if self.use_udp:
                # Imported here: mmpose.core.evaluation imports this package.
                from mmpose.core.evaluation.heatmap_decode import post_dark_udp
                heatmaps_np = _to_numpy(heatmaps)
                for i, people in enumerate(ans):
                    if len(people) > 0:
                        people[..., :2] = post_dark_udp(
                            people[..., :2], heatmaps_np[i:i + 1])
            else:
                ans = self.adjust(ans, heatmaps)

        # mean scores before refinement (per-joint ones are read at the end)
        scores = list(ans[0][:, :, 2].mean(axis=1))

        if refine:
            heatmap_np = _to_numpy(heatmaps[0])
            tag_np = _to_numpy(tags[0])
            if not self.tag_per_joint:
                # The first K maps of the shared map(s) tiled K times (0.x).
                K = self.params.num_joints
                tag_np = tag_np[np.arange(K) % len(tag_np)]
            # People are refined one at a time: each needs the full K x H x W
            # distance map to its own mean tag, so batching them would
            # multiply the memory by the number of people.
            ans[0] = np.stack([
                self.refine(heatmap_np, tag_np, person, use_udp=self.use_udp)
                for person in ans[0]
            ]) if len(ans[0]) else ans[0]
        if self.score_per_joint:
            scores = list(ans[0][:, :, 2])
        return ans, scores


def _to_numpy(x) -> np.ndarray:
    """A CPU numpy view of a tensor or array."""
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)
