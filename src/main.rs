//! The `speechgen` binary: everything is in the library's `cli` stage.

/// mimalloc: a draft is built from tens of thousands of small strings and maps, and
/// glibc's malloc/free took a fifth of a corpus run's time (perf, cpu-clock). Version 2
/// without transparent huge pages keeps a streamed corpus near 50 MB resident.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(speechgen::cli::main());
}
