/**
 * The parts of undici this extension uses, imported one by one: the package's index also loads fetch,
 * WebSocket, caches and mocks, which would more than double the bundle.
 */

import request = require('undici/lib/api/api-request');
import connect = require('undici/lib/api/api-connect');
import Dispatcher = require('undici/lib/dispatcher/dispatcher');
import Agent = require('undici/lib/dispatcher/agent');
import ProxyAgent = require('undici/lib/dispatcher/proxy-agent');

// What undici's index does for its dispatchers: `request`, and `connect`, with which the proxy agents open tunnels.
Object.assign(Dispatcher.prototype, { request, connect });

export { Agent, Dispatcher, ProxyAgent };
