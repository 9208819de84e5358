import subprocess
import sys


def test_the_process_start_lies_before_what_the_process_did_first():
    code = ("import time; time.sleep(0.6); from banenpool.process_clock import process_started; "
            "print(time.monotonic() - process_started())")
    age = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True).stdout)
    assert 0.6 <= age < 5
