//! Throughput of the pieces a corpus is made of: one draft (choose, render, build, check;
//! with the compiled skeleton and with Tera),
//! its JSON line, and one whole corpus document (place, draft, line). Run with
//! `cargo bench --bench throughput`; the README's “Test corpora” section quotes them.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use speechgen::draft::generate::{Options, Renderer, generate};
use speechgen::pack::Pack;
use speechgen::place::resolve::{PlaceQuery, resolve};
use speechgen::render;
use speechgen::scale::corpus::{CorpusArgs, CorpusFormat, Plan};

/// The allocator the binary uses (src/main.rs), so that the figures match a real run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn drafts(c: &mut Criterion) {
    let pack = Pack::default_pack().expect("the embedded pack loads");
    let loc = resolve(&PlaceQuery {
        locality: Some("310118102".into()),
        ..PlaceQuery::default()
    })
    .expect("朱家角镇 is in the gazetteer");
    let options = |seed| Options {
        seed,
        ..Options::default()
    };
    let speech = generate(pack, &loc, &options(1)).expect("renders");
    let line = render::json(&speech, &pack.id, 1, &loc, true);

    let mut group = c.benchmark_group("draft");
    group.throughput(Throughput::Elements(1));
    let mut seed = 0u64;
    group.bench_function("generate (朱家角镇, new seed each time)", |b| {
        b.iter(|| {
            seed += 1;
            black_box(generate(pack, &loc, &options(seed)).expect("renders"))
        })
    });
    // The same drafts with the skeleton rendered by Tera's interpreter instead of its
    // compiled program (pack::program): what compiling the skeleton saves.
    let mut seed = 0u64;
    group.bench_function(
        "generate, Tera renderer (朱家角镇, new seed each time)",
        |b| {
            b.iter(|| {
                seed += 1;
                let tera = Options {
                    renderer: Renderer::Tera,
                    ..options(seed)
                };
                black_box(generate(pack, &loc, &tera).expect("renders"))
            })
        },
    );
    group.throughput(Throughput::Bytes(line.len() as u64));
    group.bench_function("json line (compact)", |b| {
        b.iter(|| black_box(render::json(&speech, &pack.id, 1, &loc, true)))
    });
    group.finish();

    let plan = Plan::new(&CorpusArgs {
        count: u64::MAX,
        seed: 1,
        ..CorpusArgs::default()
    })
    .expect("the corpus plan loads");
    let sample = plan.document(0, CorpusFormat::Jsonl).expect("document 0");
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(sample.line.len() as u64));
    let mut index = 0u64;
    group.bench_function("document (any township, JSON line)", |b| {
        b.iter(|| {
            index += 1;
            black_box(plan.document(index, CorpusFormat::Jsonl).expect("document"))
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6));
    targets = drafts
}
criterion_main!(benches);
