/** Marks links to missing images in the Problems view and the editor, at the level the user chose. */

import * as vscode from 'vscode';
import { readMissingImageSettings, readSettings, SECTION, type MissingImageSeverity } from '../config';
import type { DocumentImageLink } from './documentLinks';
import type { MissingImageIndex } from './missingImageIndex';
import { planFor } from './missingImagePlans';

export const DIAGNOSTIC_SOURCE = 'Seedream';
/** The code of every missing-image diagnostic; the quick fixes find their link through the range. */
export const MISSING_IMAGE_CODE = 'missing-image';

const SEVERITIES: Readonly<Record<Exclude<MissingImageSeverity, 'off'>, vscode.DiagnosticSeverity>> = {
  hint: vscode.DiagnosticSeverity.Hint,
  information: vscode.DiagnosticSeverity.Information,
  warning: vscode.DiagnosticSeverity.Warning,
};

export function registerMissingImageDiagnostics(index: MissingImageIndex): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('seedream-missing-images');
  const update = (uri: vscode.Uri): void => {
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    const links = document ? index.linksOf(document) : [];
    const severity = readMissingImageSettings(uri).severity;
    // Settings are read once per document, not once per link.
    const model = readSettings(uri).model;
    collection.set(uri, severity === 'off' ? [] : links.map((link) => diagnosticOf(link, model, SEVERITIES[severity])));
  };
  return vscode.Disposable.from(
    collection,
    index.onDidChange(update),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SECTION)) {
        vscode.workspace.textDocuments.forEach((document) => update(document.uri));
      }
    }),
  );
}

function diagnosticOf(link: DocumentImageLink, model: string, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const plan = planFor(link, model);
  const advice = plan.ok
    ? link.reference.explicitPrompt
      ? vscode.l10n.t('The Quick Fix or the CodeLens generates it from the prompt in its title.')
      : vscode.l10n.t('The Quick Fix or the CodeLens generates it from its alt text.')
    : plan.problem.message;
  const diagnostic = new vscode.Diagnostic(link.range, vscode.l10n.t('Image not found: {0}. {1}', link.reference.path, advice), severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = MISSING_IMAGE_CODE;
  return diagnostic;
}
