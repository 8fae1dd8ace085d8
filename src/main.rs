use std::io::{self, BufReader};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use kernteam_bot::catalogue::Catalogue;
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
    },
    /// Check every incident's logboek hash chain.
    Verify {
        #[arg(long)]
        store: PathBuf,
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

fn load_draaiboek(path: Option<&PathBuf>) -> anyhow::Result<Draaiboek> {
    Ok(match path {
        Some(p) => Draaiboek::with_overrides(&std::fs::read_to_string(p)?)?,
        None => Draaiboek::built_in(),
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Cmd::Run { config } => {
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
            let engine = Engine::new(core, Store::open(&dir.state())?);
            tokio::runtime::Runtime::new()?.block_on(matrix::run(config, dir, engine))?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Console {
            store,
            sender,
            draaiboek,
        } => {
            let core = Core::new(
                Catalogue::built_in(),
                load_draaiboek(draaiboek.as_ref())?,
                "!",
            );
            let engine = Engine::new(core, Store::open(&store)?);
            kernteam_bot::console::run(
                &engine,
                sender,
                BufReader::new(io::stdin().lock()),
                io::stdout().lock(),
                chrono::Utc::now,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Verify { store } => {
            let verdict = Store::open(&store)?.verify()?;
            println!("{verdict}");
            Ok(match verdict {
                Verification::Intact { .. } => ExitCode::SUCCESS,
                Verification::Broken { .. } => ExitCode::FAILURE,
            })
        }
    }
}
