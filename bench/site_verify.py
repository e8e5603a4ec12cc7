#!/usr/bin/python3
"""How long a villager's page takes to verify in headless Chromium (bench/run).

Serves a site written by `vledger site` from 127.0.0.1 (a free port, stopped
here) and opens resident pages at 390 x 844 px, as a phone would: the
largest pages of the site (the most history, so the most proofs to check)
and pages spread over the site, after one village page (a villager comes
from the bulletin's QR code to the village page, then to their own page;
that first page, with the scripts still to load, is timed on its own).
Each page records in <body data-*> the
time its checks took (checkMs) and the time from navigation start to
已核验 (readyMs, which includes parsing the page and loading the scripts).

Usage: site_verify.py SITE [PAGES]   (PAGES: default 30)
Prints one line: "pages N check_median_ms C check_max_ms CM ready_median_ms
R ready_max_ms RM largest_kb K first_village_ready_ms F". Exit 1 when a page does not verify or
Chromium is missing.
"""
import functools
import http.server
import os
import shutil
import statistics
import sys
import threading
import time


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    site = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    pages = []
    for village in sorted(os.listdir(site)):
        r = os.path.join(site, village, "r")
        if os.path.isdir(r):
            pages += [os.path.join(village, "r", f) for f in sorted(os.listdir(r))]
    if not pages:
        print("site_verify: no resident pages under " + site, file=sys.stderr)
        return 1
    by_size = sorted(pages, key=lambda p: -os.path.getsize(os.path.join(site, p)))
    half = max(1, count // 2)
    chosen = by_size[:half]
    step = max(1, len(pages) // (count - half or 1))
    chosen += [p for p in pages[::step] if p not in chosen][: count - half]

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d/" % server.server_address[1]

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=390,844"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    checks, readies = [], []
    first = None
    try:
        for page in [chosen[0].split("/")[0] + "/index.html"] + chosen:
            driver.get(base + page)
            deadline = time.monotonic() + 30
            state = None
            while time.monotonic() < deadline:
                state = driver.execute_script("return document.body && document.body.dataset.verified")
                if state:
                    break
                time.sleep(0.01)
            if state != "yes":
                print("site_verify: %s did not verify (%s)" % (page, state), file=sys.stderr)
                return 1
            check_ms, ready_ms = driver.execute_script(
                "return [document.body.dataset.checkMs, document.body.dataset.readyMs]")
            if first is None:
                first = float(ready_ms)
                continue
            checks.append(float(check_ms))
            readies.append(float(ready_ms))
    finally:
        driver.quit()
        server.shutdown()
    print("pages %d check_median_ms %.1f check_max_ms %.1f ready_median_ms %.1f ready_max_ms %.1f "
          "largest_kb %.0f first_village_ready_ms %.1f" % (
              len(chosen), statistics.median(checks), max(checks), statistics.median(readies),
              max(readies), os.path.getsize(os.path.join(site, by_size[0])) / 1024, first))
    return 0


if __name__ == "__main__":
    sys.exit(main())
