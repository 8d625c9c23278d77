/**
 * The Image Studio panel on the host side: one panel at a time, its page, and the answers to its messages.
 * The webview is not retained while hidden: it keeps its own draft (`setState`) and asks for everything
 * else with `ready` whenever it (re)loads, so the host holds the run and history it shows.
 */

import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors/errors';
import { fileNameOf } from '../../core/files/posixPath';
import type { FromWebviewMessage, HistoryEntryView, RunView, StudioForm, StudioSettings, ToWebviewMessage } from '../../shared/protocol';
import { parseFromWebviewMessage } from '../../shared/protocol';
import { lastActiveEditor } from '../activeEditor';
import type { Spending } from '../../core/cost/spending';
import { SetApiKeyCommand } from '../commands/apiKey';
import { openSettings, readCostSettings, readSettings } from '../config';
import type { ImageGenerator } from '../generation';
import { l10nBundle } from '../l10n';
import { log, logChannel } from '../log';
import type { ApiKeyStore } from '../secrets';
import type { HistoryStore } from './historyStore';
import { runImageAction, type ActionOutcome } from './imageActions';
import { ImageRefs, missingFiles } from './imageViews';
import { withoutFile } from './runProgress';
import { studioHtml, studioResourceRoots } from './studioHtml';
import { runFromStudio } from './studioRun';

export const STUDIO_VIEW_TYPE = 'seedream.studio';

/** A link in a document whose image the user is choosing in the Studio (after Variations). */
export interface LinkChoice {
  readonly document: vscode.Uri;
  /** The file the link names now. */
  target: vscode.Uri;
  /** The path as it reads in the document now. */
  label: string;
}

/** What the Studio shows when it opens for something in particular. */
export interface StudioOpenOptions {
  /** A history entry to bring into view. */
  readonly entryId?: string;
  readonly linkChoice?: LinkChoice;
  /** A form to start from. */
  readonly prefill?: StudioForm;
}

export interface StudioServices {
  readonly extensionUri: vscode.Uri;
  readonly generator: ImageGenerator;
  readonly keys: ApiKeyStore;
  readonly history: HistoryStore;
  /** Fires when the stored API key may have changed. */
  readonly onDidChangeKey: vscode.Event<unknown>;
}

export class StudioPanel {
  private static current: StudioPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly refs: ImageRefs;
  private run: RunView | undefined;
  private cancelRun: AbortController | undefined;
  /** Stored files found deleted, as URI strings. */
  private missing = new Set<string>();
  /** A run of another front end the page should bring into view (kept until the page has loaded once). */
  private focusEntryId: string | undefined;
  private resourceRootsKey = '';
  private linkChoice: LinkChoice | undefined;
  private prefill: StudioForm | undefined;
  private disposed = false;

  /** Reveals the Studio, creating it beside the current editor the first time. */
  static show(services: StudioServices, options: StudioOpenOptions = {}): void {
    if (!StudioPanel.current) {
      const panel = vscode.window.createWebviewPanel(STUDIO_VIEW_TYPE, vscode.l10n.t('Image Studio'), vscode.ViewColumn.Beside, {
        retainContextWhenHidden: false,
      });
      StudioPanel.current = new StudioPanel(panel, services);
    } else {
      StudioPanel.current.panel.reveal();
    }
    StudioPanel.current.openFor(options);
  }

  /** Takes `options` in: sent now to a loaded page, and kept for `init` when the page (re)loads. */
  private openFor({ entryId, linkChoice, prefill }: StudioOpenOptions): void {
    if (entryId) {
      this.focusEntryId = entryId;
      void this.post({ type: 'showEntry', id: entryId });
    }
    if (linkChoice) {
      this.linkChoice = linkChoice;
      void this.post({ type: 'linkChoice', label: linkChoice.label });
    }
    if (prefill) {
      this.prefill = prefill;
      void this.post({ type: 'prefill', form: prefill });
    }
  }

  /** Takes over a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, services: StudioServices): void {
    StudioPanel.current?.panel.dispose();
    StudioPanel.current = new StudioPanel(panel, services);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: StudioServices,
  ) {
    this.refs = new ImageRefs(panel.webview);
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'icon.png');
    this.updateResourceRoots();
    panel.webview.html = studioHtml(panel.webview, services.extensionUri, l10nBundle());
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('seedream') && void this.sendSettings()),
      services.onDidChangeKey(() => void this.sendSettings()),
      vscode.window.onDidChangeActiveTextEditor(() => this.sendInsertTarget()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.sendInsertTarget()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.updateResourceRoots()),
      services.history.onDidRecord((id) => this.historyRecorded(id)),
    );
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseFromWebviewMessage(raw);
    if (!message) {
      log.warn('Image Studio: ignored a message from the panel that is not part of its protocol.');
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      log.error(`Image Studio: ${message.type} failed: ${errorMessage(error)}`);
    }
  }

  private async handle(message: FromWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.sendInit();
      case 'generate':
        return this.generate(message.form);
      case 'cancel':
        this.cancelRun?.abort();
        return;
      case 'setApiKey':
        await vscode.commands.executeCommand(SetApiKeyCommand.id);
        return;
      case 'openSettings':
        // Straight to the setting behind the last error, when there is one.
        await openSettings(this.run?.error?.setting);
        return;
      case 'showLog':
        logChannel().show(true);
        return;
      case 'refreshHistory':
        return this.sendHistory(true);
      case 'imageAction':
        return this.imageAction(message);
    }
  }

  private async imageAction({ requestId, action, ref }: Extract<FromWebviewMessage, { type: 'imageAction' }>): Promise<void> {
    const target = this.refs.target(ref);
    const outcome: ActionOutcome = target
      ? await runImageAction(action, target, this.linkChoice)
      : { ok: false, message: vscode.l10n.t('This image is no longer known to the Studio; reopen it.') };
    if (target && outcome.deleted) {
      this.missing.add(target.uri.toString());
      if (this.run) {
        this.setRun(withoutFile(this.run, ref));
      }
      await this.sendHistory(false);
    }
    if (action === 'useForLink' && outcome.ok && this.linkChoice) {
      await this.post({ type: 'linkChoice', label: this.linkChoice.label });
    }
    await this.post({ type: 'actionResult', inReplyTo: requestId, result: { ok: outcome.ok, message: outcome.message } });
  }

  private async generate(form: StudioForm): Promise<void> {
    if (this.cancelRun) {
      return; // one run at a time; the page disables Generate meanwhile
    }
    const controller = new AbortController();
    this.cancelRun = controller;
    try {
      await runFromStudio(form, {
        generator: this.services.generator,
        refs: this.refs,
        signal: controller.signal,
        onUpdate: (run) => this.setRun(run),
      });
    } finally {
      this.cancelRun = undefined;
    }
  }

  private setRun(run: RunView): void {
    this.run = run;
    void this.post({ type: 'run', run });
  }

  private historyRecorded(id: string | undefined): void {
    // The Studio's own run is already in view; another front end's run is brought into view.
    if (id !== undefined && !this.cancelRun) {
      this.focusEntryId = id;
      void this.post({ type: 'showEntry', id });
    }
    this.updateResourceRoots();
    void this.sendHistory(false);
  }

  private async sendInit(): Promise<void> {
    const [settings, history] = await Promise.all([this.settings(), this.historyViews(true)]);
    const target = insertTargetName();
    await this.post({
      type: 'init',
      settings,
      history,
      ...(target ? { insertTarget: target } : {}),
      ...(this.linkChoice ? { linkChoice: this.linkChoice.label } : {}),
      ...(this.run ? { run: this.run } : {}),
      ...(this.focusEntryId ? { focusEntryId: this.focusEntryId } : {}),
      ...this.spending(),
    });
    if (this.prefill) {
      // Once: a later reload must not overwrite what the user typed since.
      await this.post({ type: 'prefill', form: this.prefill });
      this.prefill = undefined;
    }
  }

  private async sendSettings(): Promise<void> {
    await this.post({ type: 'settings', settings: await this.settings() });
  }

  private sendInsertTarget(): void {
    const name = insertTargetName();
    void this.post({ type: 'insertTarget', ...(name ? { name } : {}) });
  }

  private async sendHistory(checkFiles: boolean): Promise<void> {
    await this.post({ type: 'history', entries: await this.historyViews(checkFiles), ...this.spending() });
  }

  private spending(): { spending?: Spending } {
    const spending = this.services.history.spending();
    return spending ? { spending } : {};
  }

  private async historyViews(checkFiles: boolean): Promise<HistoryEntryView[]> {
    const entries = this.services.history.entries();
    if (checkFiles) {
      this.missing = await missingFiles(entries);
    }
    return entries.map((entry) => this.refs.entryView(entry, this.missing));
  }

  private async settings(): Promise<StudioSettings> {
    const scope = lastActiveEditor()?.document.uri;
    const settings = readSettings(scope);
    const { model, size, n, outputFormat, responseFormat, watermark, stream } = settings;
    return {
      defaults: { prompt: '', model, size, n, outputFormat, responseFormat, watermark, stream },
      hasApiKey: await this.services.keys.hasKey(),
      pricing: readCostSettings(scope).pricing,
      locale: vscode.env.language,
    };
  }

  /** Allows the folders of new images; changing the roots reloads the page, which then asks for its state again. */
  private updateResourceRoots(): void {
    const files = this.services.history.entries().flatMap((entry) => entry.images.map((image) => vscode.Uri.parse(image.uri)));
    const roots = studioResourceRoots(this.services.extensionUri, this.services.generator.previewFolder, files);
    const key = roots.map((root) => root.toString()).join('\n');
    if (key !== this.resourceRootsKey) {
      this.resourceRootsKey = key;
      this.panel.webview.options = { enableScripts: true, localResourceRoots: roots };
    }
  }

  /** Messages to a closed panel are dropped; a run it started still finishes and lands in the history. */
  private post(message: ToWebviewMessage): Thenable<boolean> {
    return this.disposed ? Promise.resolve(false) : this.panel.webview.postMessage(message);
  }

  private dispose(): void {
    this.disposed = true;
    if (StudioPanel.current === this) {
      StudioPanel.current = undefined;
    }
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

function insertTargetName(): string | undefined {
  const path = lastActiveEditor()?.document.uri.path;
  return path && fileNameOf(path);
}
