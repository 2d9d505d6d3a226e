"""Time the vectorised post-processing against straightforward loop
implementations (kept here, not in the library) on one thread.

Usage::

    OMP_NUM_THREADS=1 python tools/benchmark_processing.py [--repeat 20]

Prints per-call times and the speed-up over the loop baseline for
``keypoints_from_heatmaps`` (default and DARK, batch 64, 17x64x48),
``oks_nms`` / ``soft_oks_nms`` (500 poses), the bottom-up grouping of a
synthetic 30-person image and the DEKR and CID decoding of a synthetic
30-person 512x512 image (128x128 maps). The tests import the baselines from
this file to check that the library gives identical results.
"""
import argparse
import os
import time
from typing import Callable, List, Tuple

os.environ.setdefault('OMP_NUM_THREADS', '1')

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

# ----------------------------------------------------------------------------
# Straightforward loop baselines (one keypoint / one pose at a time).
# ----------------------------------------------------------------------------


def baseline_max_preds(heatmaps: np.ndarray):
    """Argmax of every heatmap with nested loops over N and K."""
    N, K, H, W = heatmaps.shape
    preds = np.zeros((N, K, 2), dtype=np.float32)
    maxvals = np.zeros((N, K, 1), dtype=heatmaps.dtype)
    for n in range(N):
        for k in range(K):
            idx = int(np.argmax(heatmaps[n, k]))
            maxvals[n, k, 0] = heatmaps[n, k].flat[idx]
            if maxvals[n, k, 0] > 0:
                preds[n, k] = (idx % W, idx // W)
            else:
                preds[n, k] = -1
    return preds, maxvals


def baseline_decode(heatmaps: np.ndarray, center: np.ndarray,
                    scale: np.ndarray, post_process: str = 'default',
                    kernel: int = 11):
    """Loop version of ``keypoints_from_heatmaps`` ('default'/'unbiased')."""
    N, K, H, W = heatmaps.shape
    preds, maxvals = baseline_max_preds(heatmaps)
    if post_process == 'unbiased':
        b = (kernel - 1) // 2
        logs = np.zeros_like(heatmaps, dtype=np.float32)
        for n in range(N):
            for k in range(K):
                origin_max = np.max(heatmaps[n, k])
                padded = np.zeros((H + 2 * b, W + 2 * b), dtype=np.float32)
                padded[b:-b, b:-b] = heatmaps[n, k]
                blurred = cv2.GaussianBlur(padded, (kernel, kernel),
                                           0)[b:-b, b:-b]
                blurred = blurred * (origin_max / np.max(blurred))
                logs[n, k] = np.log(np.maximum(blurred, np.float32(1e-10)))
        for n in range(N):
            for k in range(K):
                hm = logs[n, k]
                px, py = int(preds[n, k, 0]), int(preds[n, k, 1])
                if not (1 < px < W - 2 and 1 < py < H - 2):
                    continue
                dx = 0.5 * float(hm[py, px + 1] - hm[py, px - 1])
                dy = 0.5 * float(hm[py + 1, px] - hm[py - 1, px])
                dxx = 0.25 * (float(hm[py, px + 2]) - 2 * float(hm[py, px]) +
                              float(hm[py, px - 2]))
                dxy = 0.25 * float(hm[py + 1, px + 1] - hm[py - 1, px + 1] -
                                   hm[py + 1, px - 1] + hm[py - 1, px - 1])
                dyy = 0.25 * (float(hm[py + 2, px]) - 2 * float(hm[py, px]) +
                              float(hm[py - 2, px]))
                if dxx * dyy - dxy**2 != 0:
                    hessian = np.array([[dxx, dxy], [dxy, dyy]])
                    offset = -np.linalg.inv(hessian) @ np.array([dx, dy])
                    preds[n, k] = (preds[n, k] + offset).astype(np.float32)
    elif post_process == 'default':
        for n in range(N):
            for k in range(K):
                hm = heatmaps[n, k]
                px, py = int(preds[n, k, 0]), int(preds[n, k, 1])
                if 1 < px < W - 1 and 1 < py < H - 1:
                    diff = np.array([hm[py, px + 1] - hm[py, px - 1],
                                     hm[py + 1, px] - hm[py - 1, px]])
                    preds[n, k] += np.sign(diff) * np.float32(.25)
    out = np.zeros_like(preds)
    for n in range(N):
        s = scale[n] * 200.0
        for k in range(K):
            out[n, k, 0] = (preds[n, k, 0] * np.float32(s[0] / W) +
                            center[n, 0] - s[0] * 0.5)
            out[n, k, 1] = (preds[n, k, 1] * np.float32(s[1] / H) +
                            center[n, 1] - s[1] * 0.5)
    return out, maxvals


def baseline_oks_iou(g, d, a_g, a_d, sigmas):
    """OKS of ``g`` with each row of ``d``, one detection at a time."""
    variances = (sigmas * 2)**2
    ious = np.zeros(len(d), dtype=np.float32)
    for j in range(len(d)):
        dx = d[j, 0::3] - g[0::3]
        dy = d[j, 1::3] - g[1::3]
        e = (dx**2 + dy**2) / variances / (
            (a_g + a_d[j]) / 2 + np.spacing(1)) / 2
        ious[j] = np.sum(np.exp(-e)) / len(e)
    return ious


def _db_arrays(kpts_db):
    scores = np.array([k['score'] for k in kpts_db])
    kpts = np.array([k['keypoints'].flatten() for k in kpts_db])
    areas = np.array([k['area'] for k in kpts_db])
    return scores, kpts, areas


def baseline_oks_nms(kpts_db, thr, sigmas):
    """Greedy OKS NMS with the per-detection OKS loop."""
    scores, kpts, areas = _db_arrays(kpts_db)
    order = scores.argsort()[::-1]
    keep = []
    while len(order) > 0:
        i = order[0]
        keep.append(i)
        ovr = baseline_oks_iou(kpts[i], kpts[order[1:]], areas[i],
                               areas[order[1:]], sigmas)
        order = order[np.where(ovr <= thr)[0] + 1]
    return np.array(keep)


def baseline_soft_oks_nms(kpts_db, thr, max_dets, sigmas):
    """Soft OKS NMS with the per-detection OKS loop."""
    scores, kpts, areas = _db_arrays(kpts_db)
    order = scores.argsort()[::-1]
    scores = scores[order]
    keep = []
    while len(order) > 0 and len(keep) < max_dets:
        i = order[0]
        ovr = baseline_oks_iou(kpts[i], kpts[order[1:]], areas[i],
                               areas[order[1:]], sigmas)
        order = order[1:]
        scores = scores[1:] * np.exp(-ovr**2 / thr)
        resort = scores.argsort()[::-1]
        order, scores = order[resort], scores[resort]
        keep.append(i)
    return np.array(keep, dtype=np.intp)


def baseline_group(tag_k, loc_k, val_k, cfg, joint_order):
    """Dictionary-and-list grouping of one image (the 0.x structure), with
    scipy's Hungarian solver on the same tie-broken cost as the library."""
    from scipy.optimize import linear_sum_assignment
    K, M, S = tag_k.shape
    default = np.zeros((K, 3 + S), dtype=np.float32)
    joint_dict, tag_dict = {}, {}
    for i, idx in enumerate(joint_order):
        joints = np.concatenate(
            (loc_k[idx], val_k[idx, :, None], tag_k[idx]), 1).astype(float)
        joints = joints[joints[:, 2] > cfg['detection_threshold']]
        if len(joints) == 0:
            continue
        if i == 0 or len(joint_dict) == 0:
            for joint in joints:
                key = float(np.float32(joint[3]))
                joint_dict.setdefault(key, default.copy())[idx] = joint
                tag_dict[key] = [joint[3:]]
            continue
        keys = list(joint_dict)[:cfg['max_num_people']]
        tags = [np.mean(tag_dict[key], axis=0).astype(np.float32)
                for key in keys]
        dist = np.zeros((len(joints), len(keys)))
        for r in range(len(joints)):
            for c in range(len(keys)):
                dist[r, c] = np.linalg.norm(joints[r, 3:] - tags[c])
        cost = np.round(dist) * 100 - joints[:, 2:3]
        cost = cost + dist**2 * (1e-6 / (dist.shape[0] *
                                         ((dist**2).max() + 1.0)))
        if len(joints) > len(keys):
            cost = np.concatenate(
                [cost, np.zeros((len(joints), len(joints) - len(keys)))], 1)
        for r, c in zip(*linear_sum_assignment(cost)):
            if c < len(keys) and dist[r, c] < cfg['tag_threshold']:
                joint_dict[keys[c]][idx] = joints[r]
                tag_dict[keys[c]].append(joints[r, 3:])
            else:
                key = float(np.float32(joints[r, 3]))
                joint_dict.setdefault(key, default.copy())[idx] = joints[r]
                tag_dict[key] = [joints[r, 3:]]
    return np.array(list(joint_dict.values()), dtype=np.float32)


# ----------------------------------------------------------------------------
# Synthetic inputs.
# ----------------------------------------------------------------------------


def _local_max_peaks(center, kernel, max_num, thr):
    """Local maxima of a map ([H, W]) with explicit window loops, best
    first."""
    H, W = center.shape
    r = kernel // 2
    peaks = []
    for y in range(H):
        for x in range(W):
            window = center[max(0, y - r):y + r + 1, max(0, x - r):x + r + 1]
            if center[y, x] == window.max() and center[y, x] > thr:
                peaks.append((float(center[y, x]), y, x))
    peaks.sort(key=lambda p: -p[0])
    return peaks[:max_num]


def _bilinear_border(img, x, y):
    """Bilinear value of img ([H, W]) at pixel (x, y), clamped to the
    border (grid_sample, align_corners=False, padding 'border')."""
    H, W = img.shape
    x, y = min(max(x, 0.0), W - 1.0), min(max(y, 0.0), H - 1.0)
    x0, y0 = int(np.floor(x)), int(np.floor(y))
    x1, y1 = min(x0 + 1, W - 1), min(y0 + 1, H - 1)
    fx, fy = x - x0, y - y0
    return ((1 - fx) * (1 - fy) * img[y0, x0] + fx * (1 - fy) * img[y0, x1] +
            (1 - fx) * fy * img[y1, x0] + fx * fy * img[y1, x1])


def baseline_nearby_joints_nms(kpts, scores, dist_thr, joints_thr):
    """Loop version of ``nearby_joints_nms`` (kpts [P, K, 2], scores [P])."""
    P, K = kpts.shape[:2]
    close = np.zeros((P, P), dtype=bool)
    for i in range(P):
        diag = np.sqrt(((kpts[i].max(0) - kpts[i].min(0))**2).sum())
        for j in range(P):
            near = sum(
                np.sqrt(((kpts[i, k] - kpts[j, k])**2).sum()) < diag *
                dist_thr for k in range(K))
            close[i, j] = near > joints_thr or i == j
    keep, ignored = [], set()
    for i in np.argsort(scores)[::-1]:
        if i in ignored:
            continue
        group = [j for j in range(P) if close[i, j]]
        best = max(group, key=lambda j: scores[j])
        if best not in ignored:
            keep.append(int(best))
            ignored.update(group)
    return keep


def baseline_dekr(heatmaps, offsets, cfg):
    """Loop version of DEKR's decoding, score refinement and pose NMS on
    one image (heatmaps [1, 1 + K, H, W], offsets [1, 2K, H, W]);
    returns the kept poses [P, K, 4]."""
    _, C, H, W = heatmaps.shape
    K = C - 1
    peaks = _local_max_peaks(heatmaps[0, 0], cfg['max_pool_kernel'],
                             cfg['max_num_people'], cfg['keypoint_threshold'])
    poses = np.zeros((len(peaks), K, 4), dtype=np.float32)
    for p, (score, y, x) in enumerate(peaks):
        for k in range(K):
            px = x - offsets[0, 2 * k, y, x]
            py = y - offsets[0, 2 * k + 1, y, x]
            # the position grid_sample reads, as the library normalises
            sx = (px / (W - 1) * 2 - 1 + 1) * W / 2 - 0.5
            sy = (py / (H - 1) * 2 - 1 + 1) * H / 2 - 0.5
            kpt_score = _bilinear_border(heatmaps[0, 1 + k], sx, sy)
            poses[p, k] = (px, py, score * kpt_score, kpt_score)
    keep = baseline_nearby_joints_nms(poses[..., :2],
                                      poses[..., 3].mean(axis=1),
                                      cfg['nms_dist_thr'],
                                      cfg['nms_joints_thr'])
    return poses[keep]


def _box_smooth(hm, kernel):
    """(hm + zero-padded box mean of hm) / 2 of one map."""
    box = cv2.boxFilter(hm, -1, (kernel, kernel), normalize=True,
                        borderType=cv2.BORDER_CONSTANT)
    return (hm + box) / 2


def baseline_cid_keypoints(instance_heatmaps, instance_scores, kernel):
    """Loop version of ``cid_keypoints`` (one map at a time)."""
    P, K, H, W = instance_heatmaps.shape
    poses = np.zeros((P, K, 3), dtype=np.float32)
    for p in range(P):
        for k in range(K):
            hm = _box_smooth(instance_heatmaps[p, k], kernel)
            idx = int(np.argmax(hm))
            y, x = divmod(idx, W)
            fx, fy = float(x), float(y)
            if 0 < x < W - 1:
                fx += 0.25 * np.sign(hm[y, x + 1] - hm[y, x - 1])
            if 0 < y < H - 1:
                fy += 0.25 * np.sign(hm[y + 1, x] - hm[y - 1, x])
            poses[p, k] = (fx * 4 + 2, fy * 4 + 2,
                           hm[y, x] * instance_scores[p])
    return poses


def synthetic_heatmaps(n=64, k=17, h=64, w=48, sigma=2.0, seed=0):
    """Gaussian blobs at random sub-pixel centres plus a little noise."""
    rng = np.random.default_rng(seed)
    cx = rng.uniform(4, w - 5, (n, k, 1, 1))
    cy = rng.uniform(4, h - 5, (n, k, 1, 1))
    ys, xs = np.mgrid[:h, :w]
    hm = np.exp(-((xs - cx)**2 + (ys - cy)**2) / (2 * sigma**2))
    hm = hm + rng.normal(0, 0.01, hm.shape)
    center = rng.uniform(100, 300, (n, 2)).astype(np.float32)
    scale = rng.uniform(0.5, 2.0, (n, 2)).astype(np.float32)
    return hm.astype(np.float32), center, scale


def synthetic_poses(num=500, k=17, seed=0):
    """Poses in clusters of near-duplicates, as a detector outputs them."""
    rng = np.random.default_rng(seed)
    base = rng.uniform(0, 640, (num // 5, 1, 2)) + rng.normal(0, 30,
                                                              (num // 5, k, 2))
    poses = np.repeat(base, 5, axis=0) + rng.normal(0, 3, (num, k, 2))
    kpts = np.concatenate([poses, rng.uniform(0.2, 1, (num, k, 1))], axis=2)
    return [{
        'keypoints': kpts[i],
        'score': float(rng.uniform()),
        'area': float(rng.uniform(2000, 20000))
    } for i in range(num)]


def synthetic_people(num_people=30, k=17, size=128, seed=0):
    """Heatmaps [1, K, H, W] and tags [1, K, H, W, 1] of well separated
    people, each with its own tag value."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[:size, :size]
    heatmaps = np.zeros((1, k, size, size), dtype=np.float32)
    tags = np.zeros((1, k, size, size, 1), dtype=np.float32)
    cells = rng.permutation(36)[:num_people]
    for p, cell in enumerate(cells):
        ox, oy = (cell % 6) * size // 6 + 4, (cell // 6) * size // 6 + 4
        joints = rng.uniform(0, size // 6 - 8, (k, 2)) + (ox, oy)
        blobs = np.exp(-((xs - joints[:, 0, None, None])**2 +
                         (ys - joints[:, 1, None, None])**2) / 2.0)
        heatmaps[0] = np.maximum(heatmaps[0], blobs * rng.uniform(0.5, 1))
        near = blobs > 0.01
        tags[0, ..., 0][near] = 3.0 * p + rng.normal(0, 0.05, near.sum())
    return torch.from_numpy(heatmaps), torch.from_numpy(tags)


def synthetic_dekr_cid(num_people=30, k=17, size=128, seed=0):
    """Outputs of DEKR and CID for one 512x512 image (128x128 maps) with
    ``num_people`` separated people: DEKR center + keypoint heatmaps
    [1, 1 + K, H, W] and offsets [1, 2K, H, W] pointing from each center to
    its keypoints; CID instance heatmaps [P, K, H, W] and center scores."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[:size, :size]
    cells = rng.permutation(36)[:num_people]
    centers = np.stack([(cells % 6) * size // 6 + size // 12,
                        (cells // 6) * size // 6 + size // 12], axis=1)
    joints = centers[:, None] + rng.uniform(-8, 8, (num_people, k, 2))

    def blobs(points):  # [..., 2] -> [..., H, W]
        return np.exp(-((xs - points[..., 0, None, None])**2 +
                        (ys - points[..., 1, None, None])**2) / 8.0)

    heatmaps = np.zeros((1, 1 + k, size, size), dtype=np.float32)
    heatmaps[0, 0] = blobs(centers.astype(float)).max(axis=0) * rng.uniform(
        0.5, 1, (size, size)).clip(max=1)
    heatmaps[0, 1:] = blobs(joints).max(axis=0)
    offsets = rng.normal(0, 1, (1, 2 * k, size, size)).astype(np.float32)
    for p, (cx, cy) in enumerate(centers):
        win = (slice(cy - 4, cy + 5), slice(cx - 4, cx + 5))
        offsets[0, 0::2][(slice(None), ) + win] = (
            xs[win] - joints[p, :, 0, None, None])
        offsets[0, 1::2][(slice(None), ) + win] = (
            ys[win] - joints[p, :, 1, None, None])
    instance = blobs(joints + rng.normal(0, 0.3, joints.shape)).astype(
        np.float32)
    scores = rng.uniform(0.3, 1, num_people).astype(np.float32)
    return heatmaps, offsets, instance, scores


DEKR_CFG = dict(max_pool_kernel=5, max_num_people=30, keypoint_threshold=0.01,
                nms_dist_thr=0.05, nms_joints_thr=8)


BOTTOM_UP_CFG = dict(
    num_joints=17,
    max_num_people=30,
    detection_threshold=0.1,
    tag_threshold=1,
    use_detection_val=True,
    ignore_too_much=False,
    tag_per_joint=True,
    nms_kernel=5,
    nms_padding=2)

# ----------------------------------------------------------------------------
# Timing.
# ----------------------------------------------------------------------------


def time_call(fn: Callable, repeat: int) -> float:
    """Best wall time of ``fn()`` over ``repeat`` runs, in milliseconds."""
    fn()
    best = float('inf')
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeat', type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(1)
    cv2.setNumThreads(1)

    from mmpose.core.evaluation import keypoints_from_heatmaps
    from mmpose.core.post_processing import (HeatmapParser, oks_nms,
                                             soft_oks_nms)
    from mmpose.core.post_processing.nms import COCO_SIGMAS

    hm, center, scale = synthetic_heatmaps()
    poses = synthetic_poses()
    heatmaps_bu, tags_bu = synthetic_people()
    parser_bu = HeatmapParser(BOTTOM_UP_CFG)
    parser_scipy = HeatmapParser(dict(BOTTOM_UP_CFG, match_backend='scipy'))
    cand = parser_bu.top_k(heatmaps_bu, tags_bu)
    order = parser_bu.params.joint_order

    from mmpose.core.post_processing.dekr_cid_decode import (
        cid_keypoints, dekr_decode, dekr_refine_score, nearby_joints_nms)
    dekr_hm, dekr_off, cid_hm, cid_scores = synthetic_dekr_cid()

    def dekr_library():
        hm, off = torch.from_numpy(dekr_hm), torch.from_numpy(dekr_off)
        poses = dekr_refine_score(
            hm, dekr_decode(hm, off, 5, 30, 0.01)).numpy()
        keep = nearby_joints_nms(
            [dict(keypoints=p[:, :2], score=p[:, 3]) for p in poses], 0.05,
            8, score_per_joint=True, max_dets=30)
        return poses[keep]

    cases: List[Tuple[str, Callable, Callable, float]] = [
        ('keypoints_from_heatmaps default (64x17x64x48)',
         lambda: keypoints_from_heatmaps(hm, center, scale),
         lambda: baseline_decode(hm, center, scale), 2.0),
        ('keypoints_from_heatmaps DARK k=11 (64x17x64x48)',
         lambda: keypoints_from_heatmaps(
             hm, center, scale, post_process='unbiased', kernel=11),
         lambda: baseline_decode(hm, center, scale, 'unbiased', 11), 10.0),
        ('oks_nms (500 poses)', lambda: oks_nms(poses, 0.9),
         lambda: baseline_oks_nms(poses, 0.9, COCO_SIGMAS), 30.0),
        ('soft_oks_nms (500 poses, max_dets=20)',
         lambda: soft_oks_nms(poses, 0.3, max_dets=20),
         lambda: baseline_soft_oks_nms(poses, 0.3, 20, COCO_SIGMAS), 60.0),
        ('bottom-up match (30 people, munkres)',
         lambda: parser_bu.match(**cand),
         lambda: baseline_group(cand['tag_k'][0], cand['loc_k'][0],
                                cand['val_k'][0], BOTTOM_UP_CFG, order),
         None),
        ('bottom-up match (30 people, scipy)',
         lambda: parser_scipy.match(**cand),
         lambda: baseline_group(cand['tag_k'][0], cand['loc_k'][0],
                                cand['val_k'][0], BOTTOM_UP_CFG, order),
         None),
        ('DEKR decode+refine+NMS (30 people, 128x128)', dekr_library,
         lambda: baseline_dekr(dekr_hm, dekr_off, DEKR_CFG), None),
        ('CID keypoints (30 people, 17x128x128)',
         lambda: cid_keypoints(torch.from_numpy(cid_hm),
                               torch.from_numpy(cid_scores), 3),
         lambda: baseline_cid_keypoints(cid_hm, cid_scores, 3), None),
        ('bottom-up parse (30 people, 128x128, scipy)',
         lambda: parser_scipy.parse(heatmaps_bu, tags_bu), None, None),
    ]
    print(f'{"case":50s} {"ms/call":>9s} {"baseline":>9s} {"speed-up":>9s}'
          f' {"target":>8s}')
    for name, fn, baseline, target in cases:
        ms = time_call(fn, args.repeat)
        base_ms = (time_call(baseline, max(1, args.repeat // 5))
                   if baseline is not None else float('nan'))
        ratio = base_ms / ms
        target_str = f'<={target:g}' if target else '-'
        print(f'{name:50s} {ms:9.2f} {base_ms:9.2f} {ratio:8.1f}x '
              f'{target_str:>8s}')


if __name__ == '__main__':
    main()
