#!/usr/bin/env python3
"""Loads HTML files in headless Chromium (Debian's chromium and
chromium-driver, through Selenium) and prints, for each, one line:

    FILE pages=N width=W view=V

N: the pages of Chromium's A4 PDF of it (print to PDF, margins as the page
asks); W: the page's scroll width in CSS pixels at a 390 x 844 window;
V: the window's inner width. A page that fits a phone has W <= V.

Usage: print_pages.py FILE...
"""
import base64
import os
import re
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.print_page_options import PrintOptions


def browser(profile):
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--hide-scrollbars",
                "--user-data-dir=" + profile):
        opts.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def pdf_pages(pdf):
    # Each page object is "/Type /Page" (the tree's root is "/Type /Pages").
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as profile:
        drv = browser(profile)
        try:
            for path in sys.argv[1:]:
                url = "file://" + os.path.abspath(path)
                drv.set_window_size(390, 844)
                drv.get(url)
                width = drv.execute_script("return document.documentElement.scrollWidth")
                view = drv.execute_script("return window.innerWidth")
                po = PrintOptions()
                po.page_width = 21.0
                po.page_height = 29.7
                po.background = True
                pdf = base64.b64decode(drv.print_page(po))
                print(f"{path} pages={pdf_pages(pdf)} width={width} view={view}")
        finally:
            drv.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
