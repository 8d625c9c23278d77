// The setup the suites that generate share: a local API server as the user's base URL, its key in the documented
// environment variable (the extension host is the suite's own process), and the workspace folder of the run.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FakeApiServer, TEST_API_KEY } from '../support/fakeApiServer';

export const seedreamConfig = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('seedream');

export interface LocalApi {
  /** Emptied of the previous test's requests and scripted faults before each test. */
  readonly server: FakeApiServer;
  readonly workspace: vscode.Uri;
}

/** Registers the suite's setup and teardown; the returned object is filled in once the suite starts. */
export function useLocalApi(): LocalApi {
  const api = {} as { server: FakeApiServer; workspace: vscode.Uri };
  suiteSetup(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite needs a workspace folder');
    api.workspace = folder.uri;
    api.server = await FakeApiServer.start();
    process.env.APIYI_API_KEY = TEST_API_KEY;
    await seedreamConfig().update('baseUrl', api.server.baseUrl, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    delete process.env.APIYI_API_KEY;
    await seedreamConfig().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await api.server?.close();
  });
  setup(() => api.server.reset());
  return api;
}
