"""--cluster: the per-report stages on a Dask distributed cluster give the local build's docs/, byte for byte."""
from __future__ import annotations

import pytest

from conftest import make_corpus, run_build, sample_files, tree_hashes

distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed (requirements-cluster.txt)")


@pytest.fixture(scope="module")
def scheduler():
    """A scheduler on 127.0.0.1 with two worker processes, as `dask scheduler` + `dask worker` would give."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_cluster_build_equals_local_build(tmp_path, scheduler, capsys):
    corpus = make_corpus(tmp_path / "corpus", sample_files())
    local = run_build(tmp_path / "local", corpus, capsys, site=False)
    on_cluster = run_build(tmp_path / "cluster", corpus, capsys, "--cluster", scheduler, site=False)
    assert local.exit_code == on_cluster.exit_code == 0, on_cluster.err
    assert len(on_cluster.reports) == len(sample_files())
    assert tree_hashes(on_cluster.docs) == tree_hashes(local.docs)


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, capsys, monkeypatch):
    from reading_room import workers

    monkeypatch.setattr(workers, "CONNECT_TIMEOUT", "2s")
    corpus = make_corpus(tmp_path / "corpus", sample_files()[:1])
    build = run_build(tmp_path / "b", corpus, capsys, "--cluster", "tcp://127.0.0.1:9", site=False)
    assert build.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in build.err
    assert not (build.docs / "reports").exists()
