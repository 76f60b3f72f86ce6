//! `speechgen serve`, through its HTTP API, as the real binary: every endpoint with good
//! and bad input, a fuzz of the endpoints, and 200 concurrent drafts with the server's
//! memory read before and after.

mod server;

use serde_json::{Value, json};
use server::Server;

fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build(),
    )
}

/// (status, body as JSON) of a POST.
fn post(server: &Server, path: &str, body: &str) -> (u16, Value) {
    let mut response = agent()
        .post(format!("{}{path}", server.url))
        .header("Content-Type", "application/json")
        .send(body)
        .unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    let value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}"));
    (status, value)
}

fn get(server: &Server, path: &str) -> (u16, Value) {
    let mut response = agent().get(format!("{}{path}", server.url)).call().unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn first_state() -> Value {
    json!({"place": "城关镇", "county": "宁陕县", "seed": 7, "length": 3000})
}

/// Each line's text with its lead, by key.
fn lines(view: &Value) -> Vec<(String, String)> {
    view["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["key"].as_str().unwrap_or("").to_string(),
                format!(
                    "{}{}{}",
                    b["label"].as_str().unwrap_or(""),
                    b["lead"].as_str().unwrap_or(""),
                    b["text"].as_str().unwrap()
                ),
            )
        })
        .collect()
}

fn part_of(key: &str) -> &str {
    key.rsplit_once('/').map_or(key, |(p, _)| p)
}

#[test]
fn the_page_and_its_assets_are_served() {
    let server = Server::start();
    for (path, media) in [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/style.css", "text/css"),
    ] {
        let response = agent().get(format!("{}{path}", server.url)).call().unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(content_type.starts_with(media), "{path}: {content_type}");
    }
    let (status, page) = get(&server, "/");
    assert_eq!(status, 200);
    let page = page.as_str().unwrap();
    assert!(
        page.contains("讲话稿") && !page.contains("http"),
        "the page needs no CDN"
    );
}

#[test]
fn packs_and_places() {
    let server = Server::start();
    let (status, packs) = get(&server, "/api/packs");
    assert_eq!(status, 200);
    let packs = packs.as_array().unwrap();
    assert_eq!(packs[0]["id"], "mass-work");
    assert!(packs.len() >= 5);
    assert!(
        packs
            .iter()
            .any(|p| p["meeting"].as_str().unwrap().contains("安全生产"))
    );
    let place = |q: &str| get(&server, &format!("/api/places?q={}", urlencode(q))).1;
    assert_eq!(place("530724208")["status"], "found");
    let shared = place("城关镇");
    assert_eq!(shared["status"], "ambiguous");
    assert!(shared["places"].as_array().unwrap().len() >= 10);
    let (_, one) = get(
        &server,
        &format!(
            "/api/places?q={}&county={}",
            urlencode("城关镇"),
            urlencode("宁陕县")
        ),
    );
    assert_eq!(one["status"], "found");
    assert_eq!(one["places"][0]["county"], "宁陕县");
    assert_eq!(place("西布")["status"], "partial");
    assert_eq!(place("西布河相")["status"], "nearest");
    assert_eq!(get(&server, "/api/places").1["status"], "empty");
}

#[test]
fn a_draft_redraws_one_part_and_keeps_locks_and_edits() {
    let server = Server::start();
    let (status, first) = post(&server, "/api/draft", &first_state().to_string());
    assert_eq!(status, 200, "{first}");
    assert!(first["chars"].as_u64().unwrap().abs_diff(3000) < 300);
    // The state reproduces the draft.
    let (_, again) = post(&server, "/api/draft", &first["state"].to_string());
    assert_eq!(lines(&first), lines(&again));
    // Another wording of one point: only its lines change.
    let point = first["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["kind"] == "point")
        .nth(1)
        .unwrap()["part"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, redrawn) = post(
        &server,
        "/api/redraw",
        &json!({"state": first["state"], "part": point}).to_string(),
    );
    assert_eq!(status, 200, "{redrawn}");
    let others = |view: &Value| -> Vec<(String, String)> {
        lines(view)
            .into_iter()
            .filter(|(k, _)| part_of(k) != point)
            .collect()
    };
    let mine = |view: &Value| -> Vec<(String, String)> {
        lines(view)
            .into_iter()
            .filter(|(k, _)| part_of(k) == point)
            .collect()
    };
    assert_ne!(mine(&first), mine(&redrawn));
    let changed = others(&first)
        .iter()
        .zip(others(&redrawn))
        .filter(|(a, b)| **a != *b)
        .count();
    assert!(changed <= 1, "{changed} other lines changed");
    // Lock one part, edit another line, then a new draft: both survive.
    let mut state = redrawn["state"].clone();
    let keys: Vec<String> = lines(&redrawn).into_iter().map(|(k, _)| k).collect();
    let locked = keys.iter().find(|k| k.starts_with("s2.")).unwrap().clone();
    let edited = keys
        .iter()
        .find(|k| k.starts_with("closing."))
        .unwrap()
        .clone();
    state["locks"] = json!([part_of(&locked)]);
    state["edits"] = json!({ edited.clone(): "同志们，这是书记亲手改过的结尾。" });
    let (status, renewed) = post(
        &server,
        "/api/again",
        &json!({"state": state, "seed": 12345}).to_string(),
    );
    assert_eq!(status, 200, "{renewed}");
    let find = |view: &Value, key: &str| {
        lines(view)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, t)| t)
            .unwrap()
    };
    assert_eq!(find(&renewed, &locked), find(&redrawn, &locked));
    assert_eq!(find(&renewed, &edited), "同志们，这是书记亲手改过的结尾。");
    assert_ne!(others(&redrawn), others(&renewed), "the new draft is new");
    // Downloads hold the edit.
    let download = |format: &str| -> (u16, Vec<u8>, String) {
        let mut response = agent()
            .post(format!("{}/api/download", server.url))
            .header("Content-Type", "application/json")
            .send(json!({"state": renewed["state"], "format": format}).to_string())
            .unwrap();
        let status = response.status().as_u16();
        let disposition = response
            .headers()
            .get("content-disposition")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (
            status,
            response.body_mut().read_to_vec().unwrap(),
            disposition,
        )
    };
    let (status, docx, disposition) = download("docx");
    assert_eq!(status, 200);
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains("这是书记亲手改过的结尾"));
    for format in ["md", "txt"] {
        let (status, bytes, _) = download(format);
        assert_eq!(status, 200);
        assert!(
            String::from_utf8(bytes)
                .unwrap()
                .contains("这是书记亲手改过的结尾")
        );
    }
    let (status, problem, _) = download("pdf");
    assert_eq!(status, 400);
    assert!(
        String::from_utf8(problem)
            .unwrap()
            .contains("docx, md or txt")
    );
    // 查重: against the reference, against a pasted text (itself: all of it repeats).
    let (status, rates) = post(
        &server,
        "/api/similarity",
        &json!({"state": renewed["state"]}).to_string(),
    );
    assert_eq!(status, 200, "{rates}");
    let reference = rates["reference"].as_f64().unwrap();
    assert!((0.0..0.9).contains(&reference), "{rates}");
    assert!(rates["other_seed"].is_u64());
    let text: String = lines(&renewed).into_iter().map(|(_, t)| t + "\n").collect();
    let (_, itself) = post(
        &server,
        "/api/similarity",
        &json!({"state": renewed["state"], "other": text}).to_string(),
    );
    assert!(itself["other"].as_f64().unwrap() > 0.9, "{itself}");
}

#[test]
fn bad_requests_get_json_messages_with_the_right_status() {
    let mut server = Server::start();
    let state = |change: Value| -> String {
        let mut s = first_state();
        for (k, v) in change.as_object().unwrap() {
            s[k] = v.clone();
        }
        s.to_string()
    };
    let cases: Vec<(&str, String, u16, &str)> = vec![
        ("/api/draft", "{not json".into(), 400, "not the JSON"),
        (
            "/api/draft",
            state(json!({"colour": "red"})),
            400,
            "unknown field",
        ),
        ("/api/draft", state(json!({"place": ""})), 400, "empty"),
        (
            "/api/draft",
            state(json!({"county": null})),
            409,
            "choose one",
        ),
        (
            "/api/draft",
            state(json!({"place": "火星镇", "county": null})),
            404,
            "level",
        ),
        (
            "/api/draft",
            state(json!({"length": 10})),
            400,
            "out of range",
        ),
        (
            "/api/draft",
            state(json!({"length": 3000, "minutes": 10})),
            400,
            "not both",
        ),
        (
            "/api/draft",
            state(json!({"pack": "nope"})),
            400,
            "unknown pack",
        ),
        (
            "/api/draft",
            state(json!({"level": "村"})),
            400,
            "unknown level",
        ),
        (
            "/api/draft",
            state(json!({"script": "klingon"})),
            400,
            "unknown script",
        ),
        ("/api/draft", state(json!({"date": "明年春天"})), 422, ""),
        (
            "/api/draft",
            state(json!({"facts": {"tasks": ["【乡名】"]}})),
            400,
            "plain phrase",
        ),
        (
            "/api/draft",
            state(json!({"speaker": "长".repeat(300)})),
            400,
            "longer than",
        ),
        (
            "/api/draft",
            state(json!({"speaker": "张\u{7}明"})),
            400,
            "control",
        ),
        (
            "/api/draft",
            state(
                json!({"drawn": {"layout": {"arc": 9, "units": [], "forms": {}, "villages": []}, "choices": {}}}),
            ),
            422,
            "arc",
        ),
        (
            "/api/redraw",
            json!({"state": first_state(), "part": "s1.p1"}).to_string(),
            400,
            "draw the draft first",
        ),
        (
            "/api/redraw",
            json!({"part": "s1.p1"}).to_string(),
            400,
            "missing field",
        ),
        (
            "/api/download",
            json!({"state": first_state(), "format": "exe"}).to_string(),
            400,
            "docx",
        ),
        ("/api/nowhere", "{}".into(), 404, "no such page"),
    ];
    for (path, body, status, says) in cases {
        let (got, problem) = post(&server, path, &body);
        assert_eq!(got, status, "{path} {body}: {problem}");
        let message = problem["error"].as_str().unwrap();
        assert!(message.contains(says), "{path} {body}: {message}");
    }
    // Candidates come with an ambiguous or unknown place.
    let (_, ambiguous) = post(&server, "/api/draft", &state(json!({"county": null})));
    assert!(ambiguous["candidates"].as_array().unwrap().len() > 5);
    let (_, unknown) = post(
        &server,
        "/api/draft",
        &state(json!({"place": "西布河相", "county": null})),
    );
    assert!(!unknown["candidates"].as_array().unwrap().is_empty());
    // A GET where a POST belongs, and a body over the limit.
    let (status, problem) = get(&server, "/api/draft");
    assert_eq!(status, 405);
    assert!(problem["error"].as_str().unwrap().contains("POST"));
    // A body over the limit: the server answers 413 as soon as it has read past the
    // limit, so the request is written on a socket of our own that may close under it.
    let huge = format!("{{\"place\": \"{}\"}}", "镇".repeat(1_000_000));
    let (status, problem) = post_raw(&server, "/api/draft", huge.as_bytes());
    assert_eq!(status, 413, "{problem}");
    assert!(problem.contains("larger than"), "{problem}");
    assert!(server.is_running());
}

#[test]
fn fuzzed_requests_never_take_the_server_down() {
    use rand::{RngExt, SeedableRng};
    let mut server = Server::start();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
    let valid =
        json!({"state": first_state(), "part": "s1.p1", "format": "docx", "seed": 3}).to_string();
    let fields = [
        "place",
        "county",
        "level",
        "pack",
        "seed",
        "length",
        "minutes",
        "date",
        "speaker",
        "script",
        "facts",
        "drawn",
        "locks",
        "edits",
        "turns",
        "placeholders",
    ];
    let junk = [
        json!(null),
        json!(-1),
        json!(1e300),
        json!("\u{0}\u{E000}"),
        json!([]),
        json!({}),
        json!(true),
        json!("9".repeat(40)),
        json!([["x"]]),
    ];
    for round in 0..240 {
        let path = [
            "/api/draft",
            "/api/redraw",
            "/api/again",
            "/api/download",
            "/api/similarity",
        ][round % 5];
        let body = match round % 3 {
            0 => {
                // A valid request cut anywhere, or with a byte flipped.
                let mut bytes = valid.clone().into_bytes();
                let at = rng.random_range(0..bytes.len());
                if rng.random_bool(0.5) {
                    bytes.truncate(at);
                } else {
                    bytes[at] = rng.random();
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
            1 => {
                // A state with a field of the wrong kind.
                let mut s = first_state();
                s[fields[rng.random_range(0..fields.len())]] =
                    junk[rng.random_range(0..junk.len())].clone();
                json!({"state": s, "part": "title", "format": "txt"}).to_string()
            }
            _ => {
                let n = rng.random_range(0..64);
                (0..n)
                    .map(|_| rng.random_range(0x20u8..0x7f) as char)
                    .collect()
            }
        };
        let (status, problem) = post(&server, path, &body);
        if status != 200 {
            assert!(
                (400..500).contains(&status),
                "{path} {body}: {status} {problem}"
            );
            assert!(problem["error"].is_string(), "{path} {body}: {problem}");
        }
    }
    assert!(server.is_running());
    assert_eq!(get(&server, "/api/packs").0, 200);
}

#[test]
fn two_hundred_concurrent_drafts_complete_and_memory_stays_flat() {
    let server = Server::start();
    let burst = |offset: u64| -> f64 {
        let started = std::time::Instant::now();
        let handles: Vec<_> = (0..200u64)
            .map(|i| {
                let url = format!("{}/api/draft", server.url);
                std::thread::spawn(move || {
                    let state = json!({"place": "530724208", "seed": offset + i, "length": 2500});
                    let response = agent()
                        .post(url)
                        .header("Content-Type", "application/json")
                        .send(state.to_string())
                        .unwrap();
                    response.status().as_u16()
                })
            })
            .collect();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), 200);
        }
        200.0 / started.elapsed().as_secs_f64()
    };
    let warm = burst(0);
    let after_one = server.rss_kb();
    let rate = burst(1000);
    burst(2000);
    let after_three = server.rss_kb();
    eprintln!(
        "200 concurrent drafts: {warm:.0} and {rate:.0} requests/s; server memory {after_one} kB \
         after one burst, {after_three} kB after three"
    );
    assert!(
        after_three <= after_one + after_one / 4 + 8_192,
        "memory grew from {after_one} kB to {after_three} kB"
    );
}

/// A POST written by hand: (status, body), whatever happens to the write.
fn post_raw(server: &Server, path: &str, body: &[u8]) -> (u16, String) {
    use std::io::{Read, Write};
    let address = server.url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}
