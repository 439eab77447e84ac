"""The forked background job (workers.in_background) that builds the search index beside the build."""
import multiprocessing
import os
import time

import pytest

from reading_room.workers import WorkersError, in_background


def _fail(word):
    raise ValueError(f"bad {word}")


def _die():
    os._exit(3)


def _no_children_within(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while multiprocessing.active_children():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_background_process_ends_once_its_result_is_in_not_when_it_is_asked_for():
    # its memory (1.2 GB at 74,545 reports) is given back while the build goes on
    wait = in_background(sorted, [3, 1, 2], jobs=2)
    assert _no_children_within(10)
    assert wait() == [1, 2, 3]


def test_an_error_in_the_background_job_is_raised_where_the_build_waits_for_it():
    wait = in_background(_fail, "input", jobs=2)
    with pytest.raises(ValueError, match="bad input"):
        wait()


def test_a_background_process_that_dies_is_a_clear_error_not_a_hang():
    wait = in_background(_die, jobs=2)
    with pytest.raises(WorkersError, match="exit code 3"):
        wait()


def test_on_one_core_the_job_runs_at_once_in_this_process():
    pid = in_background(os.getpid, jobs=1)()
    assert pid == os.getpid()


def _count(items, offset):
    return sum(1 for _ in items) + offset


def test_a_fed_process_is_forked_first_and_gets_its_items_later():
    from reading_room.workers import Feed

    with Feed(_count, 100, jobs=2) as feed:
        assert len(multiprocessing.active_children()) == 1
        for start in range(0, 10, 3):
            feed.send(list(range(start, min(start + 3, 10))))
        wait = feed.close()
    assert wait() == 110
    assert _no_children_within(10)


def test_a_fed_process_ends_when_the_build_fails_before_sending_everything():
    from reading_room.workers import Feed

    with pytest.raises(RuntimeError, match="conversion failed"):
        with Feed(_count, 0, jobs=2) as feed:
            feed.send([1, 2])
            raise RuntimeError("conversion failed")
    assert _no_children_within(10)


def test_on_one_core_a_fed_job_runs_here_at_close():
    from reading_room.workers import Feed

    with Feed(_count, 1, jobs=1) as feed:
        assert not multiprocessing.active_children()
        feed.send(["a", "b"])
        assert feed.close()() == 3
