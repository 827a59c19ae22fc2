#!/usr/bin/env python3
"""The web desk in headless Chromium at phone width: sign in, type an announcement and see the
live preview appear (the page's own script, under its Content-Security-Policy), send it, and
land on its page with no error in the browser's console. Screenshots go to the work folder.

Needs chromium and chromedriver (apt-get install chromium chromium-driver); talks WebDriver over
HTTP, so no Python package is needed.

    cargo build && python3 scripts/desk-browser-check.py target/debug/prakat
"""
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
PASSWORD = "ระนอง-เข้มแข็ง-2569"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.2)
    sys.exit(f"nothing answers at {url}")


def main():
    prakat = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/debug/prakat")
    work = tempfile.mkdtemp(prefix="desk-browser-")
    public, admin, driver_port = free_port(), free_port(), free_port()
    config = os.path.join(work, "prakat.toml")
    with open(config, "w") as f:
        f.write(f'[server]\nlisten = "127.0.0.1:{public}"\nadmin_listen = "127.0.0.1:{admin}"\n\n'
                f'[storage]\ndata_dir = "{work}/data"\n')
    subprocess.run([prakat, "--config", config, "people", "add", "--name", "ร.ต.อ. สมชาย ใจดี",
                    "--login", "somchai", "--role", "pr_officer", "--password-stdin"],
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    log = open(os.path.join(work, "daemon.log"), "w")
    daemon = subprocess.Popen([prakat, "--config", config, "serve"], stdout=log, stderr=log)
    driver = subprocess.Popen(["chromedriver", f"--port={driver_port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{public}"
    try:
        wait_for(base + "/healthz")
        wait_for(f"http://127.0.0.1:{driver_port}/status")

        def call(method, path, body=None):
            data = json.dumps(body).encode() if body is not None else None
            req = urllib.request.Request(f"http://127.0.0.1:{driver_port}{path}", data=data,
                                         method=method,
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req) as r:
                return json.loads(r.read())["value"]

        session = call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu"],
                "mobileEmulation": {"deviceMetrics": {"width": 390, "height": 1400,
                                                      "pixelRatio": 1}}}}}})
        s = f"/session/{session['sessionId']}"

        def find(css):
            return call("POST", s + "/element", {"using": "css selector", "value": css})[ELEMENT]

        def type_into(css, text):
            call("POST", f"{s}/element/{find(css)}/value", {"text": text})

        def click(css):
            call("POST", f"{s}/element/{find(css)}/click", {})

        def shot(name):
            with open(os.path.join(work, name), "wb") as f:
                f.write(base64.b64decode(call("GET", s + "/screenshot")))

        call("POST", s + "/url", {"url": base + "/"})
        shot("1-sign-in.png")
        type_into("#login", "somchai")
        type_into("#password", PASSWORD)
        click("button[type=submit]")
        time.sleep(1)
        assert call("GET", s + "/url").endswith("/desk/inbox"), "signed in"
        call("POST", s + "/url", {"url": base + "/desk/compose"})
        type_into("#title", "ตั้งจุดตรวจวัดแอลกอฮอล์")
        type_into("#text", "ตั้งจุดตรวจบริเวณสี่แยกหน้าสถานี ตั้งแต่เวลา 20.00 น.")
        deadline = time.time() + 10
        while "สิ่งที่แต่ละช่องทางจะเผยแพร่" not in call("GET", s + "/source"):
            assert time.time() < deadline, "the live preview appears after typing"
            time.sleep(0.3)
        shot("2-compose-live-preview.png")
        click("button[value=submit]")
        time.sleep(1.5)
        assert "/desk/announcements/" in call("GET", s + "/url"), "sent"
        shot("3-announcement.png")
        console = [e for e in call("POST", s + "/se/log", {"type": "browser"})
                   if e["level"] in ("SEVERE", "WARNING")]
        assert not console, f"the browser's console: {console}"
        call("DELETE", s)
        print(f"ok: signed in, live preview, sent; screenshots in {work}")
    finally:
        driver.terminate()
        daemon.terminate()
        daemon.wait()


if __name__ == "__main__":
    main()
