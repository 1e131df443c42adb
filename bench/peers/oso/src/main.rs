//! oso-peer backup|restore CONFIG.yaml
//!
//! Runs OSO's engine (kafka-backup-core) on one OSO config file, as OSO's CLI does:
//! parse with `Config::from_yaml_with_warnings`, then `BackupEngine::new(config).await?.run()`
//! or `RestoreEngine::new(config)?.run()`. Exit 2 for usage and config errors, 1 for failures.
use kafka_backup_core::backup::BackupEngine;
use kafka_backup_core::{Config, RestoreEngine};
use std::process::ExitCode;

async fn run(mode: &str, config: Config) -> kafka_backup_core::Result<()> {
    match mode {
        "backup" => BackupEngine::new(config).await?.run().await,
        _ => RestoreEngine::new(config)?.run().await.map(|_| ()),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 || !matches!(args[1].as_str(), "backup" | "restore") {
        eprintln!("usage: oso-peer backup|restore CONFIG.yaml");
        return ExitCode::from(2);
    }
    let yaml = match std::fs::read_to_string(&args[2]) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("oso-peer: cannot read {}: {e}", args[2]);
            return ExitCode::from(2);
        }
    };
    let config = match Config::from_yaml_with_warnings(&yaml) {
        Ok((config, ignored)) => {
            for key in ignored {
                eprintln!("oso-peer: warning: unknown config key {key} ignored");
            }
            config
        }
        Err(e) => {
            eprintln!("oso-peer: bad config {}: {e}", args[2]);
            return ExitCode::from(2);
        }
    };
    match run(&args[1], config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("oso-peer: {} failed: {e}", args[1]);
            ExitCode::from(1)
        }
    }
}
