import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESTRICTED_SETTINGS, settingValue } from '../../../../src/core/trust/settingSources';

// What inspect('n') gives for a cloned repository that asks for 4 images and a user who kept 1.
const cloned = { defaultValue: 1, workspaceValue: 4 };

describe('settingSources', () => {
  it('a workspace setting seedream.n=4 in an untrusted workspace gives n=1 (issue: settings that cost money are workspace-settable)', () => {
    assert.equal(settingValue(cloned, false), 1);
    assert.equal(settingValue({ ...cloned, workspaceFolderValue: 3 }, false), 1);
  });

  it('the user value counts over the default in an untrusted workspace', () => {
    assert.equal(settingValue({ ...cloned, globalValue: 2 }, false), 2);
  });

  it('in a trusted workspace the folder counts over the workspace, the workspace over the user', () => {
    assert.equal(settingValue({ defaultValue: 1, globalValue: 2, workspaceValue: 3, workspaceFolderValue: 4 }, true), 4);
    assert.equal(settingValue({ defaultValue: 1, globalValue: 2, workspaceValue: 3 }, true), 3);
    assert.equal(settingValue({ defaultValue: 1, globalValue: 2 }, true), 2);
    assert.equal(settingValue({ defaultValue: 1 }, true), 1);
  });

  it('an unknown setting has no value', () => {
    assert.equal(settingValue(undefined, true), undefined);
  });

  it('package.json restricts exactly the settings read this way', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    assert.deepEqual(
      [...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(),
      RESTRICTED_SETTINGS.map((key) => `seedream.${key}`).sort(),
    );
  });
});
