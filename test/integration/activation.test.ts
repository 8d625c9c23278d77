// Smoke suite: the extension loads in a real VS Code, activates, and registers exactly the commands it declares.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'seedream-studio.seedream-studio';
const USER_COMMANDS = ['seedream.generateImage', 'seedream.generateFromSelection', 'seedream.setApiKey', 'seedream.clearApiKey'];

suite('Activation', () => {
  let extension: vscode.Extension<unknown>;

  suiteSetup(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not among the loaded extensions`);
    extension = found;
    // Running one of its commands is how a person activates it.
    await vscode.commands.executeCommand('seedream.showLog');
  });

  test('running a command activates the extension', () => {
    assert.equal(extension.isActive, true);
  });

  test('the user-facing commands are registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      USER_COMMANDS.filter((command) => !registered.has(command)),
      [],
      'commands missing from the running VS Code',
    );
  });

  test('registered seedream.* commands and package.json contributes.commands are the same set', async () => {
    const manifest = extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } };
    const contributed = (manifest.contributes?.commands ?? []).map((entry) => entry.command).sort();
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('seedream.')).sort();
    assert.deepEqual(registered, contributed);
  });
});
