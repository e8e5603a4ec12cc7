#!/usr/bin/python3
"""How long a villager's page takes to verify in headless Chromium (bench/run).

Serves a site written by `vledger site` from 127.0.0.1 (a free port, stopped
here) and opens resident pages (VILLAGE/r.html?id=RESIDENT) at 390 x 844
px, as a phone would: the residents with the most data (the most history,
so the most proofs to check) and residents spread over the site. Each
comes after its village's page with the browser's cache cleared first, as
a villager comes from the bulletin's QR code to the village page, then to
their own page: the scripts are cached, the data file is not. The first village page, with the scripts
still to load, is timed on its own. Each page records in <body data-*>
the time its checks took (checkMs) and the time from navigation start to
已核验 (readyMs, which includes loading the data); the bytes a resident
page loaded (the page and its data file) are summed from the browser's
resource timing.

Usage: site_verify.py SITE [PAGES]   (PAGES: default 30)
Prints one line: "pages N check_median_ms C check_max_ms CM ready_median_ms
R ready_max_ms RM largest_kb K first_village_ready_ms F" (largest_kb: the
most bytes one resident page loaded). Exit 1 when a page does not verify
or Chromium is missing.
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

    import json

    files = []  # (size, village, data file)
    for village in sorted(os.listdir(site)):
        d = os.path.join(site, village, "d")
        if os.path.isdir(d):
            files += [(os.path.getsize(os.path.join(d, f)), village, f) for f in sorted(os.listdir(d))]
    if not files:
        print("site_verify: no resident data under " + site, file=sys.stderr)
        return 1

    def residents(village, name):
        with open(os.path.join(site, village, "d", name), encoding="utf-8") as f:
            data = json.load(f)
        return sorted(data, key=lambda r: -len(json.dumps(data[r])))

    half = max(1, count // 2)
    chosen = [(v, residents(v, f)[0]) for _, v, f in sorted(files, key=lambda x: -x[0])[:half]]
    step = max(1, len(files) // (count - half or 1))
    for _, v, f in files[::step]:
        if len(chosen) < count and (v, residents(v, f)[-1]) not in chosen:
            chosen.append((v, residents(v, f)[-1]))

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
    checks, readies, loaded = [], [], []
    first = None

    def load(page):
        driver.get(base + page)
        deadline = time.monotonic() + 30
        state = None
        while time.monotonic() < deadline:
            state = driver.execute_script("return document.body && document.body.dataset.verified")
            if state:
                break
            time.sleep(0.01)
        if state != "yes":
            raise RuntimeError("%s did not verify (%s)" % (page, state))
        return driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "const r = performance.getEntriesByType('resource');"
            "return [document.body.dataset.checkMs, document.body.dataset.readyMs,"
            " n.transferSize + r.reduce((s, e) => s + e.transferSize, 0)]")

    try:
        first = float(load(chosen[0][0] + "/index.html")[1])
        for village, rid in chosen:
            driver.execute_cdp_cmd("Network.clearBrowserCache", {})
            load(village + "/index.html")
            check_ms, ready_ms, size = load("%s/r.html?id=%s" % (village, rid))
            checks.append(float(check_ms))
            readies.append(float(ready_ms))
            loaded.append(size)
    except RuntimeError as e:
        print("site_verify: %s" % e, file=sys.stderr)
        return 1
    finally:
        driver.quit()
        server.shutdown()
    print("pages %d check_median_ms %.1f check_max_ms %.1f ready_median_ms %.1f ready_max_ms %.1f "
          "largest_kb %.0f first_village_ready_ms %.1f" % (
              len(chosen), statistics.median(checks), max(checks), statistics.median(readies),
              max(readies), max(loaded) / 1024, first))
    return 0


if __name__ == "__main__":
    sys.exit(main())
