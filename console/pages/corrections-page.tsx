import { useEffect, useRef, useState } from "preact/hooks";
import { messageOf } from "../api/console-api";
import { deleteCorrection, exportCorrectionsUrl, importCorrections, listCorrections, type Correction, type ImportLineError } from "../api/corrections-api";
import { BotTabs } from "../components/bot-tabs";
import { CorrectionEditor } from "../components/correction-editor";
import { Notice } from "../components/form-field";
import { formatDate } from "../format";
import { canEdit, useSession } from "../session-context";

/**
 * /admin/bots/:id/corrections: the bot's curated answers (question, phrasings, answer, use count, last use),
 * add, edit and delete with the CorrectionEditor, import and export as JSONL. Every text is rendered as text.
 */
export function CorrectionsPage({ botId }: { botId: string }) {
  const { member } = useSession();
  const editable = canEdit(member);
  const [corrections, setCorrections] = useState<Correction[]>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  /** "new", a correction's id, or nothing: which editor is open. */
  const [editing, setEditing] = useState<string>();
  const [importErrors, setImportErrors] = useState<{ message: string; lines: ImportLineError[] }>();
  const picker = useRef<HTMLInputElement>(null);

  const load = () =>
    listCorrections(botId).then(
      (list) => (setCorrections(list), setError(undefined)),
      (failure) => setError(messageOf(failure)),
    );
  useEffect(() => void load(), [botId]);

  const saved = (correction: Correction) => {
    setStatus(`${editing === "new" ? "Added" : "Saved"}: ${correction.question}`);
    setEditing(undefined);
    void load();
  };

  const remove = async (correction: Correction) => {
    if (!confirm(`Delete the correction for "${correction.question}"? Visitors get the model's answer again.`)) return;
    try {
      await deleteCorrection(botId, correction.id);
      setStatus(`Deleted: ${correction.question}`);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setImportErrors(undefined);
    setStatus(`Importing ${file.name}…`);
    try {
      const result = await importCorrections(botId, await file.text());
      if ("lines" in result) {
        setImportErrors(result);
        setStatus(`Nothing imported: ${result.lines.length} line(s) of ${file.name} have problems.`);
      } else {
        setStatus(`Imported ${result.imported} correction(s) from ${file.name}.`);
        await load();
      }
    } catch (failure) {
      setStatus(undefined);
      setError(messageOf(failure));
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Corrections</h1>
      <BotTabs botId={botId} current="corrections" />
      <p class="hint">A visitor whose question matches a correction's question or one of its phrasings gets its answer, marked as curated, with no model call.</p>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div class="actions toolbar">
        {editable ? (
          <button type="button" class="primary" onClick={() => setEditing("new")} disabled={editing === "new"}>
            Add correction
          </button>
        ) : null}
        <a class="button" href={exportCorrectionsUrl(botId)} download={`${botId}-corrections.jsonl`}>
          Export JSONL
        </a>
        {editable ? (
          <>
            <button type="button" onClick={() => picker.current?.click()}>
              Import JSONL
            </button>
            <input ref={picker} type="file" accept=".jsonl,.ndjson,application/x-ndjson,text/plain" class="sr-only" tabIndex={-1} aria-label="JSONL file to import" onChange={(e) => (void importFile(e.currentTarget.files?.[0]), (e.currentTarget.value = ""))} />
          </>
        ) : null}
      </div>
      <p class="sr-only" role="status">
        {status}
      </p>
      {status && !importErrors ? <Notice tone="info">{status}</Notice> : null}
      {importErrors ? (
        <div class="notice error" role="alert">
          <p>{importErrors.message}</p>
          <ul class="import-errors" aria-label="Problems by line">
            {importErrors.lines.map((problem) => (
              <li key={problem.line}>
                Line {problem.line}: {problem.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {editing === "new" ? <CorrectionEditor botId={botId} onSaved={saved} onCancel={() => setEditing(undefined)} /> : null}
      {!corrections && !error ? <p role="status">Loading corrections…</p> : null}
      {corrections && corrections.length === 0 ? <p>No corrections yet. Add one here, or use "Correct this" on an answer in a conversation.</p> : null}
      {corrections && corrections.length > 0 ? (
        <div class="table-wrap">
          <table class="data corrections-table">
            <caption class="sr-only">Corrections of this bot</caption>
            <thead>
              <tr>
                <th scope="col">Question and phrasings</th>
                <th scope="col">Answer</th>
                <th scope="col" class="number">
                  Used
                </th>
                <th scope="col">Last used</th>
                {editable ? (
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {corrections.map((correction) =>
                editing === correction.id ? (
                  <tr key={correction.id}>
                    <td colSpan={editable ? 5 : 4}>
                      <CorrectionEditor botId={botId} correctionId={correction.id} initial={correction} onSaved={saved} onCancel={() => setEditing(undefined)} />
                    </td>
                  </tr>
                ) : (
                  <tr key={correction.id}>
                    <th scope="row" class="question">
                      {correction.question}
                      {correction.phrasings.length ? (
                        <ul class="phrasings" aria-label="Other phrasings">
                          {correction.phrasings.map((phrasing) => (
                            <li key={phrasing}>{phrasing}</li>
                          ))}
                        </ul>
                      ) : null}
                    </th>
                    <td class="answer">
                      <p class="answer-text">{correction.answer}</p>
                      {correction.sources.length ? (
                        <ul class="row-links" aria-label="Links">
                          {correction.sources.map((source) => (
                            <li key={source.url}>
                              <a href={/^https?:\/\//i.test(source.url) ? source.url : undefined} target="_blank" rel="noopener noreferrer">
                                {source.title}
                              </a>
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </td>
                    <td class="number">{correction.usedCount}</td>
                    <td>{correction.lastUsedAt ? formatDate(correction.lastUsedAt) : "Never"}</td>
                    {editable ? (
                      <td class="row-actions">
                        <button type="button" onClick={() => setEditing(correction.id)} aria-label={`Edit the correction for ${correction.question}`}>
                          Edit
                        </button>
                        <button type="button" class="danger" onClick={() => void remove(correction)} aria-label={`Delete the correction for ${correction.question}`}>
                          Delete
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
