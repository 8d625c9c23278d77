/** Quick Fixes and CodeLenses on links to missing images: generate one, generate all, or fix the link. */

import * as vscode from 'vscode';
import { findModel } from '../../core/model/catalog';
import { formatLinkTarget } from '../../core/links/linkFormat';
import { withExtension, type MissingImagePlan } from '../../core/links/missingImage';
import { readMissingImageSettings, readSettings, SECTION } from '../config';
import { DOCS_SELECTOR, type DocumentImageLink } from './documentLinks';
import { DIAGNOSTIC_SOURCE, MISSING_IMAGE_CODE } from './missingImageDiagnostics';
import type { MissingImageIndex } from './missingImageIndex';
import { planFor } from './missingImagePlans';
import type { LinkArguments } from './linkArguments';
import { GenerateAllMissingImagesInFileCommand, GenerateMissingImageCommand } from './missingImageCommands';

export function registerMissingImageActions(index: MissingImageIndex): vscode.Disposable {
  const lensesChanged = new vscode.EventEmitter<void>();
  return vscode.Disposable.from(
    lensesChanged,
    index.onDidChange(() => lensesChanged.fire()),
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration(SECTION) && lensesChanged.fire()),
    vscode.languages.registerCodeActionsProvider(DOCS_SELECTOR, new MissingImageFixes(index), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    vscode.languages.registerCodeLensProvider(DOCS_SELECTOR, {
      onDidChangeCodeLenses: lensesChanged.event,
      provideCodeLenses: (document) => codeLensesOf(document, index),
    }),
  );
}

class MissingImageFixes implements vscode.CodeActionProvider {
  constructor(private readonly index: MissingImageIndex) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter(
      (diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE && diagnostic.code === MISSING_IMAGE_CODE,
    );
    const links = this.index.linksOf(document);
    const actions = ours.flatMap((diagnostic) => {
      const link = links.find((candidate) => candidate.range.isEqual(diagnostic.range));
      return link ? fixesFor(link, planFor(link), diagnostic) : [];
    });
    if (actions.length > 0 && links.length > 1) {
      actions.push(
        commandAction(
          vscode.l10n.t('Generate all missing images in this file'),
          GenerateAllMissingImagesInFileCommand.id,
          [{ uri: document.uri.toString() }],
          ours,
        ),
      );
    }
    return actions;
  }
}

function fixesFor(link: DocumentImageLink, plan: MissingImagePlan, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
  const path = link.reference.path;
  if (plan.ok) {
    const generate = commandAction(
      vscode.l10n.t('Generate image "{0}"', path),
      GenerateMissingImageCommand.id,
      [argumentsOf(link)],
      [diagnostic],
    );
    generate.isPreferred = true;
    return [generate];
  }
  const { problem } = plan;
  switch (problem.kind) {
    case 'formatNeedsOtherModel':
      return [
        commandAction(
          vscode.l10n.t('Generate image "{0}" with {1}', path, problem.alternative.label),
          GenerateMissingImageCommand.id,
          [{ ...argumentsOf(link), model: problem.alternative.id }],
          [diagnostic],
        ),
        relinkAction(link, 'jpg', diagnostic),
      ];
    case 'unsupportedExtension': {
      const model = findModel(readSettings(link.document.uri).model);
      return [relinkAction(link, model?.outputFormats[0] === 'jpeg' ? 'jpg' : 'png', diagnostic)];
    }
    default:
      return [];
  }
}

/** Changes the link's file extension, keeping its text, title and attributes. */
function relinkAction(link: DocumentImageLink, extension: string, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(vscode.l10n.t('Link a .{0} instead', extension), vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.edit = new vscode.WorkspaceEdit();
  action.edit.replace(link.document.uri, link.targetRange, formatLinkTarget(link.syntax, withExtension(link.reference.path, extension)));
  return action;
}

function commandAction(title: string, command: string, args: unknown[], diagnostics: vscode.Diagnostic[]): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = diagnostics;
  action.command = { title, command, arguments: args };
  return action;
}

function codeLensesOf(document: vscode.TextDocument, index: MissingImageIndex): vscode.CodeLens[] {
  if (!readMissingImageSettings(document.uri).codeLens) {
    return [];
  }
  const links = index.linksOf(document);
  const model = readSettings(document.uri).model;
  const lenses = links.flatMap((link) =>
    planFor(link, model).ok
      ? [
          new vscode.CodeLens(link.range, {
            title: `$(sparkle) ${vscode.l10n.t('Generate image')}`,
            tooltip: vscode.l10n.t('Generate {0} from “{1}”', link.reference.path, link.reference.prompt),
            command: GenerateMissingImageCommand.id,
            arguments: [argumentsOf(link)],
          }),
        ]
      : [],
  );
  if (lenses.length > 1) {
    lenses.unshift(
      new vscode.CodeLens(lenses[0].range, {
        title: vscode.l10n.t('Generate all {0} missing', lenses.length),
        command: GenerateAllMissingImagesInFileCommand.id,
        arguments: [{ uri: document.uri.toString() }],
      }),
    );
  }
  return lenses;
}

function argumentsOf(link: DocumentImageLink): LinkArguments {
  return { uri: link.document.uri.toString(), offset: link.reference.start };
}
