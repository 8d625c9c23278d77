/**
 * An undici Agent that records every connection it is asked to open and opens only those to this machine:
 * a test sees where a request would have gone, without anything leaving the machine.
 */

import { Agent, buildConnector } from 'undici';
import { isLoopbackHost } from '../../src/core/trust/urlPolicy';

export function recordingAgent(connections: string[]): Agent {
  const connectLocally = buildConnector({});
  return new Agent({
    connect(options, callback) {
      connections.push(`${options.hostname}:${options.port}`);
      if (isLoopbackHost(options.hostname)) {
        connectLocally(options, callback);
      } else {
        callback(
          Object.assign(new Error(`connect ECONNREFUSED ${options.hostname} (not opened by the test)`), { code: 'ECONNREFUSED' }),
          null,
        );
      }
    },
  });
}
