use std::io::{self, BufReader};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use kernteam_bot::anchor::Anchor;
use kernteam_bot::catalogue::Catalogue;
use kernteam_bot::chain::LogKey;
use kernteam_bot::config::Config;
use kernteam_bot::core::Core;
use kernteam_bot::draaiboek::Draaiboek;
use kernteam_bot::engine::Engine;
use kernteam_bot::matrix::{self, DataDir};
use kernteam_bot::store::{Store, Verification};

#[derive(Parser)]
#[command(version, about = "Matrix bot for a municipal crisis team (kernteam)")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the bot in Matrix (see config.example.toml).
    Run {
        #[arg(long)]
        config: PathBuf,
    },
    /// Type commands on stdin, one per line; `/als @user:server` switches the sender.
    Console {
        /// The sled store directory (created if missing).
        #[arg(long)]
        store: PathBuf,
        /// Who is typing.
        #[arg(long = "as", default_value = "@voorzitter:example.org")]
        sender: String,
        /// A team's own draaiboek (TOML) that overrides the built-in one.
        #[arg(long)]
        draaiboek: Option<PathBuf>,
        /// Key the logboek's hash chain (HMAC) with this file (outside the store, mode 0600).
        #[arg(long)]
        log_key_file: Option<PathBuf>,
    },
    /// Check every incident the store counted and its logboek hash chain.
    Verify {
        #[arg(long)]
        store: PathBuf,
        /// An anchor posted in the room, `<incident>:<count>:<hash>`: the
        /// chain must still have that hash at that entry. Repeatable.
        #[arg(long = "anchor", value_name = "INCIDENT:COUNT:HASH")]
        anchors: Vec<Anchor>,
        /// The key of a keyed logboek (needed for a keyed store).
        #[arg(long)]
        log_key_file: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kernteam-bot: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Files the bot creates (the store's, the SDK's) are its owner's alone.
fn private_files() {
    // SAFETY: umask only sets the process's file creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// Warnings (e.g. a store directory that was open to others) on stderr.
fn warnings_to_stderr() {
    tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_writer(io::stderr)
        .init();
}

fn log_key(file: Option<&PathBuf>, store: &std::path::Path) -> anyhow::Result<Option<LogKey>> {
    file.map(|f| LogKey::load(f, store)).transpose()
}

fn load_draaiboek(path: Option<&PathBuf>) -> anyhow::Result<Draaiboek> {
    Ok(match path {
        Some(p) => Draaiboek::with_overrides(&std::fs::read_to_string(p)?)?,
        None => Draaiboek::built_in(),
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Cmd::Run { config } => {
            private_files();
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                        // The SDK logs expected 404s (e.g. no backup yet)
                        // as errors; failures that matter are logged here.
                        "warn,kernteam_bot=info,matrix_sdk::http_client=off".into()
                    }),
                )
                .init();
            let config = Config::load(&config)?;
            let dir = DataDir::open(&config.data_dir)?;
            let core = Core::new(
                Catalogue::built_in(),
                load_draaiboek(config.draaiboek.as_ref())?,
                config.prefix.as_str(),
            );
            let store = Store::open_keyed(&dir.state(), config.log_key.clone())?;
            let engine = Engine::new(core, store);
            tokio::runtime::Runtime::new()?.block_on(matrix::run(config, dir, engine))?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Console {
            store,
            sender,
            draaiboek,
            log_key_file,
        } => {
            private_files();
            warnings_to_stderr();
            let key = log_key(log_key_file.as_ref(), &store)?;
            let core = Core::new(
                Catalogue::built_in(),
                load_draaiboek(draaiboek.as_ref())?,
                "!",
            );
            let engine = Engine::new(core, Store::open_keyed(&store, key)?);
            kernteam_bot::console::run(
                &engine,
                sender,
                BufReader::new(io::stdin().lock()),
                io::stdout().lock(),
                chrono::Utc::now,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Verify {
            store,
            anchors,
            log_key_file,
        } => {
            warnings_to_stderr();
            if !store.is_dir() {
                anyhow::bail!("no store at {}", store.display());
            }
            let key = log_key(log_key_file.as_ref(), &store)?;
            let verdict = Store::open_to_verify(&store, key)?.verify_with(&anchors)?;
            println!("{verdict}");
            Ok(match verdict {
                Verification::Intact { .. } => ExitCode::SUCCESS,
                Verification::Broken { .. } => ExitCode::FAILURE,
            })
        }
    }
}
