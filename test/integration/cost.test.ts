// Cost before billing inside a real VS Code: seedream.confirmAbove holds a run back behind a modal question
// (the test workbench refuses modal dialogs, as a user pressing Cancel would), a workspace cannot raise it, and
// prices are unknown at another server until seedream.prices sets them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readCostSettings } from '../../src/host/config';
import { FakeApiServer, TEST_API_KEY } from '../support/fakeApiServer';

const config = () => vscode.workspace.getConfiguration('seedream');

suite('Cost before billing', () => {
  let server: FakeApiServer;

  suiteSetup(async () => {
    server = await FakeApiServer.start();
    process.env.APIYI_API_KEY = TEST_API_KEY;
    await config().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    delete process.env.APIYI_API_KEY;
    await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  setup(() => server.reset());
  teardown(async () => {
    await config().update('confirmAbove', undefined, vscode.ConfigurationTarget.Global);
    await config().update('confirmAbove', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('prices', undefined, vscode.ConfigurationTarget.Global);
  });

  const generate = (n: number) =>
    vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateImage', { prompt: 'a costly cat', folder: '/generated', n });

  test('above seedream.confirmAbove images, the run waits for a yes and sends nothing without one', async () => {
    await config().update('confirmAbove', { images: 1 }, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await generate(2), []);
    assert.equal(server.apiRequests.length, 0);
  });

  test('an image set counts as the most images it may make (bug: a set was checked as one image against seedream.confirmAbove)', async () => {
    await config().update('confirmAbove', { images: 2 }, vscode.ConfigurationTarget.Global);
    const uris = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateImage', {
      prompt: 'a costly storyboard',
      folder: '/generated',
      maxImages: 3,
    });
    assert.deepEqual(uris, []);
    assert.equal(server.apiRequests.length, 0);
  });

  test('at the limit, the run goes ahead without a question', async () => {
    await config().update('confirmAbove', { images: 2 }, vscode.ConfigurationTarget.Global);
    assert.equal((await generate(2))?.length, 2);
    assert.equal(server.apiRequests.length, 1);
  });

  test('an image set is counted by its most images: above seedream.confirmAbove it waits for a yes (bug: the question counted n)', async () => {
    await config().update('confirmAbove', { images: 2 }, vscode.ConfigurationTarget.Global);
    const asked = await vscode.commands.executeCommand<vscode.Uri[]>('seedream.generateImage', {
      prompt: 'a costly storyboard',
      folder: '/generated',
      n: 1,
      maxImages: 3,
    });
    assert.deepEqual(asked, []);
    assert.equal(server.apiRequests.length, 0);
  });

  test('a workspace that raises seedream.confirmAbove still gets the question (the user limit holds)', async () => {
    await config().update('confirmAbove', { images: 1 }, vscode.ConfigurationTarget.Global);
    await config().update('confirmAbove', { images: 100 }, vscode.ConfigurationTarget.Workspace);
    assert.deepEqual(await generate(2), []);
    assert.equal(server.apiRequests.length, 0);
  });

  test('another server has no price until seedream.prices sets one; a cost limit asks while the cost is unknown', async () => {
    assert.equal(readCostSettings().pricing.known, false, 'the local test server is not the provider');
    await config().update('confirmAbove', { cost: 1 }, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await generate(1), []);
    assert.equal(server.apiRequests.length, 0);

    await config().update('prices', { currency: 'CNY', 'seedream-5-0-260128': 0.25 }, vscode.ConfigurationTarget.Global);
    const { pricing } = readCostSettings();
    assert.deepEqual(pricing.known && [pricing.currency, pricing.perImage['seedream-5-0-260128']], ['CNY', 0.25]);
    assert.equal((await generate(2))?.length, 2, '0.50 CNY is within the limit of 1');
    assert.equal(server.apiRequests.length, 1);
  });

  test('prices set in a workspace do not count: a workspace could make a run look cheaper', async () => {
    // seedream.prices is an application setting: VS Code itself keeps it out of workspace settings.
    const inspected = config().inspect('prices');
    assert.equal(inspected?.workspaceValue, undefined);
    assert.equal(readCostSettings().pricing.known, false);
  });
});
