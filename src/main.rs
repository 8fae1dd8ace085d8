use std::io::{self, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};

use kernteam_bot::anchor::Anchor;
use kernteam_bot::catalogue::Catalogue;
use kernteam_bot::chain::LogKey;
use kernteam_bot::config::Config;
use kernteam_bot::core::Core;
use kernteam_bot::draaiboek::Draaiboek;
use kernteam_bot::engine::{Engine, load_record};
use kernteam_bot::matrix::{self, DataDir};
use kernteam_bot::model::IncidentId;
use kernteam_bot::record::verify::{Verdict, verify_json};
use kernteam_bot::render::{ExportFile, ExportFormat};
use kernteam_bot::snapshot;
use kernteam_bot::store::{Store, Verification};
use kernteam_bot::timeexpr::format_full;

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
    /// Type commands on stdin, one per line; `/als @user:server [naam]` switches the sender.
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
        /// Where `!export` writes its files (default: DIR-exports next to the store).
        #[arg(long)]
        exports: Option<PathBuf>,
    },
    /// Write an incident's whole record as a file; without --incident, list
    /// the incidents. Works offline and while the bot runs (reads a copy).
    Export {
        #[arg(long)]
        store: PathBuf,
        #[arg(long)]
        incident: Option<IncidentId>,
        #[arg(long, default_value = "html", value_parser = parse_format)]
        format: ExportFormat,
        /// The file to write (default: the export's own name, in the current directory).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The team's draaiboek, for the names of phases, roles and scenarios.
        #[arg(long)]
        draaiboek: Option<PathBuf>,
    },
    /// Check a store's logboek hash chains, or a JSON export on its own.
    Verify(VerifyArgs),
}

#[derive(Args)]
struct VerifyArgs {
    /// Every incident the store counted and its hash chain.
    #[arg(long, required_unless_present = "export", conflicts_with = "export")]
    store: Option<PathBuf>,
    /// A JSON export (`export --format json`): its chain, anchors and sections.
    #[arg(long)]
    export: Option<PathBuf>,
    /// An anchor posted in the room, `<incident>:<count>:<hash>`: the chain
    /// must still have that hash at that entry. Repeatable.
    #[arg(
        long = "anchor",
        value_name = "INCIDENT:COUNT:HASH",
        requires = "store"
    )]
    anchors: Vec<Anchor>,
    /// The key of a keyed logboek (needed for a keyed store).
    #[arg(long, requires = "store")]
    log_key_file: Option<PathBuf>,
}

fn parse_format(word: &str) -> Result<ExportFormat, String> {
    ExportFormat::parse(word).ok_or_else(|| format!("'{word}': kies md, html of json"))
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

fn log_key(file: Option<&PathBuf>, store: &Path) -> anyhow::Result<Option<LogKey>> {
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
        Cmd::Run { config } => run_bot(&config),
        Cmd::Console {
            store,
            sender,
            draaiboek,
            log_key_file,
            exports,
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
                &exports.unwrap_or_else(|| beside(&store, "exports")),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Export {
            store,
            incident: Some(id),
            format,
            out,
            draaiboek,
        } => {
            let book = load_draaiboek(draaiboek.as_ref())?;
            export_incident(&store, id, format, out, &book)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Export { store, .. } => {
            list_incidents(&store)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Verify(VerifyArgs {
            store: Some(store),
            anchors,
            log_key_file,
            ..
        }) => verify_store(&store, &anchors, log_key_file.as_ref()),
        Cmd::Verify(VerifyArgs { export, .. }) => {
            verify_export(&export.context("--store or --export")?)
        }
    }
}

fn run_bot(config: &Path) -> anyhow::Result<ExitCode> {
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
    let config = Config::load(config)?;
    let dir = DataDir::open(&config.data_dir)?;
    let core = Core::new(
        Catalogue::built_in(),
        load_draaiboek(config.draaiboek.as_ref())?,
        config.prefix.as_str(),
    );
    // The adapter's outbox flushes before anything goes out (group commit).
    let store = Store::open_keyed(&dir.state(), config.log_key.clone())?.grouping_commits();
    let engine = Engine::new(core, store).with_flood_limit(config.flood_limit);
    tokio::runtime::Runtime::new()?.block_on(matrix::run(config, dir, engine))?;
    Ok(ExitCode::SUCCESS)
}

/// Exit 0 intact, 1 broken.
fn verify_store(
    store: &Path,
    anchors: &[Anchor],
    log_key_file: Option<&PathBuf>,
) -> anyhow::Result<ExitCode> {
    warnings_to_stderr();
    if !store.is_dir() {
        anyhow::bail!("no store at {}", store.display());
    }
    let key = log_key(log_key_file, store)?;
    let verdict = Store::open_to_verify(store, key)?.verify_with(anchors)?;
    println!("{verdict}");
    Ok(match verdict {
        Verification::Intact { .. } => ExitCode::SUCCESS,
        Verification::Broken { .. } => ExitCode::FAILURE,
    })
}

/// Writes incident `id`'s record, read from a copy of the store.
fn export_incident(
    store: &Path,
    id: IncidentId,
    format: ExportFormat,
    out: Option<PathBuf>,
    book: &Draaiboek,
) -> anyhow::Result<()> {
    let now = generated_at()?;
    let record = snapshot::read(store, |copy| match load_record(copy, book, id, now)? {
        None => anyhow::bail!("incident {id} bestaat niet in {}", store.display()),
        Some(record) if record.is_complete() => Ok(Some(record)),
        Some(_) => Ok(None),
    })?;
    let file = ExportFile::new(&record, format);
    let path = out.unwrap_or_else(|| PathBuf::from(&file.name));
    std::fs::write(&path, &file.bytes).with_context(|| format!("writing {}", path.display()))?;
    println!(
        "{} geschreven: incident {id}, {} logboekregels, {} bytes",
        path.display(),
        record.log.len(),
        file.bytes.len()
    );
    Ok(())
}

/// Exit 0 intact, 1 changed, 2 cannot be checked (a keyed chain).
fn verify_export(path: &Path) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let verdict = verify_json(&text)
        .with_context(|| format!("{} is geen JSON-export van kernteam-bot", path.display()))?;
    println!("{verdict}");
    Ok(match verdict {
        Verdict::Intact { .. } => ExitCode::SUCCESS,
        Verdict::Broken(_) => ExitCode::FAILURE,
        Verdict::Keyed => ExitCode::from(2),
    })
}

/// `DIR-exports` beside the store directory `DIR`.
fn beside(store: &Path, suffix: &str) -> PathBuf {
    let name = store
        .file_name()
        .map_or_else(|| "kernteam".into(), |n| n.to_string_lossy().into_owned());
    store.with_file_name(format!("{name}-{suffix}"))
}

/// Now, or SOURCE_DATE_EPOCH when set (reproducible example reports).
fn generated_at() -> anyhow::Result<DateTime<Utc>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(secs) => {
            let secs: i64 = secs.trim().parse().context("SOURCE_DATE_EPOCH")?;
            DateTime::from_timestamp(secs, 0).context("SOURCE_DATE_EPOCH out of range")
        }
        Err(_) => Ok(Utc::now()),
    }
}

fn list_incidents(store: &Path) -> anyhow::Result<()> {
    let incidents = snapshot::read(store, |copy| {
        Ok(Some(copy.incidents().collect::<Result<Vec<_>, _>>()?))
    })?;
    if incidents.is_empty() {
        println!("Geen incidenten in {}.", store.display());
        return Ok(());
    }
    println!("Incidenten in {}:", store.display());
    for i in &incidents {
        let until = i
            .closed
            .as_ref()
            .map_or_else(|| "loopt".to_string(), |c| format_full(c.at));
        println!(
            "{:>4}  {} – {:<16}  {:>6} regels  {}",
            i.id,
            format_full(i.opened_at),
            until,
            i.log_len,
            i.title
        );
    }
    println!(
        "Exporteer er een met: kernteam-bot export --store {} --incident NR --format html|md|json --out BESTAND",
        store.display()
    );
    Ok(())
}
