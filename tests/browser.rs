//! The page in a real browser: headless Chromium driven through WebDriver (chromedriver,
//! Debian's `chromium` and `chromium-driver`, which `.ci/run` installs). A clerk's whole
//! round: type a place and take it from the autocomplete, draft, another wording for one
//! paragraph (only it changes), lock one, edit one, a new draft (the locked and edited
//! ones survive), reopen from the address, download the Word file and read it.
//!
//! `SPEECHGEN_SCREENSHOT=docs/serve.png cargo test --test browser` also writes the
//! README's screenshot.

mod server;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use server::Server;

/// What the clerk types over the opening paragraph.
const EDIT: &str = "今天召开全镇群众工作会议，主要是总结前一段的群众工作，部署下一步的任务。";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .chain([
                PathBuf::from("/usr/bin"),
                PathBuf::from("/usr/lib/chromium"),
            ])
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Waits until the page has answered `after` requests and is idle; gives the count.
async fn settled(client: &Client, after: u64) -> u64 {
    let started = Instant::now();
    loop {
        let now = client
            .execute(
                "return [document.body.dataset.state, document.body.dataset.version];",
                vec![],
            )
            .await
            .unwrap();
        let version: u64 = now[1].as_str().unwrap_or("0").parse().unwrap_or(0);
        if now[0] == "ready" && version > after {
            return version;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the page did not finish: {now}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every line of the draft: (key, class, text).
async fn lines(client: &Client) -> Vec<(String, String, String)> {
    let found = client
        .execute(
            "return [...document.querySelectorAll('#draft .block')].map(b => \
             [b.dataset.key || '', b.className, b.querySelector('.body').textContent]);",
            vec![],
        )
        .await
        .unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l[0].as_str().unwrap().to_string(),
                l[1].as_str().unwrap().to_string(),
                l[2].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn part(key: &str) -> &str {
    key.rsplit_once('/').map_or(key, |(p, _)| p)
}

/// Clicks a button of the page.
async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Clicks a line's tool (shown on hover) the way the page's own button would be.
async fn tool(client: &Client, key: &str, class: &str) {
    let clicked = client
        .execute(
            "const b = document.querySelector(`#draft .block[data-key=\"${arguments[0]}\"] .${arguments[1]}`); \
             if (b) b.click(); return !!b;",
            vec![json!(key), json!(class)],
        )
        .await
        .unwrap();
    assert_eq!(clicked, Value::Bool(true), "no {class} on {key}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_drafts_redraws_locks_edits_and_downloads() {
    let Some(driver_path) = find_program(&["chromedriver"]) else {
        if std::env::var_os("SPEECHGEN_SKIP_BROWSER").is_some() {
            eprintln!("SPEECHGEN_SKIP_BROWSER is set and chromedriver is missing: skipped");
            return;
        }
        panic!(
            "chromedriver is not installed: apt-get install -y chromium chromium-driver (what \
             .ci/run does), or set SPEECHGEN_SKIP_BROWSER=1 to skip this test"
        );
    };
    let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"])
        .expect("chromium is installed beside chromedriver");
    let server = Server::start();
    let port = free_port();
    let _driver = Driver(
        Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let downloads = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1100",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": {
                "download.default_directory": downloads.path(),
                "download.prompt_for_download": false,
            },
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let started = Instant::now();
    let client = loop {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => break client,
            Err(e) if started.elapsed() < Duration::from_secs(20) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("chromedriver did not start a session: {e}"),
        }
    };
    client.goto(&server.url).await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("body[data-state=ready] #pack option"))
        .await
        .unwrap();
    let mut version = 0;

    // Type a shared name; the list offers every 城关镇, the clerk takes 宁陕县's.
    let place = client.find(Locator::Css("#place")).await.unwrap();
    place.send_keys("城关镇").await.unwrap();
    let option = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//ul[@id='places']/li[contains(., '宁陕县')]",
        ))
        .await
        .unwrap();
    option.click().await.unwrap();
    let county = client.find(Locator::Css("#county")).await.unwrap();
    assert_eq!(
        county.prop("value").await.unwrap().as_deref(),
        Some("宁陕县")
    );
    let length = client.find(Locator::Css("#length")).await.unwrap();
    length.clear().await.unwrap();
    length.send_keys("3000").await.unwrap();
    click(&client, "#generate").await;
    version = settled(&client, version).await;
    let first = lines(&client).await;
    assert!(first.len() > 20, "{first:?}");
    assert!(first[0].2.contains("城关镇") || first.iter().any(|l| l.2.contains("城关")));

    // Another wording of one point: only its lines change.
    let points: Vec<&(String, String, String)> =
        first.iter().filter(|l| l.1.contains("point")).collect();
    let redrawn_key = points[1].0.clone();
    let redrawn_part = part(&redrawn_key).to_string();
    tool(&client, &redrawn_key, "redraw").await;
    version = settled(&client, version).await;
    let second = lines(&client).await;
    let of = |ls: &[(String, String, String)], mine: bool| -> Vec<(String, String)> {
        ls.iter()
            .filter(|l| (part(&l.0) == redrawn_part) == mine)
            .map(|l| (l.0.clone(), l.2.clone()))
            .collect()
    };
    assert_ne!(
        of(&first, true),
        of(&second, true),
        "the part reads differently"
    );
    let others_changed = of(&first, false)
        .iter()
        .zip(of(&second, false))
        .filter(|(a, b)| **a != *b)
        .count();
    assert!(others_changed <= 1, "{others_changed} other lines changed");

    // Lock one point, edit a paragraph of another part.
    let locked_key = points[0].0.clone();
    tool(&client, &locked_key, "lock").await;
    version = settled(&client, version).await;
    let edited_key = second
        .iter()
        .find(|l| l.0.starts_with("opening.") && part(&l.0) != part(&locked_key))
        .unwrap()
        .0
        .clone();
    tool(&client, &edited_key, "edit").await;
    let editor = client
        .find(Locator::Css(&format!(
            "#draft .block[data-key=\"{edited_key}\"] textarea.editor"
        )))
        .await
        .unwrap();
    editor.clear().await.unwrap();
    editor.send_keys(EDIT).await.unwrap();
    tool(&client, &edited_key, "save-edit").await;
    version = settled(&client, version).await;
    let third = lines(&client).await;
    let line = |ls: &[(String, String, String)], key: &str| {
        ls.iter().find(|l| l.0 == key).cloned().unwrap()
    };
    assert!(line(&third, &locked_key).1.contains("locked"));
    assert!(line(&third, &edited_key).1.contains("edited"));
    assert_eq!(line(&third, &edited_key).2, EDIT);

    // A new draft keeps what is locked and edited; the rest is new.
    click(&client, "#again").await;
    settled(&client, version).await;
    let fourth = lines(&client).await;
    assert_eq!(line(&fourth, &locked_key).2, line(&third, &locked_key).2);
    assert_eq!(line(&fourth, &edited_key).2, EDIT);
    let changed = fourth
        .iter()
        .filter(|l| third.iter().all(|t| t.2 != l.2))
        .count();
    assert!(changed > 5, "only {changed} lines are new");

    if let Some(path) = std::env::var_os("SPEECHGEN_SCREENSHOT") {
        client
            .execute("window.scrollTo(0, 0);", vec![])
            .await
            .unwrap();
        let png = client.screenshot().await.unwrap();
        std::fs::write(&path, png).unwrap();
    }

    // The address holds the state: reopening it shows the same draft.
    let url = client.current_url().await.unwrap();
    assert!(url.fragment().is_some_and(|f| f.starts_with("s=")));
    client.goto(url.as_str()).await.unwrap();
    client.refresh().await.unwrap();
    settled(&client, 0).await;
    assert_eq!(
        lines(&client)
            .await
            .iter()
            .map(|l| &l.2)
            .collect::<Vec<_>>(),
        fourth.iter().map(|l| &l.2).collect::<Vec<_>>()
    );

    // The Word file: valid, and it holds the edit.
    click(&client, "#download-docx").await;
    let docx = wait_for_download(downloads.path(), "docx").await;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains(EDIT));
    let name = docx.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.contains("城关镇") && name.ends_with("讲话稿.docx"),
        "{name}"
    );
    client.close().await.unwrap();
}

async fn wait_for_download(dir: &Path, extension: &str) -> PathBuf {
    let started = Instant::now();
    loop {
        let done = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == extension));
        if let Some(path) = done {
            return path;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no .{extension} arrived in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
