"""Start a moto server on 127.0.0.1:PORT for ecsdeck's tests; exit when the test binary dies.

Usage: python moto_launcher.py PORT

The test binary (our parent) cannot always kill us (a panic, a ctrl-c, a killed CI job), so we
poll our parent pid and exit as soon as it is gone: no moto server outlives the tests.
"""

import json
import logging
import os
import sys
import time
import urllib.request

from moto.server import ThreadedMotoServer


def main() -> None:
    port = int(sys.argv[1])
    # One log line per request would drown the test output.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    parent = os.getppid()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    # Tasks otherwise advance one state per DescribeTasks call; tests want them to stay put.
    body = json.dumps(
        {
            "model_name": "ecs::task",
            "transition": {"progression": "manual", "times": 1000000000},
        }
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/moto-api/state-manager/set-transition",
        data=body,
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).read()
    print(f"moto ready on 127.0.0.1:{port}", flush=True)
    try:
        while os.getppid() == parent:
            time.sleep(0.5)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
