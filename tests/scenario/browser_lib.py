"""What the villager site's browser tests share (site_browser.py,
site_attest_browser.py): their check list, Selenium with Debian's
chromedriver, a static server of a folder on 127.0.0.1, and headless
Chromium at a phone's 390 x 844 px."""
import functools
import http.server
import shutil
import threading

FAILED = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILED.append(what)


def selenium():
    """(webdriver, Service, By, chromedriver's path), or None after saying
    what is missing: the tests must not pass without a browser."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
    except ImportError:
        print("FAIL python3-selenium is missing (scripts/install-deps)")
        return None
    driver_path = shutil.which("chromedriver")
    if driver_path is None:
        print("FAIL chromedriver is missing (chromium-driver, scripts/install-deps)")
        return None
    return webdriver, Service, By, driver_path


def serve(directory):
    """A static server of `directory` on a free port: (server, base URL)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


def chromium(webdriver, Service, driver_path):
    """Headless Chromium, 390 x 844 px at scale 1."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--window-size=390,844", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_window_size(390, 844)
    return driver
