//! Diagnostics: push (`publishDiagnostics`) or pull (`textDocument/diagnostic`).
//!
//! Decision: a client that declares pull support (`textDocument.diagnostic`)
//! gets pull only, and is told to re-pull (`workspace/diagnostic/refresh`)
//! when something other than its own edits changes the results (settings, the
//! file system, the periodic re-check, launch findings). Every other client gets
//! push only. Never both: VS Code keeps pushed and pulled diagnostics in separate
//! collections and would show each problem twice (ruff does the same).
//!
//! Push: each edit schedules an analysis after a short wait (as long as the
//! last analysis of the document took, at most `Timing::debounce`). A task whose
//! revision is no longer current when it wakes, or when its analysis ends,
//! drops its result; publishing is serialised per document and re-checks the
//! revision under that lock, so an older result never follows a newer one.

use super::group;
use super::state::{Reported, Snapshot, State};
use crate::finding::Finding;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tower_lsp_server::ls_types::{
    Diagnostic, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport, Uri,
};

/// What the client is shown of a snapshot's findings: one diagnostic each,
/// but the same problem at many places once (`group`).
pub fn diagnostics(snap: &Snapshot, related_information: bool) -> Vec<Diagnostic> {
    let findings: Vec<&Finding> = snap.findings().collect();
    group::diagnostics(&snap.uri, &snap.doc, &findings, related_information)
}

/// Whether two sets of diagnostics say the same, whatever document version
/// their fix data was made for: same places, words and fix edits, so the
/// older set's fixes apply to the newer text as they are.
pub fn same_but_version(a: &[Diagnostic], b: &[Diagnostic]) -> bool {
    fn same_data(a: &Option<Value>, b: &Option<Value>) -> bool {
        match (a, b) {
            (Some(Value::Object(a)), Some(Value::Object(b))) => {
                a.len() == b.len() && a.iter().all(|(k, v)| k == "version" || b.get(k) == Some(v))
            }
            _ => a == b,
        }
    }
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| {
            // Every field named: a field added to `Diagnostic` must be compared too.
            let Diagnostic {
                range,
                severity,
                code,
                code_description,
                source,
                message,
                related_information,
                tags,
                data,
            } = a;
            *range == b.range
                && *severity == b.severity
                && *code == b.code
                && *code_description == b.code_description
                && *source == b.source
                && *message == b.message
                && *related_information == b.related_information
                && *tags == b.tags
                && same_data(data, &b.data)
        })
}

/// tokio's timer rounds a sleep up to whole milliseconds.
const TIMER_TICK: std::time::Duration = std::time::Duration::from_millis(1);

/// After an edit (push clients): analyse once the edits pause, then publish.
pub fn schedule(state: &Arc<State>, uri: Uri, rev: u64) {
    if state.caps().pull_diagnostics {
        return;
    }
    let wait = state.docs.get(&uri).map_or(state.timing.debounce, |e| {
        e.analysis_cost.min(state.timing.debounce)
    });
    let state = state.clone();
    tokio::spawn(async move {
        if wait < TIMER_TICK {
            // Cheaper than the timer's tick: just let edits already read go first.
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep(wait).await;
        }
        if state.current_rev(&uri) != Some(rev) {
            return; // superseded by a newer edit, whose own task will publish
        }
        if let Some(snap) = state.snapshot(&uri).await {
            publish(&state, &snap).await;
        }
    });
}

/// Publish a snapshot's diagnostics if it is still the current revision and
/// they differ from what the client has.
async fn publish(state: &State, snap: &Snapshot) {
    let Some(lock) = state.docs.get(&snap.uri).map(|e| e.publish.clone()) else {
        return;
    };
    let _serial = lock.lock().await;
    let started = std::time::Instant::now();
    let diagnostics = diagnostics(snap, state.caps().related_information);
    let version = snap.doc.version();
    tracing::debug!(
        "{} diagnostics for version {version} converted in {:?}",
        diagnostics.len(),
        started.elapsed()
    );
    {
        let Some(mut e) = state.docs.get_mut(&snap.uri) else {
            return;
        };
        if e.rev != snap.rev {
            return; // a newer edit arrived while we analysed
        }
        if let Some(r) = e.reported.as_mut()
            && same_but_version(&r.diagnostics, &diagnostics)
        {
            // An edit that changed no diagnostic (typing in a long history,
            // say): the client keeps what it has, and their fixes still apply.
            r.still_at = version;
            return;
        }
        e.reported = Some(Reported::new(
            version,
            snap.rev.to_string(),
            diagnostics.clone(),
        ));
    }
    state
        .client
        .publish_diagnostics(snap.uri.clone(), diagnostics, Some(version))
        .await;
}

/// Re-analyse every open document (settings, file system or timer) and
/// update the client: publish (push) or ask it to re-pull (pull) where the
/// results changed.
pub async fn recheck_all(state: &Arc<State>) {
    let caps = state.caps();
    let mut changed = false;
    for (uri, _) in state.invalidate_all() {
        let Some(snap) = state.snapshot(&uri).await else {
            continue;
        };
        if caps.pull_diagnostics {
            let now = diagnostics(&snap, caps.related_information);
            changed |= state.docs.get(&uri).is_some_and(|e| {
                e.reported
                    .as_ref()
                    .is_none_or(|r| !same_but_version(&r.diagnostics, &now))
            });
        } else {
            publish(state, &snap).await;
        }
    }
    if changed
        && caps.diagnostic_refresh
        && let Err(e) = state.client.workspace_diagnostic_refresh().await
    {
        tracing::warn!("workspace/diagnostic/refresh failed: {e}");
    }
}

/// Re-check every document soon; a burst of calls (file events during an
/// `npm install`) costs one re-check.
pub fn schedule_recheck_all(state: &Arc<State>) {
    if state.recheck_pending.swap(true, Ordering::SeqCst) {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        tokio::time::sleep(state.timing.debounce * 5).await;
        state.recheck_pending.store(false, Ordering::SeqCst);
        recheck_all(&state).await;
    });
}

/// Re-analyse one document now (e.g. after launch findings were attached).
pub async fn recheck(state: &Arc<State>, uri: &Uri) {
    let caps = state.caps();
    if caps.pull_diagnostics {
        if caps.diagnostic_refresh {
            let _ = state.client.workspace_diagnostic_refresh().await;
        }
    } else if let Some(snap) = state.snapshot(uri).await {
        publish(state, &snap).await;
    }
}

/// Attach the findings of a test launch of `server` in `uri` and update the
/// client. They stay until the server's entry is edited. For the launch engine.
pub async fn attach_launch_findings(
    state: &Arc<State>,
    uri: &Uri,
    server: &str,
    findings: Vec<Finding>,
    report: Option<Arc<crate::launch::LaunchReport>>,
) -> bool {
    let ok = state
        .set_launch_findings(uri, server, findings, report)
        .await;
    if ok {
        recheck(state, uri).await;
    }
    ok
}

/// Closing a document clears its diagnostics (push; pull clients drop them
/// themselves): after any publish already under way (it holds `publish`), and
/// not if the document was opened again meanwhile.
pub async fn clear(state: &State, uri: Uri, publish: Arc<tokio::sync::Mutex<()>>) {
    if state.caps().pull_diagnostics {
        return;
    }
    let _serial = publish.lock().await;
    if !state.docs.contains_key(&uri) {
        state
            .client
            .publish_diagnostics(uri, Vec::new(), None)
            .await;
    }
}

/// `textDocument/diagnostic`. Documents that are not ours get an empty report.
pub async fn pull(
    state: &State,
    uri: &Uri,
    previous_result_id: Option<String>,
) -> DocumentDiagnosticReportResult {
    let full = |result_id: Option<String>, items: Vec<Diagnostic>| {
        DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
            },
        ))
    };
    let Some(snap) = state.snapshot(uri).await else {
        return full(None, Vec::new());
    };
    let items = diagnostics(&snap, state.caps().related_information);
    let Some(mut e) = state.docs.get_mut(uri) else {
        return full(None, Vec::new());
    };
    // The same diagnostics as served before (whatever version their fixes
    // were made for) keep their result id: the client re-uses its copy.
    let (result_id, items) = match e.reported.as_mut() {
        Some(r) if same_but_version(&r.diagnostics, &items) => {
            r.still_at = snap.doc.version();
            (r.result_id.clone(), r.diagnostics.clone())
        }
        _ => {
            let id = snap.rev.to_string();
            e.reported = Some(Reported::new(snap.doc.version(), id.clone(), items.clone()));
            (id, items)
        }
    };
    drop(e);
    if previous_result_id.as_deref() == Some(result_id.as_str()) {
        DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
            RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id,
                },
            },
        ))
    } else {
        full(Some(result_id), items)
    }
}
