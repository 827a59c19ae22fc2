//! The web desk in real headless Chromium (Debian's `chromium` and `chromium-driver`), driven
//! over WebDriver, against the real `prakat serve` with the website channel on:
//!
//! - a PR officer signs in with the keyboard only (Tab, Enter), on a desktop-sized window;
//! - composes a Thai announcement with a photo (through the file input), sees each channel's
//!   preview appear and its counter follow the typing; reaches the drop zone with Tab, drops a
//!   photo (its progress bar reaches 100 %), a text file and a photo over the size limit (both
//!   refused before upload, each message naming the file); schedules it a few seconds ahead in
//!   Bangkok time (Buddhist Era) and sees it published on the website (the page fetched from the
//!   daemon has the Thai title and both photos);
//! - a department's staff member, on a phone-sized screen (390×844), signs in, submits; the PR
//!   officer finds it in the inbox and approves it; it is published on the website;
//! - the language switch goes to English and back;
//! - every page at phone width (the staff's, and the officer's inbox, compose, announcements and
//!   channels) is no wider than the screen, every field has a label, and the
//!   browser's console has no error or warning (a Content-Security-Policy violation is one).
//!
//! Screenshots of the main pages go to `<target dir>/desk-screenshots/` (the path is printed).
//! Without chromedriver the test is skipped with a note, except under CI (`CI=true`), where it
//! fails: `.ci/run` installs `chromium chromium-driver`. `PRAKAT_CHROMEDRIVER` names another
//! chromedriver.

mod common;

use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use chrono::{Datelike, Timelike};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use serde_json::{Value, json};

const OFFICER_PASSWORD: &str = "ระนอง-เข้มแข็ง-2569";
const STAFF_PASSWORD: &str = "จราจร-ปลอดภัย-2569";
/// How long any one thing may take to appear on this (possibly loaded) machine.
const PATIENCE: Duration = Duration::from_secs(60);

/// Print past the test harness's capture: where the screenshots are, or why nothing ran.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

fn chromedriver() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PRAKAT_CHROMEDRIVER") {
        return Some(PathBuf::from(p));
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join("chromedriver"))
        .find(|p| p.is_file())
}

/// `<target dir>/desk-screenshots`: beside `debug/` of the target directory this test was
/// built in (`CARGO_TARGET_DIR` or `target/`).
fn screenshot_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    // <target>/debug/deps/desk_browser-…
    let target = exe
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("desk-screenshots")
}

/// A small real photo: a PNG of bands in two colours, 96×64.
fn photo_png(one: [u8; 3], two: [u8; 3]) -> Vec<u8> {
    let (w, h) = (96u32, 64u32);
    let mut pixels = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let band = (x / 16 + y / 16) % 2 == 0;
            pixels.extend_from_slice(if band { &one } else { &two });
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

/// The photo chosen through the file field: blue and gold bands.
fn photo(path: &Path) {
    std::fs::write(path, photo_png([11, 79, 156], [240, 180, 0])).unwrap();
}

/// A time `ahead` from now as a person at the station types it: Bangkok wall time, Buddhist
/// Era year, with seconds.
fn bangkok_be(ahead: Duration) -> String {
    let t = (chrono::Utc::now() + chrono::Duration::from_std(ahead).unwrap())
        .with_timezone(&chrono_tz::Asia::Bangkok);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year() + 543,
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// chromedriver on a port of its own, stopped when dropped (after the sessions are closed).
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_driver(path: &Path, log: &Path) -> Driver {
    let port = common::free_port();
    let log = std::fs::File::create(log).unwrap();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", path.display()));
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(r) = reqwest::get(format!("{url}/status")).await
            && let Ok(v) = r.json::<Value>().await
            && v["value"]["ready"] == json!(true)
        {
            break;
        }
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Driver { child, url }
}

/// One browser window: desktop-sized, or a phone's screen (390×844, touch).
async fn open_browser(driver: &Driver, phone: bool) -> Result<Client> {
    let mut chrome = json!({
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--window-size=1280,1400",
        ],
    });
    if let Some(bin) = std::env::var_os("PRAKAT_CHROMIUM") {
        chrome["binary"] = json!(bin.to_string_lossy());
    }
    if phone {
        chrome["mobileEmulation"] = json!({
            "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2, "touch": true, "mobile": true},
        });
    }
    let caps = json!({
        "browserName": "chrome",
        "goog:loggingPrefs": {"browser": "ALL"},
        "goog:chromeOptions": chrome,
    });
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .context("a Chromium session from chromedriver")?;
    Ok(client)
}

/// A browser window and what was seen in it.
struct Window {
    name: &'static str,
    client: Client,
    driver_url: String,
    shots: PathBuf,
    /// Errors and warnings from the browser's console, with the page they were on.
    console: Vec<String>,
}

impl Window {
    async fn goto(&mut self, url: &str) -> Result<()> {
        self.client
            .goto(url)
            .await
            .with_context(|| format!("open {url}"))?;
        self.page_checks().await
    }

    /// Wait for an element (up to [`PATIENCE`]).
    async fn find(&self, css: &str) -> Result<Element> {
        let found = self
            .client
            .wait()
            .at_most(PATIENCE)
            .every(Duration::from_millis(100))
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(e) => Ok(e),
            Err(e) => bail!("{}: no {css} on {}: {e}", self.name, self.url().await),
        }
    }

    async fn url(&self) -> String {
        self.client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    /// Wait until the page's address ends with `path`, or contains it when `prefix`.
    async fn wait_for_path(&mut self, path: &str, prefix: bool) -> Result<String> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let url = self.url().await;
            let path_now = url
                .split_once("//")
                .map_or("", |(_, r)| r.find('/').map_or("/", |i| &r[i..]));
            if (prefix && path_now.starts_with(path)) || path_now == path {
                self.find("body").await?;
                self.page_checks().await?;
                return Ok(path_now.to_owned());
            }
            ensure!(
                Instant::now() < deadline,
                "{}: still at {url}, not {path}",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn js(&self, script: &str) -> Result<Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Wait until `script` returns true.
    async fn until(&self, what: &str, script: &str) -> Result<()> {
        let deadline = Instant::now() + PATIENCE;
        while self.js(script).await? != json!(true) {
            ensure!(
                Instant::now() < deadline,
                "{}: {what} did not happen on {}",
                self.name,
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    async fn text(&self, css: &str) -> Result<String> {
        Ok(self.find(css).await?.text().await?)
    }

    async fn shot(&self, file: &str) -> Result<()> {
        let png = self.client.screenshot().await?;
        std::fs::write(self.shots.join(file), png)?;
        Ok(())
    }

    /// What every page must be: each field labelled, no wider than a phone's screen when the
    /// window is one, and nothing in the console.
    async fn page_checks(&mut self) -> Result<()> {
        let url = self.url().await;
        let unlabelled = self
            .js(
                "return Array.from(document.querySelectorAll('input, select, textarea'))
                   .filter(e => e.type !== 'hidden'
                     && !(e.labels && e.labels.length)
                     && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
                   .map(e => e.outerHTML.slice(0, 160));",
            )
            .await?;
        ensure!(
            unlabelled == json!([]),
            "{}: fields without a label on {url}: {unlabelled}",
            self.name
        );
        let width = self
            .js("const w = window.innerWidth;
                 return {inner: w, scroll: document.documentElement.scrollWidth,
                   wide: Array.from(document.querySelectorAll('body *'))
                     .filter(e => e.getBoundingClientRect().right > w + 0.5)
                     .slice(0, 5)
                     .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                       + (e.className ? '.' + String(e.className).replace(/ /g, '.') : ''))};")
            .await?;
        let (inner, scroll) = (
            width["inner"].as_i64().context("innerWidth")?,
            width["scroll"].as_i64().context("scrollWidth")?,
        );
        ensure!(
            scroll <= inner,
            "{}: {url} is wider than the window ({scroll} > {inner} px): {}",
            self.name,
            width["wide"]
        );
        self.read_console(&url).await
    }

    /// The browser's console since the last look (chromedriver's log of the window), errors and
    /// warnings kept with the page.
    async fn read_console(&mut self, url: &str) -> Result<()> {
        let id = self
            .client
            .session_id()
            .await?
            .context("the session's id")?;
        let r: Value = reqwest::Client::new()
            .post(format!("{}/session/{id}/se/log", self.driver_url))
            .json(&json!({"type": "browser"}))
            .send()
            .await?
            .json()
            .await?;
        let entries = r["value"]
            .as_array()
            .with_context(|| format!("chromedriver's browser log: {r}"))?;
        for e in entries {
            let level = e["level"].as_str().unwrap_or("");
            if level == "SEVERE" || level == "WARNING" {
                self.console
                    .push(format!("{level} on {url}: {}", e["message"]));
            }
        }
        Ok(())
    }

    async fn close(self) -> Vec<String> {
        let _ = self.client.close().await;
        self.console
    }
}

/// The desk's pages and the website of one running daemon.
struct Station {
    base: String,
    http: reqwest::Client,
}

impl Station {
    async fn get(&self, url: &str) -> Result<String> {
        let r = self.http.get(url).send().await?;
        ensure!(r.status().is_success(), "GET {url}: {}", r.status());
        Ok(r.text().await?)
    }
}

async fn sign_in_by_keyboard(w: &mut Window, station: &Station, login: &str) -> Result<()> {
    w.goto(&format!("{}/", station.base)).await?;
    w.find("form input#login").await?;
    w.shot("01-sign-in.png").await?;
    // The name field has the focus when the page opens; from there on only keys are pressed,
    // into whatever has the focus.
    w.until(
        "the name field's focus",
        "return document.activeElement && document.activeElement.id === 'login';",
    )
    .await?;
    let outline = w
        .js("return getComputedStyle(document.activeElement).outlineStyle;")
        .await?;
    ensure!(outline != json!("none"), "the focus is visible: {outline}");
    w.client.active_element().await?.send_keys(login).await?;
    w.client
        .active_element()
        .await?
        .send_keys(&Key::Tab.to_string())
        .await?;
    let focused = w.js("return document.activeElement.id;").await?;
    ensure!(
        focused == json!("password"),
        "Tab goes to the password: {focused}"
    );
    w.client
        .active_element()
        .await?
        .send_keys(&format!("{OFFICER_PASSWORD}{}", Key::Enter))
        .await?;
    w.wait_for_path("/desk/inbox", false).await?;
    let who = w.text("header .who").await?;
    ensure!(who.contains("สมชาย"), "signed in as the officer: {who}");
    Ok(())
}

async fn sign_in(w: &mut Window, station: &Station, login: &str, password: &str) -> Result<()> {
    w.goto(&format!("{}/", station.base)).await?;
    w.find("#login").await?.send_keys(login).await?;
    w.find("#password").await?.send_keys(password).await?;
    w.find("form[action='/desk/sign-in'] button[type=submit]")
        .await?
        .click()
        .await?;
    w.wait_for_path("/desk/inbox", false).await?;
    Ok(())
}

/// The website channel's delivery of the announcement on the page: wait (reloading the page)
/// until every channel is published, then the link to the website's page.
async fn wait_published(w: &mut Window, channels: usize) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let states = w
            .js(
                "return Array.from(document.querySelectorAll('.delivery .state'))
                   .map(s => s.classList.contains('published'));",
            )
            .await?;
        let states = states.as_array().cloned().unwrap_or_default();
        if states.len() == channels && states.iter().all(|s| s == &json!(true)) {
            break;
        }
        ensure!(
            Instant::now() < deadline,
            "{}: not published in time on {}: {}",
            w.name,
            w.url().await,
            w.text("main").await.unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        w.client.refresh().await?;
        w.find("main").await?;
    }
    w.page_checks().await?;
    let link = w
        .js(
            "const h = Array.from(document.querySelectorAll('.delivery'))
               .find(d => d.querySelector('h3').textContent.trim().startsWith('website'));
             const a = h && h.querySelector('dd a');
             return a ? a.href : null;",
        )
        .await?;
    link.as_str()
        .map(str::to_owned)
        .context("the website delivery's link")
}

/// Typing in the compose form shows each channel's preview in place, and its counter follows.
async fn compose_with_photo(w: &mut Window, station: &Station, photo: &Path) -> Result<String> {
    w.find("header nav a[href='/desk/compose']")
        .await?
        .click()
        .await?;
    w.wait_for_path("/desk/compose", false).await?;
    w.find("#department")
        .await?
        .select_by_value("traffic")
        .await?;
    let outbox = w.find("input[name=channel][value=outbox]").await?;
    if !outbox.is_selected().await? {
        outbox.click().await?;
    }
    let website = w.find("input[name=channel][value=website]").await?;
    ensure!(
        website.is_selected().await?,
        "the website is chosen by default"
    );
    let title = "ตั้งจุดตรวจวัดแอลกอฮอล์ช่วงเทศกาลปีใหม่";
    w.find("#title").await?.send_keys(title).await?;
    w.find("#text")
        .await?
        .send_keys("สถานีตำรวจภูธรเมืองระนองตั้งจุดตรวจบริเวณสี่แยกหน้าสถานี ตั้งแต่เวลา ๒๐.๐๐ น.")
        .await?;
    w.find("#media")
        .await?
        .send_keys(photo.to_str().unwrap())
        .await?;
    // Both channels' previews, of all that was typed (a preview of half the typing may come
    // first on a slow machine).
    w.until(
        "a preview of both channels",
        "const cards = document.querySelectorAll('#preview article.channel');
         return cards.length === 2
           && Array.from(cards).every(c => c.textContent.includes('๒๐.๐๐ น.'));",
    )
    .await?;
    let heading = w.text("#preview h2").await?;
    ensure!(
        heading == "สิ่งที่แต่ละช่องทางจะเผยแพร่",
        "the preview's heading in Thai: {heading}"
    );
    let count_of = "const c = Array.from(document.querySelectorAll('#preview article.channel'))
          .find(a => a.querySelector('h3').textContent.trim() === 'website');
        return c ? c.querySelector('.count').textContent.trim() : '';";
    let before = w.js(count_of).await?;
    ensure!(
        before.as_str().is_some_and(|s| s.contains("ตัวอักษร")),
        "the website's counter in Thai: {before}"
    );
    w.find("#text")
        .await?
        .send_keys(" ขอความร่วมมือผู้ขับขี่ทุกท่าน")
        .await?;
    let deadline = Instant::now() + PATIENCE;
    while w.js(count_of).await? == before {
        ensure!(
            Instant::now() < deadline,
            "the website's counter did not follow the typing: {before}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    w.until(
        "the new text in each channel's preview",
        "const cards = document.querySelectorAll('#preview article.channel');
         return cards.length === 2
           && Array.from(cards).every(c => c.textContent.includes('ขอความร่วมมือผู้ขับขี่ทุกท่าน'));",
    )
    .await?;
    let after = w.js(count_of).await?;
    say(&format!(
        "desk browser test: the website's counter {before} -> {after}"
    ));
    // The photo chosen in the file field was uploaded on its own.
    w.until(
        "the chosen photo uploaded",
        "return Array.from(document.querySelectorAll('#media-list li'))
           .some(l => l.textContent.includes('จุดตรวจ.png')
             && l.querySelector('input[type=hidden][name=media_sha256]'));",
    )
    .await?;
    drop_files(w).await?;
    // Preview pressed: the photos go with it (by their hashes), the preview is shown in place.
    w.find("button[name=intent][value=preview]")
        .await?
        .click()
        .await?;
    w.find("#preview article.channel").await?;
    w.js("document.getElementById('preview').scrollIntoView();")
        .await?;
    w.shot("02b-compose-preview.png").await?;
    // Scheduled a few seconds ahead, typed as people at the station write it.
    w.find("input[name=when][value=at]").await?.click().await?;
    let at = bangkok_be(Duration::from_secs(15));
    w.find("#at").await?.send_keys(&at).await?;
    w.find("button[name=intent][value=submit]")
        .await?
        .click()
        .await?;
    w.wait_for_path("/desk/announcements/", true).await?;
    let h1 = w.text("h1").await?;
    ensure!(h1 == title, "the announcement's page: {h1}");
    let meta = w.text("main dl.meta").await?;
    ensure!(
        meta.contains(&(chrono::Utc::now().year() + 543).to_string()),
        "the publish time in the Buddhist Era: {meta}"
    );
    w.shot("03-announcement-scheduled.png").await?;
    let link = wait_published(w, 2).await?;
    w.shot("04-announcement-published.png").await?;
    let page = station.get(&link).await?;
    ensure!(
        page.contains(title) && page.contains("ขอความร่วมมือผู้ขับขี่ทุกท่าน"),
        "the website's page {link} has the Thai title and text"
    );
    ensure!(
        page.matches("<img").count() == 2,
        "the website's page has both photos, the chosen and the dropped one"
    );
    w.goto(&link).await?;
    w.find("h1").await?;
    w.shot("05-website-page.png").await?;
    Ok(title.to_owned())
}

/// The drop zone, by keyboard and by dropping: Tab reaches it from the field before it, Enter
/// opens the file chooser; a photo, a text file and a photo over the limit dropped at once (a
/// synthetic drop carrying a `DataTransfer`, as a person's drag from the file manager does):
/// the photo is uploaded with its bar at 100 %, the other two are refused before any upload,
/// each message naming the file (and the limit).
async fn drop_files(w: &mut Window) -> Result<()> {
    w.js("document.getElementById('at').focus();").await?;
    w.client
        .active_element()
        .await?
        .send_keys(&Key::Tab.to_string())
        .await?;
    let focused = w.js("return document.activeElement.id;").await?;
    ensure!(
        focused == json!("dropzone"),
        "Tab goes to the drop zone: {focused}"
    );
    let outline = w
        .js("return getComputedStyle(document.activeElement).outlineStyle;")
        .await?;
    ensure!(outline != json!("none"), "the drop zone's focus is visible");
    let name = w
        .js("const z = document.getElementById('dropzone');
             return z.getAttribute('aria-labelledby').split(' ')
               .map(id => document.getElementById(id).textContent.trim()).join(' ');")
        .await?;
    ensure!(
        name.as_str()
            .is_some_and(|n| n.contains("ภาพและวิดีโอ") && n.contains("Enter")),
        "the drop zone is labelled: {name}"
    );
    // The chooser itself is the browser's; that Enter asks for it is what the page does.
    w.js("window.chooserAsked = false;
          document.getElementById('media').addEventListener('click', e => {
            e.preventDefault(); window.chooserAsked = true; }, {once: true});")
        .await?;
    w.client
        .active_element()
        .await?
        .send_keys(&Key::Enter.to_string())
        .await?;
    w.until(
        "Enter on the drop zone opens the file chooser",
        "return window.chooserAsked === true;",
    )
    .await?;
    let dropped = photo_png([26, 127, 55], [255, 255, 255]);
    w.js(&format!(
        "const zone = document.getElementById('dropzone');
         const dt = new DataTransfer();
         dt.items.add(new File([new Uint8Array({})], 'ป้ายจุดตรวจ.png', {{type: 'image/png'}}));
         dt.items.add(new File(['บันทึกการประชุม'], 'บันทึก.txt', {{type: 'text/plain'}}));
         dt.items.add(new File([new Uint8Array(Number(zone.dataset.maxImage) + 1)], 'ภาพใหญ่.png',
           {{type: 'image/png'}}));
         zone.dispatchEvent(new DragEvent('dragover', {{dataTransfer: dt, bubbles: true, cancelable: true}}));
         zone.dispatchEvent(new DragEvent('drop', {{dataTransfer: dt, bubbles: true, cancelable: true}}));",
        json!(dropped)
    ))
    .await?;
    w.until(
        "the dropped photo's bar at 100 %",
        "const li = Array.from(document.querySelectorAll('#media-list li'))
           .find(l => l.textContent.includes('ป้ายจุดตรวจ.png'));
         const bar = li && li.querySelector('progress');
         return !!bar && bar.value === bar.max && bar.max === 100
           && !!li.querySelector('input[type=hidden][name=media_sha256]');",
    )
    .await?;
    let refused = w.text("#media-refused").await?;
    ensure!(
        refused.contains("ไฟล์ บันทึก.txt ไม่ใช่ภาพหรือวิดีโอ"),
        "the text file is refused, by name: {refused}"
    );
    ensure!(
        refused.contains("ไฟล์ ภาพใหญ่.png ใหญ่เกินไป") && refused.contains("ขนาดที่รับได้ไม่เกิน 1 MB"),
        "the large photo is refused, with the limit: {refused}"
    );
    let listed = w
        .js(
            "return Array.from(document.querySelectorAll('#media-list li .name'))
               .map(n => n.textContent);",
        )
        .await?;
    ensure!(
        listed == json!(["จุดตรวจ.png", "ป้ายจุดตรวจ.png"]),
        "only the two photos were uploaded: {listed}"
    );
    ensure!(
        w.js("return document.querySelectorAll('#media-list button.remove').length;")
            .await?
            == json!(2),
        "each upload has its remove button"
    );
    w.js("document.getElementById('media-area').scrollIntoView();")
        .await?;
    w.shot("02-compose-dropped.png").await?;
    w.page_checks().await
}

/// A department's staff member, on a phone, submits; it waits for approval.
async fn staff_submits_on_a_phone(phone: &mut Window, station: &Station) -> Result<String> {
    sign_in(phone, station, "malee", STAFF_PASSWORD).await?;
    phone.shot("06-phone-inbox-staff.png").await?;
    phone
        .goto(&format!("{}/desk/compose", station.base))
        .await?;
    let title = "แจ้งปิดการจราจรถนนเรืองราษฎร์ชั่วคราว";
    phone.find("#title").await?.send_keys(title).await?;
    phone
        .find("#text")
        .await?
        .send_keys("ปิดการจราจรถนนเรืองราษฎร์ วันเสาร์นี้ เวลา ๐๖.๐๐–๑๐.๐๐ น. เพื่อจัดงานวิ่งการกุศล")
        .await?;
    phone
        .until(
            "a preview at phone width",
            "return document.querySelectorAll('#preview article.channel').length >= 1;",
        )
        .await?;
    phone.page_checks().await?;
    phone
        .js("document.getElementById('preview').scrollIntoView();")
        .await?;
    phone.shot("07-phone-compose-preview.png").await?;
    phone
        .find("button[name=intent][value=submit]")
        .await?
        .click()
        .await?;
    phone.wait_for_path("/desk/announcements/", true).await?;
    let state = phone.text("main p.meta").await?;
    ensure!(state.contains("รออนุมัติ"), "waits for approval: {state}");
    phone.shot("08-phone-announcement-pending.png").await?;
    ensure!(
        phone
            .js("return document.querySelectorAll('form[action$=\"/approve\"]').length;")
            .await?
            == json!(0),
        "no approve button for department staff"
    );
    phone
        .goto(&format!("{}/desk/announcements", station.base))
        .await?;
    phone.find("main").await?;
    Ok(title.to_owned())
}

/// The PR officer approves it from the inbox.
async fn officer_approves(w: &mut Window, station: &Station, title: &str) -> Result<()> {
    w.goto(&format!("{}/desk/inbox", station.base)).await?;
    let id = w
        .js(&format!(
            "const a = Array.from(document.querySelectorAll('main article.card h2 a'))
               .find(a => a.textContent.trim() === {});
             return a ? a.closest('article').querySelector('h2').id : null;",
            json!(title)
        ))
        .await?;
    let id = id
        .as_str()
        .context("the staff's submission in the inbox")?
        .to_owned();
    w.shot("10-inbox.png").await?;
    w.find(&format!(
        "article[aria-labelledby='{id}'] form[action$='/approve'] button"
    ))
    .await?
    .click()
    .await?;
    w.wait_for_path("/desk/announcements/", true).await?;
    let link = wait_published(w, 1).await?;
    let page = station.get(&link).await?;
    ensure!(
        page.contains(title),
        "the approved announcement is on the website"
    );
    let index = station.get(&format!("{}/site/", station.base)).await?;
    ensure!(index.contains(title), "and on the website's first page");
    Ok(())
}

async fn language_switch(w: &mut Window) -> Result<()> {
    w.find("header a.lang").await?.click().await?;
    w.until(
        "the page in English",
        "return document.documentElement.lang === 'en';",
    )
    .await?;
    w.page_checks().await?;
    let nav = w.text("header nav").await?;
    ensure!(nav.contains("Inbox"), "English navigation: {nav}");
    w.shot("11-inbox-english.png").await?;
    w.find("header a.lang").await?.click().await?;
    w.until(
        "the page in Thai again",
        "return document.documentElement.lang === 'th';",
    )
    .await?;
    w.page_checks().await?;
    let nav = w.text("header nav").await?;
    ensure!(nav.contains("รออนุมัติ"), "Thai navigation: {nav}");
    Ok(())
}

async fn flows(
    desk: &mut Window,
    phone: &mut Window,
    station: &Station,
    photo_path: &Path,
) -> Result<()> {
    say("desk browser test: keyboard-only sign-in");
    sign_in_by_keyboard(desk, station, "somchai").await?;
    say("desk browser test: compose with a photo, live preview, schedule, published");
    compose_with_photo(desk, station, photo_path).await?;
    say("desk browser test: department staff at phone width submit");
    let title = staff_submits_on_a_phone(phone, station).await?;
    // The officer at phone width sees it too, with the approve and reject forms.
    phone
        .find("header form[action='/desk/sign-out'] button")
        .await?
        .click()
        .await?;
    phone.wait_for_path("/", false).await?;
    phone.find("#login").await?;
    sign_in(phone, station, "somchai", OFFICER_PASSWORD).await?;
    phone
        .find("main article.card form[action$='/approve']")
        .await?;
    phone.shot("09-phone-inbox-officer.png").await?;
    // The officer's other pages at phone width: each checked as it opens.
    for page in ["/desk/compose", "/desk/announcements", "/desk/channels"] {
        phone.goto(&format!("{}{page}", station.base)).await?;
        phone.find("main h1").await?;
    }
    say("desk browser test: the PR officer approves from the inbox");
    officer_approves(desk, station, &title).await?;
    say("desk browser test: language switch");
    language_switch(desk).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_in_headless_chromium() {
    let Some(chromedriver) = chromedriver() else {
        let why = "chromedriver is not installed (apt-get install chromium chromium-driver)";
        if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
            panic!("{why}: under CI the browser tests must run; .ci/run installs them");
        }
        say(&format!("desk browser test SKIPPED: {why}"));
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let config = common::write_config(
        dir.path(),
        port,
        "[dispatch]\nidle_recheck = \"1s\"\nretry_base = \"1s\"\n\n[digest]\nenabled = false\n\n\
         [media]\nmax_image_bytes = 1000000\n",
    );
    let people: [(&str, &str, &[&str], &str); 2] = [
        (
            "ร.ต.อ. สมชาย ใจดี",
            "somchai",
            &["--role", "pr_officer"],
            OFFICER_PASSWORD,
        ),
        (
            "ส.ต.ต. มาลี รักงาน",
            "malee",
            &["--role", "department_staff", "--department", "traffic"],
            STAFF_PASSWORD,
        ),
    ];
    for (name, login, role, password) in people {
        let mut child = Command::new(env!("CARGO_BIN_EXE_prakat"))
            .arg("--config")
            .arg(&config)
            .args(["people", "add", "--name", name, "--login", login])
            .args(role)
            .arg("--password-stdin")
            .env_remove("PRAKAT_CONFIG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", common::stderr(&out));
    }
    let photo_path = dir.path().join("จุดตรวจ.png");
    photo(&photo_path);
    let shots = screenshot_dir();
    // This run's pictures only.
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();

    let log = dir.path().join("daemon.log");
    let mut daemon = common::start_daemon(&config, &log, "info");
    common::wait_until_serving(&config).await;
    let driver = start_driver(&chromedriver, &dir.path().join("chromedriver.log")).await;
    let station = Station {
        base: format!("http://127.0.0.1:{port}"),
        http: reqwest::Client::new(),
    };

    let started = Instant::now();
    let window = |name, client| Window {
        name,
        client,
        driver_url: driver.url.clone(),
        shots: shots.clone(),
        console: Vec::new(),
    };
    let mut desk = window("desktop", open_browser(&driver, false).await.unwrap());
    let mut phone = window("phone", open_browser(&driver, true).await.unwrap());
    let outcome = AssertUnwindSafe(flows(&mut desk, &mut phone, &station, &photo_path))
        .catch_unwind()
        .await;
    let mut console = desk.close().await;
    console.extend(phone.close().await);
    drop(driver);
    Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .unwrap();
    let stopped = daemon.wait().unwrap();
    say(&format!(
        "desk browser test: screenshots in {} ({:.1} s in the browser)",
        shots.display(),
        started.elapsed().as_secs_f64()
    ));
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!(
            "{e:#}\n(the daemon's log: {})",
            std::fs::read_to_string(&log).unwrap_or_default()
        ),
        Err(panic) => std::panic::resume_unwind(panic),
    }
    assert!(
        console.is_empty(),
        "the browser's console had errors or warnings:\n{}",
        console.join("\n")
    );
    assert!(stopped.success(), "a clean stop");
}
