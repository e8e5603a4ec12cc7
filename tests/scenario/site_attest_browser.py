#!/usr/bin/env python3
"""The villager site's certificate page in a browser (issue 21): headless
Chromium, driven through chromium-driver with Selenium, loads verify.html
of a site written by `vledger site` from a static server on 127.0.0.1 (a
free port, started and stopped here), pastes each certificate of CASES
(and an ID-card number when the case has one), presses 核验 and checks the
one result the page shows. The page's "today" is the browser's own clock
(China Standard Time): the certificates are issued by a ledger whose test
clock is near the real date (site_attest.sh).

CASES is a JSON list of {"what", "cert" (a file), "id" (optional),
"code" (the page's data-result), "text" (words the result must hold),
"fragment" (optional: load verify.html#c=BASE64URL(text) instead of pasting)}.

Also checked on every case: the page asked for nothing but the site's own
files, and does not scroll sideways at 390 px.

Usage: site_attest_browser.py SITE CASES.json [SCREENSHOT]
Exit 0 when every check holds; 1 otherwise, also when Chromium or Selenium
is missing (the test must not pass without a browser).
"""
import base64
import json
import sys
import time

from browser_lib import FAILED, check, chromium, selenium, serve


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    site, cases_file = sys.argv[1:3]
    shot = sys.argv[3] if len(sys.argv) > 3 else None
    cases = json.load(open(cases_file, encoding="utf-8"))
    browser = selenium()
    if browser is None:
        return 1
    webdriver, Service, By, driver_path = browser

    server, base = serve(site)
    driver = None
    try:
        driver = chromium(webdriver, Service, driver_path)

        def wait_for(script, what):
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                value = driver.execute_script(script)
                if value:
                    return value
                time.sleep(0.05)
            check(False, "timed out waiting for " + what)
            return None

        def result_of(case):
            text = open(case["cert"], encoding="utf-8").read()
            if case.get("fragment"):
                b = base64.urlsafe_b64encode(text.encode("utf-8")).decode()
                driver.get(base + "/verify.html#c=" + b)
                # A fresh document: a load of another fragment only would not reload it.
                driver.refresh()
                wait_for("return document.body && document.body.dataset.ready", "the page's data")
            else:
                driver.get(base + "/verify.html")
                ready = wait_for("return document.body && document.body.dataset.ready",
                                 "the page's data")
                check(ready == "yes", "%s: the site's data verified (%s)" % (case["what"], ready))
                # A paste: the text set at once, as the clipboard would.
                driver.execute_script("document.getElementById('cert').value = arguments[0]", text)
                if case.get("id"):
                    driver.find_element(By.ID, "idcard").send_keys(case["id"])
                driver.find_element(By.ID, "check").click()
            code = wait_for("return document.body.dataset.result", "a result")
            box = driver.find_element(By.ID, "result")
            return code, box.text + " " + driver.find_element(By.ID, "details").text

        for case in cases:
            code, shown = result_of(case)
            ok = code == case["code"] and all(w in shown for w in case["text"].split("|"))
            check(ok, "%s: %s (%s)" % (case["what"], shown.replace("\n", " ")[:80], code))
            if case["code"] != "valid":
                check("有效 ✓" not in shown, "%s: not shown as valid" % case["what"])
            urls = driver.execute_script(
                "return performance.getEntriesByType('resource').map(e => e.name)"
                ".concat([location.href])")
            outside = [u for u in urls if not u.startswith(base + "/")]
            check(not outside, "%s: nothing asked of another host %s" % (case["what"], outside))
            width = driver.execute_script("return document.documentElement.scrollWidth")
            inner = driver.execute_script("return window.innerWidth")
            check(width <= inner, "%s: no horizontal scrolling (%s <= %s px)" % (case["what"], width, inner))
            if shot and case is cases[0]:
                driver.save_screenshot(shot)
        # A result stays with the text it was for: typing clears it.
        first = [c for c in cases if not c.get("fragment")][0]
        result_of(first)
        driver.find_element(By.ID, "idcard").send_keys("1")
        gone = driver.execute_script(
            "return document.body.dataset.result === undefined && document.getElementById('result').hidden")
        check(gone, "a change to the input clears the result shown")
        # The index links the page.
        driver.get(base + "/index.html")
        links = driver.execute_script(
            "return [...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
        check("verify.html" in links, "the index links verify.html")
    except Exception as e:  # a browser that cannot start fails the test
        check(False, "browser: %s" % e)
    finally:
        if driver is not None:
            driver.quit()
        server.shutdown()
        server.server_close()
    print("%d failed" % len(FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
