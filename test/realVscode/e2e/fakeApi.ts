// One local API server for the whole e2e run, started on first use and stopped with the run.
import { registerCleanup } from '../cleanup';
import { FakeApiServer } from '../../support/fakeApiServer';

let started: Promise<FakeApiServer> | undefined;

/** The shared server, emptied of the previous case's requests and scripted faults. */
export async function fakeApi(): Promise<FakeApiServer> {
  started ??= FakeApiServer.start().then((server) => {
    registerCleanup({ async: () => server.close(), sync: () => undefined });
    return server;
  });
  const server = await started;
  server.reset();
  return server;
}

/** Another server, for cases that need a second origin; stopped with the run. */
export async function extraApi(): Promise<FakeApiServer> {
  const server = await FakeApiServer.start();
  registerCleanup({ async: () => server.close(), sync: () => undefined });
  return server;
}
