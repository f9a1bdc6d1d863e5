"""The Merkle tree against RFC 6962 section 2.1 itself and against the CT reference vectors."""

import hashlib

import pytest

from moderation.transparency import merkle

# RFC 6962 section 2.1, written as the RFC writes it (over the data, recursively).


def _k(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def MTH(d):
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = _k(len(d))
    return hashlib.sha256(b"\x01" + MTH(d[:k]) + MTH(d[k:])).digest()


def PATH(m, d):
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return PATH(m, d[:k]) + [MTH(d[k:])]
    return PATH(m - k, d[k:]) + [MTH(d[:k])]


def SUBPROOF(m, d, b):
    n = len(d)
    if m == n:
        return [] if b else [MTH(d)]
    k = _k(n)
    if m <= k:
        return SUBPROOF(m, d[:k], b) + [MTH(d[k:])]
    return SUBPROOF(m - k, d[k:], False) + [MTH(d[:k])]


def PROOF(m, d):
    return SUBPROOF(m, d, True)


class Store:
    """The tree as the database keeps it: appended leaf by leaf, nodes stored once."""

    def __init__(self):
        self.frontier = merkle.EMPTY
        self.nodes = {}
        self.roots = [merkle.EMPTY_ROOT]

    def add(self, data):
        self.frontier, new = merkle.append(self.frontier, merkle.leaf_hash(data))
        for level, index, digest in new:
            assert (level, index) not in self.nodes
            self.nodes[level, index] = digest
        self.roots.append(merkle.root(self.frontier))


N = 70
DATA = [i.to_bytes(2, "big") * (i % 3 + 1) for i in range(N)]


@pytest.fixture(scope="module")
def store():
    s = Store()
    for item in DATA:
        s.add(item)
    return s


def test_roots_match_the_rfc_for_every_size(store):
    for size in range(N + 1):
        assert store.roots[size] == MTH(DATA[:size]), size
    # amortised: fewer than two stored nodes per leaf
    assert len(store.nodes) < 2 * N


def test_inclusion_proofs_match_the_rfc_and_verify(store):
    for size in range(1, N + 1):
        for index in range(size):
            ranges = merkle.inclusion_ranges(index, size)
            proof = merkle.proof(ranges, store.nodes)
            assert proof == PATH(index, DATA[:size]), (index, size)
            leaf = merkle.leaf_hash(DATA[index])
            assert merkle.verify_inclusion(index, size, leaf, proof, store.roots[size])
            assert not merkle.verify_inclusion(index, size, leaf, proof, store.roots[size - 1])
            other = merkle.leaf_hash(DATA[index] + b"x")
            assert not merkle.verify_inclusion(index, size, other, proof, store.roots[size])
            if proof:
                assert not merkle.verify_inclusion(index, size, leaf, proof[:-1], store.roots[size])
                assert not merkle.verify_inclusion(index, size, leaf, [*proof, proof[-1]], store.roots[size])
            if size > 1:
                assert not merkle.verify_inclusion((index + 1) % size, size, leaf, proof, store.roots[size])


def test_consistency_proofs_match_the_rfc_and_verify(store):
    for second in range(1, N + 1):
        for first in range(1, second + 1):
            proof = merkle.proof(merkle.consistency_ranges(first, second), store.nodes)
            assert proof == PROOF(first, DATA[:second]), (first, second)
            assert merkle.verify_consistency(first, second, store.roots[first], store.roots[second], proof)
            if first < second:
                assert not merkle.verify_consistency(
                    first, second, store.roots[first - 1] if first > 1 else b"\0" * 32, store.roots[second], proof
                )
                assert not merkle.verify_consistency(first, second, store.roots[first], store.roots[second - 1], proof)
                assert not merkle.verify_consistency(first, second, store.roots[first], store.roots[second], proof[1:])


def test_a_forked_history_is_not_consistent():
    a, b = Store(), Store()
    for i in range(20):
        a.add(DATA[i])
        b.add(DATA[i] if i != 12 else b"different")
    proof = merkle.proof(merkle.consistency_ranges(15, 20), b.nodes)
    assert not merkle.verify_consistency(15, 20, a.roots[15], b.roots[20], proof)
    proof = merkle.proof(merkle.consistency_ranges(12, 20), b.nodes)
    assert merkle.verify_consistency(12, 20, a.roots[12], b.roots[20], proof)


# The Certificate Transparency reference vectors (RFC 6962 reference implementation's tests,
# also in transparency-dev/merkle).
CT_LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                         "606162636465666768696a6b6c6d6e6f")]  # fmt: skip
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]  # fmt: skip


def test_certificate_transparency_vectors():
    s = Store()
    for data in CT_LEAVES:
        s.add(data)
    assert merkle.EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert [r.hex() for r in s.roots[1:]] == CT_ROOTS
    for index, size, expected in CT_INCLUSION:
        assert [p.hex() for p in merkle.proof(merkle.inclusion_ranges(index, size), s.nodes)] == expected


@pytest.mark.parametrize(("first", "second"), [(0, 3), (4, 3), (-1, 2)])
def test_impossible_consistency_proofs_are_refused(first, second):
    with pytest.raises(merkle.ProofError):
        merkle.consistency_ranges(first, second)


@pytest.mark.parametrize(("index", "size"), [(3, 3), (-1, 3), (0, 0)])
def test_impossible_inclusion_proofs_are_refused(index, size):
    with pytest.raises(merkle.ProofError):
        merkle.inclusion_ranges(index, size)
    assert not merkle.verify_inclusion(index, size, b"\0" * 32, [], b"\0" * 32)


def test_proof_nodes_are_logarithmic():
    size = 1_000_000
    for index in (0, 1, 499_999, 999_999):
        assert len(merkle.proof_nodes(merkle.inclusion_ranges(index, size))) <= 2 * size.bit_length()
    assert len(merkle.proof_nodes(merkle.consistency_ranges(123_457, size))) <= 2 * size.bit_length()
