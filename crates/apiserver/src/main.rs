//! The kube-apiserver binary: flags, logging, signals; everything else is in the library.

use clap::Parser;

/// The server allocates many small, short-lived values per request; mimalloc handles
/// that pattern markedly better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn init_logging(verbosity: u8, json: bool) {
    let level = match verbosity {
        0..=2 => "info",
        3..=5 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("KUBERUST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("warn,apiserver={level},storage={level}")));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn terminated() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    tracing::info!("shutting down");
}

#[tokio::main]
async fn main() {
    let config = apiserver::config::Config::parse();
    init_logging(config.verbosity, config.logging_format == "json");
    if let Err(e) = apiserver::run(config, terminated()).await {
        eprintln!("kube-apiserver: {e}");
        std::process::exit(1);
    }
}
