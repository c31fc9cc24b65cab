//! The site in a real browser: Debian's Chromium, headless, driven over the DevTools
//! protocol through a pipe (`--remote-debugging-pipe`: messages of JSON, each ended by a
//! NUL byte, read from descriptor 3 and written to descriptor 4), so no port is opened
//! and no WebSocket is needed. Every request the pages make is recorded, and so is every
//! script error. Waits poll the page with generous deadlines; nothing asserts a time.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any one answer or awaited state may take on a slow, shared machine.
const PATIENCE: Duration = Duration::from_secs(90);

/// Headless Chromium with one page attached.
pub struct Browser {
    child: Child,
    to: ChildStdin,
    from: Receiver<Value>,
    session: String,
    next_id: u64,
    /// The URL of every request the page made.
    pub requests: Vec<String>,
    /// Every uncaught script error.
    pub exceptions: Vec<Value>,
    /// `Page.loadEventFired` events not yet waited for.
    loads: usize,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Chromium to run: `chromium` on the PATH. Its absence fails the test: `make test`
/// and `.ci/run` install it.
fn binary() -> &'static str {
    let found = Command::new("chromium")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "the site's browser tests run Chromium (`chromium`, Debian's package `chromium`): \
         `make test` and `.ci/run` install it"
    );
    "chromium"
}

impl Browser {
    /// Starts Chromium, a window `width` by `height` CSS pixels, and attaches to its page.
    pub fn start(width: u32, height: u32) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        // The shell hands our pipes to Chromium as descriptors 3 and 4, then points its
        // standard input and output at /dev/null.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" 3<&0 4>&1 </dev/null >/dev/null")
            .arg(binary())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--mute-audio",
                // Nothing may reach a network: a request that tried would fail here, and
                // the recorded requests show it.
                "--proxy-server=http://127.0.0.1:9",
                "--remote-debugging-pipe",
                &format!("--window-size={width},{height}"),
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Chromium");
        let to = child.stdin.take().unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let (send, from) = channel();
        std::thread::spawn(move || {
            let mut message = Vec::new();
            loop {
                message.clear();
                match reader.read_until(0, &mut message) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                if message.last() == Some(&0) {
                    message.pop();
                }
                let Ok(value) = serde_json::from_slice::<Value>(&message) else {
                    continue;
                };
                if send.send(value).is_err() {
                    return;
                }
            }
        });
        let mut browser = Browser {
            child,
            to,
            from,
            session: String::new(),
            next_id: 0,
            requests: Vec::new(),
            exceptions: Vec::new(),
            loads: 0,
            _profile: profile,
        };
        let targets = browser.call("Target.getTargets", json!({}));
        let page = targets["targetInfos"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .expect("a page target")["targetId"]
            .clone();
        let attached = browser.call(
            "Target.attachToTarget",
            json!({"targetId": page, "flatten": true}),
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_owned();
        for domain in ["Page.enable", "Runtime.enable", "Network.enable"] {
            browser.call(domain, json!({}));
        }
        // A headless page has no focus of its own: without this, focus events never fire
        // (and a diagram would not bring the claim focused into view).
        browser.call(
            "Emulation.setFocusEmulationEnabled",
            json!({"enabled": true}),
        );
        browser
    }

    /// Takes the next message, keeping what the events say.
    fn receive(&mut self) -> Value {
        let message = match self.from.recv_timeout(PATIENCE) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("Chromium said nothing for {PATIENCE:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("Chromium closed its pipe"),
        };
        match message["method"].as_str() {
            Some("Network.requestWillBeSent") => self.requests.push(
                message["params"]["request"]["url"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            Some("Runtime.exceptionThrown") => self.exceptions.push(message["params"].clone()),
            Some("Page.loadEventFired") => self.loads += 1,
            _ => {}
        }
        message
    }

    /// Sends a command to the page (or, before one is attached, to the browser); its result.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut command = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            command["sessionId"] = json!(self.session);
        }
        let mut bytes = command.to_string().into_bytes();
        bytes.push(0);
        self.to.write_all(&bytes).expect("write to Chromium");
        self.to.flush().unwrap();
        loop {
            let message = self.receive();
            if message["id"] == id {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
        }
    }

    /// Evaluates a JavaScript expression in the page (awaiting a promise); its value.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "awaitPromise": true, "returnByValue": true}),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression}: {result}"
        );
        result["result"]["value"].clone()
    }

    /// `eval`, as a string.
    pub fn text(&mut self, expression: &str) -> String {
        match self.eval(expression) {
            Value::String(s) => s,
            other => panic!("{expression}: {other}"),
        }
    }

    /// Waits until an expression is true.
    pub fn wait_for(&mut self, expression: &str) {
        let deadline = Instant::now() + PATIENCE;
        while self.eval(expression) != json!(true) {
            assert!(Instant::now() < deadline, "never true: {expression}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the next load of a document (one not yet waited for).
    fn wait_for_load(&mut self) {
        let deadline = Instant::now() + PATIENCE;
        while self.loads == 0 {
            assert!(Instant::now() < deadline, "no page loaded");
            // A no-op round trip takes in the events that came meanwhile.
            self.eval("1");
            std::thread::sleep(Duration::from_millis(20));
        }
        self.loads -= 1;
    }

    /// Opens a URL and waits until it has loaded.
    pub fn open(&mut self, url: &str) {
        self.loads = 0;
        let result = self.call("Page.navigate", json!({"url": url}));
        assert!(result.get("errorText").is_none(), "{url}: {result}");
        // A move within the page (a new fragment) loads nothing.
        if result.get("loaderId").is_some_and(|l| !l.is_null()) {
            self.wait_for_load();
        }
        self.wait_for("document.readyState === 'complete'");
    }

    /// Opens a file of the site.
    pub fn open_file(&mut self, path: &Path, fragment: &str) {
        let mut url = url::Url::from_file_path(path).unwrap();
        if !fragment.is_empty() {
            url.set_fragment(Some(fragment));
        }
        self.open(url.as_str());
    }

    /// Clicks, as a mouse does, the middle of the first element `selector` finds (a CSS
    /// selector, as a JavaScript string literal's contents), once it is scrolled into view.
    pub fn click(&mut self, selector: &str) {
        let at = self.eval(&format!(
            "(() => {{ const e = document.querySelector({selector:?}); if (!e) return null; \
             e.scrollIntoView({{block: 'center', inline: 'center'}}); \
             const r = e.getClientRects()[0] || e.getBoundingClientRect(); \
             return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
        ));
        let (x, y) = match at.as_array().map(Vec::as_slice) {
            Some([x, y]) => (x.as_f64().unwrap(), y.as_f64().unwrap()),
            _ => panic!("nothing to click: {selector}"),
        };
        // The element must be what is under the mouse there, not something covering it.
        let hit = self.eval(&format!(
            "(() => {{ const e = document.querySelector({selector:?}); \
             const h = document.elementFromPoint({x}, {y}); return !!h && (e === h || e.contains(h)); }})()"
        ));
        assert_eq!(hit, json!(true), "{selector} is covered at ({x}, {y})");
        self.loads = 0;
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// Clicks, and waits for the page the click leads to.
    pub fn click_to_page(&mut self, selector: &str) {
        self.click(selector);
        self.wait_for_load();
        self.wait_for("document.readyState === 'complete'");
    }

    /// Types text into the focused element, key by key.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": "keyDown", "text": c.to_string(), "key": c.to_string()}),
            );
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": "keyUp", "key": c.to_string()}),
            );
        }
    }

    /// Presses a named key (`Tab`, `Enter`, `Escape`).
    pub fn press(&mut self, key: &str, code: u32) {
        let text = if key == "Enter" { "\r" } else { "" };
        for kind in ["keyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code,
                       "text": if kind == "keyDown" { text } else { "" }}),
            );
        }
    }
}
