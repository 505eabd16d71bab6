"""certreg-web in a real browser: headless Chromium driven by Selenium, at a
phone's and a desktop's width. Screenshots go to the test's outputs."""
import datetime
import os
import subprocess
import sys
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import web_fixture  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    StaleElementReferenceException, WebDriverException)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SERVERS = None
VALID = "90126Q21540R2M"
HOLDER = "青岛海岳电器股份有限公司"
CREDIT_CODE = "91370212CXUGT6619K"
SUSPENDED = "90115E30472R1S"
OUTPUTS = os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR", "/tmp")
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


def setUpModule():
    global SERVERS
    SERVERS = web_fixture.Servers()


def tearDownModule():
    if SERVERS:
        SERVERS.stop()


def new_driver(width, height, language="zh-CN"):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", f"--lang={language}"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                            options=options)


def click_and_wait(driver, element_id=None, link_text=None):
    """Clicks the element with `element_id` (or the link with `link_text`)
    and waits until the next page replaced this one. The element is looked
    up again if the page was still settling when it was first found."""
    page = driver.find_element(By.TAG_NAME, "html")
    by, value = (By.ID, element_id) if element_id else (By.LINK_TEXT, link_text)
    for attempt in range(3):
        try:
            driver.find_element(by, value).click()
            break
        except (StaleElementReferenceException, WebDriverException):
            if attempt == 2:
                raise
            time.sleep(0.2)
    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(page))


class BrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.drivers = {name: new_driver(*size) for name, size in SIZES.items()}

    @classmethod
    def tearDownClass(cls):
        for driver in cls.drivers.values():
            driver.quit()

    def screenshot(self, driver, name):
        height = driver.execute_script("return document.body.scrollHeight")
        width = driver.get_window_size()["width"]
        driver.set_window_size(width, min(max(height + 120, 600), 3000))
        driver.save_screenshot(os.path.join(OUTPUTS, name + ".png"))

    def search(self, driver, text):
        driver.get(SERVERS.web + "/")
        box = driver.find_element(By.ID, "q")
        box.clear()
        box.send_keys(text)
        click_and_wait(driver, element_id="search-button")

    def test_search_by_number_opens_the_certificate(self):
        for name, driver in self.drivers.items():
            self.search(driver, VALID)
            self.assertTrue(driver.current_url.endswith(f"/c/{VALID}"), driver.current_url)
            self.assertEqual(driver.find_element(By.ID, "number").text, VALID)
            self.assertEqual(driver.find_element(By.ID, "status").text, "有效")
            self.assertEqual(driver.find_element(By.ID, "holder").text, HOLDER)
            self.assertIn("已核验：日志检查点", driver.find_element(By.ID, "verified").text)
            rows = driver.find_elements(By.CSS_SELECTOR, "#history tbody tr")
            self.assertGreaterEqual(len(rows), 2)
            self.screenshot(driver, f"certificate_{name}")

    def test_search_by_chinese_fragment_and_credit_code(self):
        driver = self.drivers["phone"]
        for text in ["海岳", CREDIT_CODE]:
            self.search(driver, text)
            links = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".results a")]
            self.assertIn(VALID, links, text)
        self.screenshot(driver, "search_phone")
        click_and_wait(driver, link_text=VALID)
        self.assertEqual(driver.find_element(By.ID, "number").text, VALID)

    def test_language_switch(self):
        driver = self.drivers["desktop"]
        driver.get(f"{SERVERS.web}/c/{VALID}")
        self.assertEqual(driver.find_element(By.TAG_NAME, "html").get_attribute("lang"), "zh-CN")
        click_and_wait(driver, element_id="lang-switch")
        self.assertEqual(driver.find_element(By.TAG_NAME, "html").get_attribute("lang"), "en")
        self.assertIn("Change history", driver.page_source)
        self.assertEqual(driver.find_element(By.ID, "status").text, "valid")
        # The choice is remembered on the next page.
        driver.get(SERVERS.web + "/verify")
        self.assertEqual(driver.find_element(By.TAG_NAME, "html").get_attribute("lang"), "en")
        self.screenshot(driver, "certificate_desktop_en")
        click_and_wait(driver, element_id="lang-switch")
        self.assertEqual(driver.find_element(By.TAG_NAME, "html").get_attribute("lang"), "zh-CN")

    def test_status_as_of_a_date_before_the_suspension(self):
        driver = self.drivers["phone"]
        driver.get(f"{SERVERS.web}/c/{SUSPENDED}?lang=zh")
        self.assertEqual(driver.find_element(By.ID, "status").text, "暂停")
        suspended_on = None
        for row in driver.find_elements(By.CSS_SELECTOR, "#history tbody tr"):
            cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
            if cells[1] == "暂停":
                suspended_on = datetime.date.fromisoformat(cells[0])
        self.assertIsNotNone(suspended_on)
        before = (suspended_on - datetime.timedelta(days=1)).isoformat()
        picker = driver.find_element(By.ID, "as_of")
        driver.execute_script("arguments[0].value = arguments[1]", picker, before)
        click_and_wait(driver, element_id="as-of-button")
        self.assertIn(f"as_of={before}", driver.current_url)
        self.assertEqual(driver.find_element(By.ID, "status").text, "有效")
        self.screenshot(driver, "as_of_phone")

    def test_verify_form_pass_and_fail(self):
        driver = self.drivers["desktop"]
        for holder, verdict in [(HOLDER, "通过"), ("别的公司", "不通过")]:
            driver.get(SERVERS.web + "/verify?lang=zh")
            driver.find_element(By.ID, "number").send_keys(VALID)
            driver.find_element(By.ID, "holder").send_keys(holder)
            click_and_wait(driver, element_id="verify-button")
            text = driver.find_element(By.ID, "verdict").text
            self.assertTrue(text.startswith(verdict), text)
            checks = driver.find_elements(By.CSS_SELECTOR, "#checks tbody tr")
            self.assertGreater(len(checks), 5)
        self.screenshot(driver, "verify_fail_desktop")

    def test_every_form_field_has_a_label(self):
        driver = self.drivers["phone"]
        for path in ["/", "/verify", f"/c/{VALID}"]:
            driver.get(SERVERS.web + path)
            unlabelled = driver.execute_script(
                "return [...document.querySelectorAll('input,select')]"
                ".filter(e => !e.labels || e.labels.length === 0).map(e => e.id)")
            self.assertEqual(unlabelled, [], path)

    def test_qr_code_decodes_to_the_page_url(self):
        driver = self.drivers["phone"]
        driver.get(f"{SERVERS.web}/c/{VALID}")
        canonical = driver.find_element(By.CSS_SELECTOR, "link[rel=canonical]").get_attribute("href")
        self.assertEqual(canonical, f"{SERVERS.web}/c/{VALID}")
        path = os.path.join(OUTPUTS, "qr.png")
        with urllib.request.urlopen(f"{SERVERS.web}/c/{VALID}/qr.png", timeout=5) as answer:
            with open(path, "wb") as out:
                out.write(answer.read())
        decoded = subprocess.run(["zbarimg", "-q", "--raw", path], capture_output=True,
                                 text=True, check=True).stdout.strip()
        self.assertEqual(decoded, canonical)
        # The page's own image is the SVG of the same code.
        image = driver.find_element(By.CSS_SELECTOR, ".qr img")
        self.assertTrue(image.get_attribute("src").endswith(f"/c/{VALID}/qr.svg"))
        self.assertGreater(driver.execute_script("return arguments[0].naturalWidth", image), 0)


if __name__ == "__main__":
    web_fixture.main(__name__)
