#!/usr/bin/env python3
"""The villager site in a browser (issue 20, item 8): headless Chromium,
driven through chromium-driver with Selenium, loads a site written by
`vledger site` from a static server on 127.0.0.1 (a free port, started and
stopped here).

Checks: the resident page (r.html?id=…, its data fetched from the
village's data file) and the
village page show 已核验, with no horizontal scrolling at 390 px; a note
is shown as text, not markup; the bulletin's fragment #SIZE-ROOTHEX is
accepted when it matches and refused when it does not; the id box opens a
resident's page; an unknown id says so; and copies of the site with one
event byte changed, one proof hash changed, or another ledger's checkpoint
show the red warning naming the failed check (记录哈希, 包含证明,
检查点签名).

Usage: site_browser.py SITE OTHER_CHECKPOINT SIZE ROOTHEX [SCREENSHOT_DIR]
Exit 0 when every check holds; 1 otherwise, also when Chromium or Selenium
is missing (the test must not pass without a browser).
"""
import base64
import json
import os
import re
import shutil
import sys
import tempfile
import time

from browser_lib import FAILED, check, chromium, selenium, serve


def page_data(path):
    html = open(path, encoding="utf-8").read()
    m = re.search(r'<script type="application/json" id="vdata">(.*?)</script>', html, re.S)
    return html, m, json.loads(m.group(1))


def rewrite(path, change):
    """Applies change(data) to the page's data and writes the page back."""
    html, m, data = page_data(path)
    change(data)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    open(path, "w", encoding="utf-8").write(html[: m.start(1)] + text + html[m.end(1):])


def flip_event_byte(folder):
    """One byte of R001's newest event, in V1's data file."""
    path = os.path.join(folder, "V1", "d", "0.json")
    data = json.load(open(path, encoding="utf-8"))
    e = data["R001"]["events"][0]
    raw = bytearray(base64.b64decode(e["event"]))
    raw[-1] ^= 0x01
    e["event"] = base64.b64encode(bytes(raw)).decode()
    json.dump(data, open(path, "w", encoding="utf-8"), ensure_ascii=False)


def flip_proof_hash(folder):
    """One hash of the inclusion proof of R001's newest event."""
    path = os.path.join(folder, "V1", "d", "0.json")
    data = json.load(open(path, encoding="utf-8"))
    e = data["R001"]["events"][0]
    raw = bytearray(base64.b64decode(e["proof"][0]))
    raw[0] ^= 0x01
    e["proof"][0] = base64.b64encode(bytes(raw)).decode()
    json.dump(data, open(path, "w", encoding="utf-8"), ensure_ascii=False)


def main():
    if len(sys.argv) < 5:
        print(__doc__)
        return 2
    site, other_cp, size, root = sys.argv[1:5]
    shots = sys.argv[5] if len(sys.argv) > 5 else None
    browser = selenium()
    if browser is None:
        return 1
    webdriver, Service, By, driver_path = browser

    root_dir = tempfile.mkdtemp(prefix="site-browser.")
    variants = {"ok": None, "byte": flip_event_byte, "proof": flip_proof_hash}
    for name, change in variants.items():
        shutil.copytree(site, os.path.join(root_dir, name))
        if change:
            change(os.path.join(root_dir, name))
    shutil.copytree(site, os.path.join(root_dir, "cp"))
    long_site = os.environ.get("SITE_LONG")
    if long_site:
        shutil.copytree(long_site, os.path.join(root_dir, "long"))
    other = open(other_cp, encoding="utf-8").read()
    rewrite(os.path.join(root_dir, "cp", "V1", "r.html"),
            lambda d: d.__setitem__("checkpoint", other))

    server, base = serve(root_dir)
    driver = None
    try:
        driver = chromium(webdriver, Service, driver_path)

        def load(path):
            driver.get(base + path)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                state = driver.execute_script("return document.body && document.body.dataset.verified")
                if state:
                    break
                time.sleep(0.05)
            status = driver.find_element(By.ID, "status")
            return state, status.text, status.get_attribute("class")

        def no_side_scroll(what):
            width = driver.execute_script("return document.documentElement.scrollWidth")
            inner = driver.execute_script("return window.innerWidth")
            check(width <= inner, "%s: no horizontal scrolling (%s <= %s px)" % (what, width, inner))

        state, text, cls = load("/ok/V1/r.html?id=R001")
        check(state == "yes" and "已核验" in text and "ok" in cls, "resident page shows 已核验: " + text[:60])
        check(driver.find_element(By.ID, "score").text == "15", "R001's page shows the score 15")
        notes = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#history td.note")]
        check("<b>焚烧秸秆</b>" in notes and not driver.find_elements(By.CSS_SELECTOR, "#history b"),
              "a note is shown as text, not markup: %s" % notes)
        rows = driver.find_elements(By.CSS_SELECTOR, "#history tr")
        check(len(rows) == 4 and "（已撤销）" in rows[1].text,
              "four rows, the reversed deduction marked: %s" % [r.text for r in rows])
        no_side_scroll("resident page")
        if shots:
            driver.save_screenshot(os.path.join(shots, "site-resident.png"))
        start = time.monotonic()
        load("/ok/V1/r.html?id=R002")
        print("info resident page R002 loaded and verified in %.0f ms" % ((time.monotonic() - start) * 1000))

        state, text, cls = load("/ok/V1/index.html")
        check(state == "yes" and "已核验" in text, "village page shows 已核验: " + text[:60])
        no_side_scroll("village page")
        if shots:
            driver.save_screenshot(os.path.join(shots, "site-village.png"))
        state, text, _ = load("/ok/V1/index.html#%s-%s" % (size, root))
        check(state == "yes", "village page with the bulletin's #SIZE-ROOT verifies")
        # The id box: R001 opens its page, the fragment carried along.
        driver.find_element(By.ID, "rid").send_keys("r001")
        driver.find_element(By.CSS_SELECTOR, "#find button").click()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not driver.current_url.split("#")[0].endswith("/r.html?id=R001"):
            time.sleep(0.05)
        check(driver.current_url.endswith("/ok/V1/r.html?id=R001#%s-%s" % (size, root)),
              "the id box opens the resident's page: " + driver.current_url)
        state, text, _ = load("/ok/V1/r.html?id=R001#%s-%s" % (size, root))
        check(state == "yes", "resident page with the matching fragment verifies")
        state, text, _ = load("/ok/V1/r.html?id=R003")
        check(state == "none" and "R003" in text, "no page for the minor R003: " + text[:60])
        state, text, cls = load("/ok/V1/index.html#%d-%s" % (int(size) + 1, root))
        check(state == "no" and "二维码" in text and "bad" in cls,
              "a fragment of another size is refused: " + text[:60])
        load("/ok/V1/index.html")
        driver.find_element(By.ID, "rid").send_keys("R999")
        driver.find_element(By.CSS_SELECTOR, "#find button").click()
        msg = driver.find_element(By.ID, "find-msg").text
        check("R999" in msg, "an unknown id is answered on the page: " + msg)

        if long_site:
            # A history longer than a page: the older entries' points are
            # carried into the sum the page checks, and the page says so.
            state, text, cls = load("/long/V1/r.html?id=R1")
            omitted = driver.find_element(By.ID, "omitted")
            check(state == "yes" and "已核验" in text, "a history longer than a page verifies: " + text[:60])
            check(omitted.is_displayed() and "未列在本页" in omitted.text,
                  "the page says what it leaves out: " + omitted.text)
        for name, word in (("byte", "记录哈希"), ("proof", "包含证明"), ("cp", "检查点签名")):
            state, text, cls = load("/%s/V1/r.html?id=R001" % name)
            check(state == "no" and word in text and "bad" in cls and "已核验" not in text,
                  "%s changed: warning names %s: %s" % (name, word, text[:70]))
    except Exception as e:  # a browser that cannot start fails the test
        check(False, "browser: %s" % e)
    finally:
        if driver is not None:
            driver.quit()
        server.shutdown()
        server.server_close()
        shutil.rmtree(root_dir, ignore_errors=True)
    print("%d failed" % len(FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
