"""A Merkle tree over the moderation log, hashed as RFC 6962 / RFC 9162 section 2.1.

Pure functions, no database. The tree is never rebuilt: every *complete* subtree (a perfect
subtree of 2**level leaves starting at a multiple of 2**level) is stored once as a node
``(level, index)`` when its last leaf arrives, and the hash of any range that an RFC 6962
proof needs is folded from at most log2(n) of those stored nodes. So:

- ``append(frontier, leaf)`` returns the new frontier (the roots of the perfect subtrees
  that make up the tree, left to right, at most log2(n)+1) and the nodes to store; amortised
  two nodes per leaf;
- ``root(frontier)`` is the tree head;
- ``inclusion_ranges`` / ``consistency_ranges`` list the ranges whose hashes make up a proof
  (RFC 6962 section 2.1.1 PATH and 2.1.2 PROOF/SUBPROOF, computed over ranges instead of data),
  ``range_nodes`` which stored nodes give a range's hash, ``range_hash`` folds them;
- ``verify_inclusion`` / ``verify_consistency`` are RFC 9162 sections 2.1.3.2 and 2.1.4.2.

Hashes are 32-byte ``bytes`` everywhere.
"""

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

Range = tuple[int, int]  # [start, end) of leaf indices
Node = tuple[int, int]  # (level, index): the perfect subtree of leaves [index << level, (index + 1) << level)


class ProofError(ValueError):
    """A proof was asked for sizes or indices that do not describe one."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): RFC 6962's k."""
    return 1 << ((n - 1).bit_length() - 1)


@dataclass(frozen=True)
class Frontier:
    """The tree's right edge: the perfect subtrees of a tree of ``size`` leaves, left to right."""

    size: int
    hashes: tuple[bytes, ...]

    @property
    def nodes(self) -> list[Node]:
        return frontier_nodes(self.size)


EMPTY = Frontier(0, ())


def frontier_nodes(size: int) -> list[Node]:
    """The (level, index) of each perfect subtree that makes up a tree of *size* leaves."""
    nodes = []
    start = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            nodes.append((level, start >> level))
            start += 1 << level
    return nodes


def append(frontier: Frontier, leaf: bytes) -> tuple[Frontier, list[tuple[int, int, bytes]]]:
    """Add one leaf hash; return the new frontier and the nodes ``(level, index, hash)`` to store."""
    index = frontier.size
    new_nodes = [(0, index, leaf)]
    hashes = list(frontier.hashes)
    current, level, position = leaf, 0, index
    while position & 1:  # the leaf completes a subtree: merge with its left sibling
        current = node_hash(hashes.pop(), current)
        level += 1
        position >>= 1
        new_nodes.append((level, position, current))
    hashes.append(current)
    return Frontier(index + 1, tuple(hashes)), new_nodes


def root(frontier: Frontier) -> bytes:
    """The tree head (MTH) of the tree whose right edge is *frontier*."""
    return fold(frontier.hashes)


def fold(hashes: Sequence[bytes]) -> bytes:
    """MTH of consecutive perfect subtrees, largest first: H(a, H(b, H(c, ...)))."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def range_nodes(start: int, end: int) -> list[Node]:
    """The stored nodes whose fold is MTH(leaves[start:end]).

    Valid for the ranges an RFC 6962 tree is made of: *start* is a multiple of the largest
    power of two not above ``end - start`` (every range a proof below asks for is).
    """
    n = end - start
    if n <= 0:
        raise ProofError(f"empty range [{start}, {end})")
    if start % (1 << (n.bit_length() - 1)):
        raise ProofError(f"range [{start}, {end}) is not a subtree of an RFC 6962 tree")
    return [(level, (start >> level) + index) for level, index in frontier_nodes(n)]


def range_hash(start: int, end: int, get: Callable[[Node], bytes] | Mapping[Node, bytes]) -> bytes:
    lookup = get.__getitem__ if isinstance(get, Mapping) else get
    return fold([lookup(node) for node in range_nodes(start, end)])


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """RFC 6962 PATH(index, D[0:size]) as ranges, leaf-side first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size}")
    ranges: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def consistency_ranges(first: int, second: int) -> list[Range]:
    """RFC 6962 PROOF(first, D[0:second]) as ranges (empty when first == second)."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from {first} to {second}")
    ranges: list[Range] = []
    start, end, m, whole = 0, second, first, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def proof_nodes(ranges: Iterable[Range]) -> set[Node]:
    """Every stored node needed to hash *ranges* (fetch them in one query)."""
    return {node for start, end in ranges for node in range_nodes(start, end)}


def proof(ranges: Sequence[Range], get: Callable[[Node], bytes] | Mapping[Node, bytes]) -> list[bytes]:
    return [range_hash(start, end, get) for start, end in ranges]


def _lsb(value: int) -> int:
    return value & 1


def root_from_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes | None:
    """RFC 9162 2.1.3.2: the root that *path* proves *leaf* at *index* to be in; None if malformed."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if len(p) != HASH_SIZE or sn == 0:
            return None
        if _lsb(fn) or fn == sn:
            r = node_hash(p, r)
            if not _lsb(fn):
                while not _lsb(fn) and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes], root_hash: bytes) -> bool:
    return root_from_inclusion(index, size, leaf, path) == root_hash


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2; also true for first == second with an empty path and equal roots."""
    if first == second:
        return not path and first_root == second_root
    if not 0 < first < second or not path or any(len(p) != HASH_SIZE for p in path):
        return False
    path = list(path)
    if first & (first - 1) == 0:  # an exact power of two: the old root is the first node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while _lsb(fn):
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if _lsb(fn) or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not _lsb(fn):
                while not _lsb(fn) and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root
