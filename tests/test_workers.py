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
