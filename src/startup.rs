//! Building and running the HTTP server; tests start the real thing on port 0.
//!
//! The composition root: it prepares the database, builds every layer's parts once into
//! `AppState`, starts the background threads (the feed's sequencer, the clock, the audit
//! writer, the webhook worker) and the actix server, and stops them in order. It holds no
//! request logic.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use actix_http::{HttpService, KeepAlive};
use actix_service::{IntoServiceFactory, ServiceFactoryExt, fn_service, map_config};
use actix_web::dev::{AppConfig, Server};
use actix_web::middleware::from_fn;
use actix_web::rt::net::TcpStream;
use actix_web::{App, web};
use tokio::sync::watch;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::agreements::policy::Policy;
use crate::api::{self, openapi};
use crate::audit::anonymous::Anonymous;
use crate::audit::log_keys::AuditKeys;
use crate::audit::writer::{Recorder, Writer};
use crate::auth::secrets::KeyEncryptionKey;
use crate::auth::{Auth, keys};
use crate::clock::Clock;
use crate::config::Settings;
use crate::console::{self, Console};
use crate::db::{self, DatabaseUrl, Db, DbError};
use crate::feed::read::FeedHead;
use crate::feed::sequencer::Sequencer;
use crate::feed::webhooks::Webhooks;
use crate::feed::webhooks::worker::Worker;
use crate::http::state::AppState;
use crate::http::{
    fallback, head, logging::SafeRootSpan, metrics, recorder, request_id, security_headers,
    unparsed::Unparsed,
};
use crate::records::cursor::CursorKey;

/// Connects, applies pending migrations and loads the region table if it changed.
/// Blocking: call it before the server starts, or from a blocking task.
pub fn prepare_database(url: &DatabaseUrl) -> Result<db::AnyConnection, DbError> {
    let mut conn = url.connect()?;
    let applied = db::migrate(&mut conn)?;
    if applied > 0 {
        tracing::info!(
            migrations = applied,
            backend = url.backend_name(),
            "migrations applied"
        );
    }
    if db::regions::sync(&mut conn)? {
        tracing::info!("region table loaded");
    }
    Ok(conn)
}

/// The key-encryption key: from the settings, or for the embedded SQLite database a key
/// file beside it (created on first start). PostgreSQL deployments must set it explicitly,
/// so that every instance shares the same key.
pub fn key_encryption_key(settings: &Settings) -> anyhow::Result<KeyEncryptionKey> {
    if let Some(text) = &settings.key_encryption_key {
        return Ok(KeyEncryptionKey::from_base64(text)?);
    }
    match DatabaseUrl::parse(&settings.database_url())? {
        DatabaseUrl::Sqlite(path) => {
            let dir = Path::new(&path).parent().unwrap_or(Path::new("."));
            db::sqlite_files::create_dir(dir)?;
            Ok(KeyEncryptionKey::load_or_create(
                &dir.join("key-encryption-key"),
            )?)
        }
        DatabaseUrl::Postgres(_) => anyhow::bail!(
            "SINERGI_KEY_ENCRYPTION_KEY must be set when the database is PostgreSQL \
             (32 random bytes in base64, e.g. `openssl rand -base64 32`)"
        ),
    }
}

pub struct Application {
    port: u16,
    server: Server,
    db: Db,
    background: Background,
}

/// The background threads: the clock, the audit log's and the webhook worker. They stop
/// when the application is dropped, run or not, so that none outlives it holding database
/// connections.
struct Background {
    clock: Option<Clock>,
    webhooks: Option<Worker>,
    writer: Option<Writer>,
    sequencer: Option<Sequencer>,
}

impl Drop for Background {
    fn drop(&mut self) {
        // The clock first: the changes it still makes, the sequencer then numbers.
        if let Some(clock) = self.clock.take() {
            clock.stop();
        }
        // The webhook worker next: it follows the head the sequencer moves.
        if let Some(webhooks) = self.webhooks.take() {
            webhooks.stop();
        }
        // The writer next: what it still stores, the sequencer then puts in the tree.
        if let Some(writer) = self.writer.take() {
            writer.stop();
        }
        if let Some(sequencer) = self.sequencer.take() {
            sequencer.stop();
        }
    }
}

impl Application {
    /// Prepares the database and binds the listener; the server runs once awaited.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let url = DatabaseUrl::parse(&settings.database_url())?;
        let kek = Arc::new(key_encryption_key(&settings)?);
        let db = {
            let (url, settings, kek) = (url.clone(), settings.clone(), kek.clone());
            web::block(move || -> anyhow::Result<Db> {
                let mut conn = prepare_database(&url)?;
                let now = chrono::Utc::now().timestamp();
                keys::ensure_current(&mut conn, &kek, now, keys::VERIFY_WINDOW_SECS)?;
                keys::check_usable(&mut conn, &kek, keys::VERIFY_WINDOW_SECS)?;
                Ok(Db::open(
                    &url,
                    settings.db_pool_size,
                    settings.db_timeout(),
                )?)
            })
            .await??
        };
        let listener = TcpListener::bind(settings.bind)?;
        let port = listener.local_addr()?.port();
        let reading = Reading {
            cursor_key: CursorKey::new(&kek),
            agreements: Arc::new(Policy::new(db.clone(), kek.derive("sinergi/subject-ref"))),
        };
        let audit_keys = Arc::new(AuditKeys::new(&kek, &settings.audit_origin)?);
        let (feed_head, feed_waiters) = watch::channel(0);
        // Owned at once, so that an error below still stops what was started.
        let mut background = Background {
            clock: None,
            webhooks: None,
            writer: None,
            sequencer: Some(Sequencer::start(
                db.clone(),
                audit_keys.clone(),
                settings.sequence_interval(),
                settings.audit_checkpoint_interval(),
                feed_head,
            )?),
        };
        background.clock = Some(Clock::start(db.clone(), settings.follow_up())?);
        let anonymous = Arc::new(Anonymous::new(settings.anonymous()));
        let (recorder, writer) = Recorder::start(db.clone(), audit_keys.clone(), anonymous)?;
        background.writer = Some(writer);
        let worker = settings.webhook_worker();
        let webhooks = Webhooks {
            allow: worker.allow.clone(),
            kek: kek.clone(),
            max_per_agency: settings.webhook_max_subscriptions_per_agency,
        };
        background.webhooks = Some(Worker::start(
            db.clone(),
            reading.agreements.clone(),
            kek.clone(),
            audit_keys.clone(),
            feed_waiters.clone(),
            worker,
        )?);
        let console = Console::new(db.clone(), kek.clone(), settings.public_url.as_deref());
        let auth = Auth::new(db.clone(), kek, &settings);
        let audit = Audit {
            keys: audit_keys,
            recorder,
        };
        let server = serve(
            listener,
            db.clone(),
            Identity { auth, console },
            reading,
            audit,
            Following {
                head: FeedHead(feed_waiters),
                webhooks,
            },
            &settings,
        )?;
        Ok(Self {
            port,
            server,
            db,
            background,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// A handle that stops the server from another thread or task.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGTERM or SIGINT, then lets in-flight requests finish; the audit
    /// log then stores and integrates the last entries.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Self {
            server, background, ..
        } = self;
        let result = server.await;
        web::block(move || drop(background))
            .await
            .map_err(std::io::Error::other)?;
        result
    }
}

/// Who may call: the API's clients and the console's people.
struct Identity {
    auth: Auth,
    console: Console,
}

/// What the audit log needs while serving.
struct Audit {
    keys: Arc<AuditKeys>,
    recorder: Recorder,
}

/// What following the changes needs while serving: the head long-polls wait on, and what
/// the subscription handlers check and seal with.
struct Following {
    head: FeedHead,
    webhooks: Webhooks,
}

/// What reading records needs: the key that seals search cursors, and the agreements that
/// decide what a reader sees.
struct Reading {
    cursor_key: CursorKey,
    agreements: Arc<Policy>,
}

fn serve(
    listener: TcpListener,
    db: Db,
    identity: Identity,
    reading: Reading,
    audit: Audit,
    following: Following,
    settings: &Settings,
) -> std::io::Result<Server> {
    let doc = openapi::document();
    crate::domain::field_error::learn_schema_names(openapi::names::of(&doc));
    let state = web::Data::new(AppState {
        db,
        auth: identity.auth,
        audit_keys: audit.keys,
        recorder: audit.recorder,
        cursor_key: reading.cursor_key,
        agreements: reading.agreements,
        feed_head: following.head,
        webhooks: following.webhooks,
        console: identity.console,
        metrics: metrics::Metrics::new(),
        routes: fallback::RouteTable::from_openapi(&doc),
        openapi_json: openapi::to_json(&doc),
        max_body_bytes: settings.max_body_bytes,
        max_batch_items: settings.max_batch_items,
    });
    let recorder = state.recorder.clone();
    let app = move || {
        App::new()
            .app_data(state.clone())
            // Routes HEAD as GET, after the layers outside have seen the HEAD.
            .wrap(from_fn(head::middleware))
            // Innermost but for that: it sees the route and the handler's answer, and
            // whatever it answers (a 503 when the entry cannot be stored) is what the layers
            // outside see.
            .wrap(from_fn(recorder::middleware))
            .wrap(from_fn(metrics::middleware))
            .wrap(TracingLogger::<SafeRootSpan>::new())
            .wrap(from_fn(request_id::middleware))
            .wrap(from_fn(security_headers::middleware))
            .into_utoipa_app()
            .configure(api::configure)
            .into_app()
            .configure(console::configure)
            // GET only: `web::redirect` would answer every method.
            .route(
                "/docs",
                web::get().to(|| async { web::Redirect::to("/docs/") }),
            )
            .service(
                // The UI loads the document from our own /openapi.json; the online validator
                // badge is switched off because nothing may leave the machine.
                SwaggerUi::new("/docs/{_:.*}")
                    .config(Config::new(["/openapi.json"]).validator_url("none")),
            )
            .default_service(web::to(fallback::not_routed))
    };
    // What actix-web's `HttpServer` does, but for the connection each request reads from:
    // wrapped, so that the requests the HTTP layer refuses itself get a problem answer and
    // an audit count (`http::unparsed`), which `HttpServer` has no way to give them. The
    // timeouts are `HttpServer`'s defaults, which README documents.
    let builder = Server::build();
    let shutting_down = builder.graceful_shutdown_signal();
    let local = listener.local_addr()?;
    let mut builder = builder
        .listen("sinergi-http", listener, move || {
            let recorder = recorder.clone();
            let shutting_down = shutting_down.clone();
            let http = HttpService::build()
                .graceful_shutdown_signal(move || {
                    let signal = shutting_down.clone();
                    async move { signal.notified().await }
                })
                .keep_alive(KeepAlive::default())
                .client_request_timeout(Duration::from_secs(5))
                .client_disconnect_timeout(Duration::from_secs(1))
                .h1_allow_half_closed(true)
                .local_addr(local)
                .h1(map_config(
                    app()
                        .into_factory()
                        .map_err(|e: actix_web::Error| e.error_response()),
                    |_| AppConfig::default(),
                ));
            fn_service(move |io: TcpStream| {
                let peer = io.peer_addr().ok();
                let io = Unparsed::new(io, peer, recorder.clone());
                std::future::ready(Ok((io, peer)))
            })
            .and_then(http)
        })?
        .shutdown_timeout(settings.shutdown_timeout().as_secs());
    if settings.workers > 0 {
        builder = builder.workers(settings.workers);
    }
    Ok(builder.run())
}
