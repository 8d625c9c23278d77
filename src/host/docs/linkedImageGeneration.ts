/**
 * Generates the image a link names, into exactly that file, and keeps the link right: if the file had to
 * take another name (one appeared meanwhile, or the bytes came in another format), the link follows it.
 */

import * as vscode from 'vscode';
import { SeedreamError } from '../../core/errors/errors';
import { formatLinkTarget } from '../../core/links/linkFormat';
import type { MakeableImage } from '../../core/links/missingImage';
import type { GenerationInput } from '../../core/model/validation';
import { readSettings } from '../config';
import { generationInput, type GenerationResult, type ImageGenerator, type RunOptions } from '../generation';
import type { SavedImage } from '../imageFiles';
import { linkTarget, siteLink } from '../linkInsertion';
import { localImageLinks, resolveLinkPath, type DocumentImageLink } from './documentLinks';
import { planFor } from './missingImagePlans';
import { parentPath } from '../../core/files/posixPath';
import { describeReferenceSpec, resolveReferences, type ReferenceSpec } from '../referenceImages';
import { referenceSpecKind } from '../../core/model/references';

export interface LinkedImageResult {
  readonly result: GenerationResult;
  /** The image saved for the link (possibly kept in the extension's storage when the folder refused it). */
  readonly image: SavedImage;
}

/** Makes the missing image of `link` (with `model` instead of the configured one, if given); undefined when the user backed out. */
export async function generateLinkedImage(
  generator: ImageGenerator,
  link: DocumentImageLink,
  model: string | undefined,
  options: RunOptions,
): Promise<LinkedImageResult | undefined> {
  const plan = planFor(link, model);
  if (!plan.ok) {
    throw new SeedreamError('invalidInput', plan.problem.message);
  }
  // `prompt: ... ; from: other.png`: made from that reference, found as the link's own path is.
  const from = linkReferenceSpecs(link);
  const references = from.length > 0 ? await resolveReferences(from, documentFolder(link)) : [];
  const input = { ...missingImageInput(link, plan), ...(references.length > 0 ? { references } : {}) };
  const result = await generator.run({ input, document: link.document, target: link.target }, options);
  if (!result) {
    return undefined;
  }
  const image = firstImage(result);
  if (image.uri.toString() !== link.target.toString() && !result.outcome.rescued.some((rescued) => rescued.saved === image)) {
    await relink([link.document], link.target, image.uri);
  }
  return { result, image };
}

/** The reference images a link's `from:` names, as its run will send them: workspace-relative paths and addresses. */
export function linkReferences(link: DocumentImageLink): string[] {
  return linkReferenceSpecs(link).map((spec) => describeReferenceSpec(spec, documentFolder(link)));
}

/** A link's `from:` entries; a root-absolute path is found as the link's own is (in the docs site's served folder). */
function linkReferenceSpecs(link: DocumentImageLink): ReferenceSpec[] {
  return (link.reference.from ?? []).map((spec) =>
    referenceSpecKind(spec) === 'path' && spec.startsWith('/') ? (resolveLinkPath(link.document.uri, spec) ?? spec) : spec,
  );
}

/** Where a link's relative paths start, its own and its references'. */
function documentFolder(link: DocumentImageLink): vscode.Uri {
  return link.document.uri.with({ path: parentPath(link.document.uri.path) });
}

/** The generation input a missing link asks for: one image, its prompt, the format its extension names. */
export function missingImageInput(link: DocumentImageLink, plan: MakeableImage): GenerationInput {
  return generationInput(readSettings(link.document.uri), {
    prompt: plan.prompt,
    model: plan.model,
    outputFormat: plan.outputFormat,
    n: 1,
  });
}

/** The run's image, or an error that says why there is none. */
function firstImage(result: GenerationResult): SavedImage {
  const { outcome } = result;
  const image = outcome.saved[0] ?? outcome.rescued[0]?.saved;
  if (image) {
    return image;
  }
  const reasons = [...outcome.failures.map((failure) => failure.message), ...(outcome.interruption ? [outcome.interruption.message] : [])];
  throw outcome.interruption?.kind === 'cancelled' && outcome.failures.length === 0
    ? outcome.interruption
    : new SeedreamError('server', vscode.l10n.t('No image was saved: {0}', reasons.join(' ') || vscode.l10n.t('the API returned none.')), {
        action: 'showLog',
      });
}

/** Points every link to `from` in `documents` at `to` instead, as one undoable edit; only the path changes. */
export async function relink(documents: readonly vscode.TextDocument[], from: vscode.Uri, to: vscode.Uri): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  for (const document of new Set(documents)) {
    for (const link of localImageLinks(document)) {
      if (link.target.toString() === from.toString()) {
        // A root-absolute link stays one: into the docs site's served folder, else from the workspace folder.
        const path = link.reference.path.startsWith('/')
          ? (siteLink(document.uri, to) ?? `/${vscode.workspace.asRelativePath(to, false)}`)
          : linkTarget(document.uri, to);
        edit.replace(document.uri, link.targetRange, formatLinkTarget(link.syntax, path));
      }
    }
  }
  return edit.size > 0 && vscode.workspace.applyEdit(edit);
}
